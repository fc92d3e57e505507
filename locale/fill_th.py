"""Fill locale/th/LC_MESSAGES/django.po from the Thai glossary below (run after makemessages).

Usage: python locale/fill_th.py  (then: python manage.py compilemessages)
Strings without an entry stay untranslated and are listed, so nothing is missed silently.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TH: dict[str, str | tuple[str, ...]] = {
    "Your comment": "ความคิดเห็นของคุณ",
    "Please write a comment.": "กรุณาเขียนความคิดเห็น",
    "Your stance": "จุดยืนของคุณ",
    "About": "เรื่องที่แสดงความเห็น",
    "The whole draft": "ทั้งร่าง",
    "Support": "เห็นด้วย",
    "Oppose": "ไม่เห็นด้วย",
    "Neutral": "เป็นกลาง",
    "Suggestion": "ข้อเสนอแนะ",
    "Published": "เผยแพร่แล้ว",
    "Awaiting review": "รอตรวจสอบ",
    "Hidden by a moderator": "ถูกซ่อนโดยผู้ดูแล",
    "Removed": "ถูกลบ",
    "Web": "เว็บไซต์",
    "Import": "นำเข้า",
    "Offline": "เวทีรับฟังความคิดเห็น",
    "name shown": "ชื่อที่แสดง",
    "comment": "ความคิดเห็น",
    "stance": "จุดยืน",
    "Deleted user": "ผู้ใช้ที่ลบบัญชีแล้ว",
    "Agree": "เห็นด้วย",
    "Disagree": "ไม่เห็นด้วย",
    "Pass": "ผ่าน",
    "This consultation has closed.": "การรับฟังความคิดเห็นนี้ปิดแล้ว",
    "This consultation is not open for comments yet.": "การรับฟังความคิดเห็นนี้ยังไม่เปิด",
    "A comment can be at most %(max)s characters (yours has %(n)s).": "ความคิดเห็นยาวได้ไม่เกิน %(max)s ตัวอักษร (ของคุณมี %(n)s ตัวอักษร)",
    "Choose a stance.": "กรุณาเลือกจุดยืน",
    "Unknown channel.": "ไม่รู้จักช่องทางนี้",
    "That section is not part of this draft.": "มาตรานี้ไม่ได้อยู่ในร่างนี้",
    "You can only reply within the same consultation.": "ตอบกลับได้เฉพาะในการรับฟังความคิดเห็นเดียวกัน",
    "This comment can no longer be replied to.": "ความคิดเห็นนี้ไม่สามารถตอบกลับได้แล้ว",
    "Replies can be nested at most three levels deep.": "ตอบกลับซ้อนกันได้ไม่เกินสามชั้น",
    "Unknown status.": "ไม่รู้จักสถานะนี้",
    "A vote is agree, disagree or pass.": "การลงคะแนนต้องเป็น เห็นด้วย ไม่เห็นด้วย หรือ ผ่าน",
    "This comment is not open for votes.": "ความคิดเห็นนี้ไม่เปิดให้ลงคะแนน",
    "Please sign in with a verified e-mail address.": "กรุณาเข้าสู่ระบบด้วยอีเมลที่ยืนยันแล้ว",
    "Please sign in with a verified e-mail address to take part.": "กรุณาเข้าสู่ระบบด้วยอีเมลที่ยืนยันแล้วเพื่อร่วมแสดงความคิดเห็น",
    "This consultation is not open for comments.": "การรับฟังความคิดเห็นนี้ไม่เปิดรับความคิดเห็น",
    "The comment you replied to no longer exists.": "ความคิดเห็นที่คุณตอบกลับไม่มีอยู่แล้ว",
    "Thank you. Your comment is published.": "ขอบคุณ ความคิดเห็นของคุณเผยแพร่แล้ว",
    "Thank you. Your comment will appear after review.": "ขอบคุณ ความคิดเห็นของคุณจะแสดงหลังการตรวจสอบ",
    "Voting is closed for this consultation.": "การลงคะแนนในการรับฟังความคิดเห็นนี้ปิดแล้ว",
    "display name": "ชื่อที่แสดง",
    "Participant %(id)s": "ผู้ร่วมแสดงความเห็น %(id)s",
    "Thai": "ไทย",
    "English": "อังกฤษ",
    "%(n)s day left": ("เหลืออีก %(n)s วัน",),
    "%(n)s hour left": ("เหลืออีก %(n)s ชั่วโมง",),
    "opens in %(n)s day": ("เปิดในอีก %(n)s วัน",),
    "opens today": "เปิดวันนี้",
    "Public Hearing": "รับฟังความคิดเห็น",
    "Skip to content": "ข้ามไปยังเนื้อหา",
    "Read draft laws. Say what you think. See what others said.": "อ่านร่างกฎหมาย แสดงความเห็น และดูว่าคนอื่นคิดอย่างไร",
    "Main": "เมนูหลัก",
    "Consultations": "การรับฟังความคิดเห็น",
    "Sign out": "ออกจากระบบ",
    "Sign in": "เข้าสู่ระบบ",
    "Sign up": "สมัครสมาชิก",
    "Language": "ภาษา",
    "Comments are the views of their authors. Moderation follows published rules.": "ความคิดเห็นเป็นของผู้เขียนแต่ละคน การกลั่นกรองเป็นไปตามกติกาที่เผยแพร่ไว้",
    "edited": "แก้ไขแล้ว",
    "Your vote on this comment": "คะแนนของคุณต่อความคิดเห็นนี้",
    "Reply": "ตอบกลับ",
    "Your reply": "คำตอบของคุณ",
    "Send reply": "ส่งคำตอบ",
    "This comment was hidden by a moderator.": "ความคิดเห็นนี้ถูกซ่อนโดยผู้ดูแล",
    "Reason": "เหตุผล",
    "This comment was removed.": "ความคิดเห็นนี้ถูกลบ",
    "Awaiting review.": "รอตรวจสอบ",
    "Breadcrumb": "เส้นทางนำทาง",
    "Open": "เปิดรับฟัง",
    "Shorter than 15 days because": "ระยะเวลาน้อยกว่า 15 วัน เนื่องจาก",
    "Summary": "สาระสำคัญ",
    "The draft in full": "ร่างฉบับเต็ม",
    "Sections of the draft": "มาตราในร่าง",
    "%(n)s comment": ("%(n)s ความคิดเห็น",),
    "Read and comment on this section": "อ่านและแสดงความเห็นต่อมาตรานี้",
    "Comments": "ความคิดเห็น",
    "Which comments": "เลือกความคิดเห็นที่จะแสดง",
    "All": "ทั้งหมด",
    "Add your comment": "แสดงความคิดเห็นของคุณ",
    "Plain text, up to 5,000 characters. Links become clickable. Be civil; do not post ID numbers or phone numbers.": "ข้อความธรรมดา ไม่เกิน 5,000 ตัวอักษร ลิงก์จะคลิกได้ โปรดใช้ถ้อยคำสุภาพ และอย่าเปิดเผยเลขบัตรประชาชนหรือเบอร์โทรศัพท์",
    "Publish comment": "ส่งความคิดเห็น",
    "with a verified e-mail address to comment and vote.": "ด้วยอีเมลที่ยืนยันแล้วเพื่อแสดงความคิดเห็นและลงคะแนน",
    "This consultation has closed. Comments are kept as the public record.": "การรับฟังความคิดเห็นนี้ปิดแล้ว ความคิดเห็นทั้งหมดเก็บไว้เป็นบันทึกสาธารณะ",
    "Comments open when the consultation opens.": "เปิดรับความคิดเห็นเมื่อถึงวันเริ่มรับฟัง",
    "Your comments awaiting review": "ความคิดเห็นของคุณที่รอตรวจสอบ",
    "Sort": "เรียงลำดับ",
    "No comments yet. Be the first.": "ยังไม่มีความคิดเห็น มาเป็นคนแรก",
    "More comments": "ความคิดเห็นเพิ่มเติม",
    "Your position on the draft": "จุดยืนของคุณต่อร่างนี้",
    "Find consultations": "ค้นหาการรับฟังความคิดเห็น",
    "Search": "ค้นหา",
    "Title, topic or agency": "ชื่อเรื่อง ประเด็น หรือหน่วยงาน",
    "Status": "สถานะ",
    "Any": "ทั้งหมด",
    "Agency": "หน่วยงาน",
    "Kind": "ประเภท",
    "Category": "หมวดหมู่",
    "Filter": "กรอง",
    "%(n)s consultation": ("%(n)s เรื่อง",),
    "No consultation matches. Try fewer filters.": "ไม่พบการรับฟังความคิดเห็นที่ตรงกัน ลองลดตัวกรอง",
    "Pages": "หน้า",
    "Previous": "ก่อนหน้า",
    "Next": "ถัดไป",
    "name (Thai)": "ชื่อ (ภาษาไทย)",
    "name (English)": "ชื่อ (ภาษาอังกฤษ)",
    "agency": "หน่วยงาน",
    "agencies": "หน่วยงาน",
    "Draft act": "ร่างกฎหมาย",
    "Subordinate regulation": "กฎหมายลำดับรอง",
    "Principles": "หลักการ",
    "Ex-post evaluation of a law": "ประเมินผลสัมฤทธิ์ของกฎหมาย",
    "Education": "การศึกษา",
    "Health": "สาธารณสุข",
    "Agriculture": "เกษตรกรรม",
    "Welfare": "สวัสดิการ",
    "Participation & transparency": "การมีส่วนร่วมและความโปร่งใส",
    "SMEs": "วิสาหกิจขนาดกลางและขนาดย่อม",
    "Other": "อื่น ๆ",
    "Draft": "ฉบับร่าง",
    "Upcoming": "เร็ว ๆ นี้",
    "Closed": "ปิดแล้ว",
    "title": "ชื่อเรื่อง",
    "summary": "สาระสำคัญ",
    "body": "เนื้อหา",
    "Rich text; cleaned on save.": "ข้อความจัดรูปแบบ ระบบทำความสะอาดเมื่อบันทึก",
    "language of the draft": "ภาษาของร่าง",
    "kind": "ประเภท",
    "category": "หมวดหมู่",
    "opens": "วันเปิดรับฟัง",
    "closes": "วันปิดรับฟัง",
    "reason for a period shorter than 15 days": "เหตุผลที่รับฟังน้อยกว่า 15 วัน",
    "published": "เผยแพร่",
    "source and attribution": "แหล่งที่มาและการอ้างอิง",
    "consultation": "การรับฟังความคิดเห็น",
    "consultations": "การรับฟังความคิดเห็น",
    "The closing date must be after the opening date.": "วันปิดต้องอยู่หลังวันเปิด",
    "A consultation shorter than %(days)s days needs a stated reason.": "การรับฟังความคิดเห็นที่สั้นกว่า %(days)s วันต้องระบุเหตุผล",
    "number": "เลขมาตรา",
    "e.g. 'Section 3' or 'มาตรา 3'": "เช่น 'มาตรา 3'",
    "heading": "หัวข้อ",
    "text": "ข้อความ",
    "Undecided": "ยังไม่ตัดสินใจ",
    "Choose support, oppose or undecided.": "กรุณาเลือก เห็นด้วย ไม่เห็นด้วย หรือ ยังไม่ตัดสินใจ",
    "This consultation is not open.": "การรับฟังความคิดเห็นนี้ไม่ได้เปิดอยู่",
    "No such consultation.": "ไม่พบการรับฟังความคิดเห็นนี้",
    "Newest": "ล่าสุด",
    "Most agreed": "เห็นด้วยมากที่สุด",
    "Most divisive": "เห็นต่างมากที่สุด",
    "Your position is recorded.": "บันทึกจุดยืนของคุณแล้ว",
}

ENTRY = re.compile(r'^msgid ((?:".*"\n)+)(msgid_plural (?:".*"\n)+)?((?:msgstr.*\n(?:".*"\n)*)+)', re.M)


def _joined(quoted: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', quoted)).replace('\\"', '"')


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(path: Path) -> int:
    source = path.read_text(encoding="utf-8")
    missing: list[str] = []

    def fill(match: re.Match) -> str:
        msgid = _joined(match.group(1))
        plural = match.group(2)
        if not msgid:
            return match.group(0)
        value = TH.get(msgid)
        if value is None:
            missing.append(msgid)
            return match.group(0)
        head = f"msgid {match.group(1)}" + (plural or "")
        if plural:
            forms = value if isinstance(value, tuple) else (value,)
            return head + "".join(f"msgstr[{i}] {_quote(f)}\n" for i, f in enumerate(forms))
        return head + f"msgstr {_quote(value if isinstance(value, str) else value[0])}\n"

    filled = ENTRY.sub(fill, source)
    filled = filled.replace('"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"', '"Plural-Forms: nplurals=1; plural=0;\\n"')
    filled = re.sub(r"^#, fuzzy\n(?=msgid \"\"\nmsgstr \"\"\n\"Project)", "", filled, flags=re.M)
    path.write_text(filled, encoding="utf-8")
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(__file__).resolve().parent / "th" / "LC_MESSAGES" / "django.po"))
