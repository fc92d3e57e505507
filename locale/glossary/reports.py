"""Thai for the hearing report (reports app) and the consultation's public states."""

TH = {
    "Hearing report: %(title)s": "สรุปผลการรับฟังความคิดเห็น: %(title)s",
    "Version %(v)s · %(status)s · cites %(citation)s · data digest %(digest)s": (
        "ฉบับที่ %(v)s · %(status)s · อ้างอิง %(citation)s · ค่าตรวจสอบข้อมูล %(digest)s"
    ),
    "Part 1. The hearing": "ส่วนที่ 1 การรับฟังความคิดเห็น",
    "What was asked": "เรื่องที่รับฟัง",
    "Period": "ระยะเวลา",
    "From %(start)s to %(end)s (%(days)s days).": "ตั้งแต่ %(start)s ถึง %(end)s (%(days)s วัน)",
    "This meets the %(n)s-day norm.": "เป็นไปตามเกณฑ์ไม่น้อยกว่า %(n)s วัน",
    "Shorter than the %(n)s-day norm because: %(reason)s": (
        "น้อยกว่าเกณฑ์ %(n)s วัน เนื่องจาก: %(reason)s"
    ),
    "Shorter than the %(n)s-day norm because:": "น้อยกว่าเกณฑ์ %(n)s วัน เนื่องจาก:",
    "no reason was stated": "ไม่ได้ระบุเหตุผล",
    "Channels and participants": "ช่องทางและผู้เข้าร่วม",
    "Web %(web)s, imported %(import)s, offline or on paper %(offline)s.": (
        "เว็บไซต์ %(web)s นำเข้า %(import)s เวทีหรือเอกสาร %(offline)s"
    ),
    "%(people)s people: %(comments)s comments, %(replies)s replies, %(votes)s votes. "
    "Positions on the draft: support %(support)s, oppose %(oppose)s, undecided "
    "%(undecided)s.": (
        "ผู้เข้าร่วม %(people)s คน: ความคิดเห็น %(comments)s รายการ การตอบกลับ %(replies)s "
        "รายการ การโหวต %(votes)s ครั้ง จุดยืนต่อร่าง: เห็นด้วย %(support)s ไม่เห็นด้วย "
        "%(oppose)s ยังไม่ตัดสินใจ %(undecided)s"
    ),
    "By assurance: identity verified %(identity)s, signed in with LINE or Google "
    "%(social)s, verified e-mail %(email)s.": (
        "ตามระดับการยืนยันตัวตน: ยืนยันตัวตนแล้ว %(identity)s เข้าสู่ระบบด้วย LINE หรือ Google "
        "%(social)s ยืนยันอีเมล %(email)s"
    ),
    "%(total)s comments received: %(published)s published, %(pending)s awaiting review, "
    "%(hidden)s hidden and %(removed)s removed by moderators.": (
        "ได้รับความคิดเห็น %(total)s รายการ: เผยแพร่ %(published)s รอตรวจสอบ %(pending)s "
        "ผู้ดูแลซ่อน %(hidden)s และลบ %(removed)s"
    ),
    "Part 2. What people said": "ส่วนที่ 2 ประชาชนแสดงความคิดเห็นอย่างไร",
    "%(n)s comments on the draft: %(split)s.": "ความคิดเห็นต่อร่าง %(n)s รายการ: %(split)s",
    "%(n)s comments on the draft:": "ความคิดเห็นต่อร่าง %(n)s รายการ:",
    "Summary edited by the agency.": "หน่วยงานแก้ไขสรุปนี้",
    "Sub-themes: %(subs)s": "ประเด็นย่อย: %(subs)s",
    "Campaigns and form letters (each counted once)": "ข้อความรณรงค์และจดหมายแบบฟอร์ม (นับเป็นหนึ่ง)",
    "Sent by %(n)s people:": "ส่งโดย %(n)s คน:",
    "Sent by %(n)s person:": ("ส่งโดย %(n)s คน:", "ส่งโดย %(n)s คน:"),
    "Where people agreed across groups": "ประเด็นที่ทุกกลุ่มเห็นพ้องกัน",
    "Part 3. The agency's response": "ส่วนที่ 3 คำชี้แจงของหน่วยงาน",
    "Hearing report · %(slug)s · version %(v)s": "สรุปผลการรับฟังความคิดเห็น · %(slug)s · ฉบับที่ %(v)s",
    "what this version corrects": "สิ่งที่ฉบับนี้แก้ไข",
    "Accepted": "รับไว้",
    "Partly accepted": "รับไว้บางส่วน",
    "Not accepted": "ไม่รับ",
    "Noted, out of scope": "รับทราบ อยู่นอกขอบเขต",
    "issue": "ประเด็น",
    "section that changes": "มาตราที่แก้ไข",
    "%(people)s people took part: %(comments)s comments, %(replies)s replies and %(votes)s "
    "votes.": (
        "มีผู้เข้าร่วม %(people)s คน: ความคิดเห็น %(comments)s รายการ การตอบกลับ %(replies)s "
        "รายการ และการโหวต %(votes)s ครั้ง"
    ),
    "On the draft as a whole, %(support)s support it, %(oppose)s oppose it and "
    "%(undecided)s are undecided.": (
        "ต่อร่างทั้งฉบับ เห็นด้วย %(support)s คน ไม่เห็นด้วย %(oppose)s คน และยังไม่ตัดสินใจ %(undecided)s คน"
    ),
    "The biggest themes: %(themes)s.": "ประเด็นหลัก: %(themes)s",
    "%(n)s comments, %(mostly)s: %(label)s": "ความคิดเห็น %(n)s รายการ %(mostly)s: %(label)s",
    "mostly support": "ส่วนใหญ่เห็นด้วย",
    "mostly oppose": "ส่วนใหญ่ไม่เห็นด้วย",
    "mostly neutral": "ส่วนใหญ่เป็นกลาง",
    "mostly suggestions": "ส่วนใหญ่เป็นข้อเสนอแนะ",
    "mixed positions": "ความเห็นหลากหลาย",
    "no stated position": "ไม่ระบุจุดยืน",
    "No position stated": "ไม่ระบุจุดยืน",
    "A report can be drafted once the consultation has closed.": (
        "จัดทำสรุปผลได้เมื่อปิดรับฟังความคิดเห็นแล้ว"
    ),
    "Choose a finished analysis of this consultation.": "เลือกผลการวิเคราะห์ที่เสร็จแล้วของการรับฟังนี้",
    "This consultation already has a report in preparation.": "การรับฟังนี้มีสรุปผลที่กำลังจัดทำอยู่แล้ว",
    "Say what this new version corrects in the published report.": (
        "ระบุว่าฉบับใหม่นี้แก้ไขอะไรในสรุปผลที่เผยแพร่แล้ว"
    ),
    "Only a draft can be changed. A published report is corrected by a new version.": (
        "แก้ไขได้เฉพาะฉบับร่าง สรุปผลที่เผยแพร่แล้วแก้ไขโดยออกฉบับใหม่"
    ),
    "There is no such text in this report.": "ไม่มีข้อความนี้ในสรุปผล",
    "At most %(n)s characters.": "ไม่เกิน %(n)s ตัวอักษร",
    "Give the agency's reasons.": "ระบุเหตุผลของหน่วยงาน",
    "Choose a section of this draft.": "เลือกมาตราของร่างนี้",
    "Say how the draft changes for an accepted issue.": "ระบุว่าร่างแก้ไขอย่างไรสำหรับประเด็นที่รับไว้",
    "Name the issue in at most %(n)s characters.": "ระบุประเด็นไม่เกิน %(n)s ตัวอักษร",
    "%(n)s issue(s) still have no response.": "ยังมี %(n)s ประเด็นที่ไม่มีคำชี้แจง",
    "Only a report in review can be sent back.": "ส่งกลับได้เฉพาะสรุปผลที่อยู่ระหว่างตรวจทาน",
    "Say what needs changing.": "ระบุสิ่งที่ต้องแก้ไข",
    "Only a report in review can be published.": "เผยแพร่ได้เฉพาะสรุปผลที่อยู่ระหว่างตรวจทาน",
    "Another editor of the agency or an admin must approve the publication.": (
        "บรรณาธิการอีกคนของหน่วยงานหรือผู้ดูแลระบบต้องเป็นผู้อนุมัติการเผยแพร่"
    ),
    "Every issue needs a response before publication.": "ทุกประเด็นต้องมีคำชี้แจงก่อนเผยแพร่",
    "The draft report was generated.": "สร้างร่างสรุปผลแล้ว",
    "Saved.": "บันทึกแล้ว",
    "Response saved.": "บันทึกคำชี้แจงแล้ว",
    "Issue added.": "เพิ่มประเด็นแล้ว",
    "Sent for review. Another editor or an admin approves the publication.": (
        "ส่งตรวจทานแล้ว บรรณาธิการอีกคนหรือผู้ดูแลระบบเป็นผู้อนุมัติการเผยแพร่"
    ),
    "Sent back to draft.": "ส่งกลับเป็นฉบับร่างแล้ว",
    "The report is published.": "เผยแพร่สรุปผลแล้ว",
    "The report counted %(n)s comment here.": (
        "สรุปผลนับความคิดเห็นในส่วนนี้ %(n)s รายการ",
        "สรุปผลนับความคิดเห็นในส่วนนี้ %(n)s รายการ",
    ),
    "%(shown)s are still published.": "ยังเผยแพร่อยู่ %(shown)s รายการ",
    "The hearing has closed and the agency is considering the comments. Its report has not "
    "been published yet.": "ปิดรับฟังแล้ว หน่วยงานกำลังพิจารณาความคิดเห็น ยังไม่ได้เผยแพร่สรุปผล",
    "The report is published after the hearing closes.": "สรุปผลจะเผยแพร่หลังปิดรับฟังความคิดเห็น",
    "data digest": "ค่าตรวจสอบข้อมูล",
    "covered by the public record": "บันทึกสาธารณะที่ครอบคลุม",
    "This version corrects version %(v)s:": "ฉบับนี้แก้ไขฉบับที่ %(v)s:",
    "Corrects version %(v)s: %(note)s": "แก้ไขฉบับที่ %(v)s: %(note)s",
    "Read the earlier version": "อ่านฉบับก่อนหน้า",
    "A corrected version of this report exists.": "สรุปผลนี้มีฉบับแก้ไขแล้ว",
    "Read the corrected version": "อ่านฉบับแก้ไข",
    "Download PDF": "ดาวน์โหลด PDF",
    "Download DOCX": "ดาวน์โหลด DOCX",
    "Contents": "สารบัญ",
    "Edited by the agency.": "หน่วยงานแก้ไขข้อความนี้",
    "Generated text": "ข้อความที่ระบบสร้าง",
    "What changes": "สิ่งที่เปลี่ยนแปลง",
    "%(d)s days": "%(d)s วัน",
    "People who took part": "ผู้เข้าร่วม",
    "Votes": "การโหวต",
    "Positions on the draft": "จุดยืนต่อร่าง",
    "By assurance": "ตามระดับการยืนยันตัวตน",
    "Identity verified": "ยืนยันตัวตนแล้ว",
    "LINE or Google": "LINE หรือ Google",
    "Verified e-mail": "ยืนยันอีเมลแล้ว",
    "Positions": "จุดยืน",
    "%(n)s themes, grouping the %(fine)s finer themes the analysis found.": (
        "%(n)s ประเด็น รวมจากประเด็นย่อย %(fine)s ประเด็นที่การวิเคราะห์พบ"
    ),
    "Generated summary": "สรุปที่ระบบสร้าง",
    "from %(n)s comment": ("จากความคิดเห็น %(n)s รายการ", "จากความคิดเห็น %(n)s รายการ"),
    "%(n)s sub-theme": ("%(n)s ประเด็นย่อย", "%(n)s ประเด็นย่อย"),
    "No themes: too few comments to group.": "ไม่มีประเด็น: ความคิดเห็นน้อยเกินกว่าจะจัดกลุ่ม",
    "Group": "กลุ่ม",
    "Group %(id)s (%(n)s people)": "กลุ่ม %(id)s (%(n)s คน)",
    "the group agreed": "กลุ่มนี้เห็นด้วย",
    "the group disagreed": "กลุ่มนี้ไม่เห็นด้วย",
    "agreed": "เห็นด้วย",
    "disagreed": "ไม่เห็นด้วย",
    "Change": "การแก้ไข",
    "Change: %(change)s": "การแก้ไข: %(change)s",
    "No response yet": "ยังไม่มีคำชี้แจง",
    "No issues.": "ไม่มีประเด็น",
    "Versions": "ฉบับต่าง ๆ",
    "version": "ฉบับที่",
    "Comments behind this figure": "ความคิดเห็นที่อยู่เบื้องหลังตัวเลขนี้",
    "Comments %(ids)s": "ความคิดเห็น %(ids)s",
    "and %(n)s more": "และอีก %(n)s รายการ",
    "Published %(when)s": "เผยแพร่ %(when)s",
    "Page": "หน้า",
    "Hearing reports": "สรุปผลการรับฟังความคิดเห็น",
    "No report yet.": "ยังไม่มีสรุปผล",
    "Created": "สร้างเมื่อ",
    "Correct the published report": "แก้ไขสรุปผลที่เผยแพร่แล้ว",
    "Generate a draft report": "สร้างร่างสรุปผล",
    "From the analysis": "จากผลการวิเคราะห์",
    "What this new version corrects": "สิ่งที่ฉบับใหม่นี้แก้ไข",
    "Generate": "สร้าง",
    "Run an analysis of the consultation first.": "ต้องวิเคราะห์ความคิดเห็นก่อน",
    "Cites": "อ้างอิง",
    "See it as the public will": "ดูแบบที่ประชาชนเห็น",
    "Workflow": "ขั้นตอน",
    "In review": "ระหว่างตรวจทาน",
    "%(n)s issue still has no response.": (
        "ยังมี %(n)s ประเด็นที่ไม่มีคำชี้แจง",
        "ยังมี %(n)s ประเด็นที่ไม่มีคำชี้แจง",
    ),
    "Send for review": "ส่งตรวจทาน",
    "Another editor of the agency or an admin approves the publication.": (
        "บรรณาธิการอีกคนของหน่วยงานหรือผู้ดูแลระบบเป็นผู้อนุมัติการเผยแพร่"
    ),
    "Approve and publish": "อนุมัติและเผยแพร่",
    "What needs changing": "สิ่งที่ต้องแก้ไข",
    "Send back to draft": "ส่งกลับเป็นฉบับร่าง",
    "Published reports are frozen. A correction is a new version, generated from the list of "
    "reports.": "สรุปผลที่เผยแพร่แล้วแก้ไขไม่ได้ การแก้ไขทำโดยสร้างฉบับใหม่จากรายการสรุปผล",
    "Edited. Empty the box to restore the generated text.": (
        "แก้ไขแล้ว ลบข้อความในช่องเพื่อกลับไปใช้ข้อความที่ระบบสร้าง"
    ),
    "Headline": "หัวเรื่อง",
    "The agency's response, issue by issue": "คำชี้แจงของหน่วยงานรายประเด็น",
    "Section that changes": "มาตราที่แก้ไข",
    "How the draft changes": "ร่างแก้ไขอย่างไร",
    "Save the response": "บันทึกคำชี้แจง",
    "Add an issue": "เพิ่มประเด็น",
    "Add": "เพิ่ม",
    "Theme": "ประเด็น",
    "Section of the draft": "มาตราของร่าง",
    "Added by the agency": "หน่วยงานเพิ่ม",
    "Closed (under consideration)": "ปิดรับฟังแล้ว (อยู่ระหว่างพิจารณา)",
    "Result reported": "รายงานผลแล้ว",
    "result reported": "รายงานผลแล้ว",
    "Read the hearing report": "อ่านสรุปผลการรับฟังความคิดเห็น",
    "The agency has published the result of this hearing.": "หน่วยงานเผยแพร่ผลการรับฟังความคิดเห็นนี้แล้ว",
    "decision": "ผลการพิจารณา",
    "reasons": "เหตุผล",
    "how the draft changes": "ร่างแก้ไขอย่างไร",
    "Hearing report": "สรุปผลการรับฟังความคิดเห็น",
    "Version": "ฉบับที่",
    "Replies": "การตอบกลับ",
    "comments": "ความคิดเห็น",
}
