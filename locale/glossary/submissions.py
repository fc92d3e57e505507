"""Thai for paper, phone, public-meeting and e-mail submissions entered by agency staff
(submissions app) and for offline comments as the public pages show them."""

TH: dict[str, str | tuple[str, ...]] = {
    # how it arrived (comments.models.OfflineVia) and how the page names it
    "paper or post": "เอกสารหรือไปรษณีย์",
    "phone": "โทรศัพท์",
    "a public meeting": "เวทีรับฟังความคิดเห็น",
    "e-mail": "อีเมล",
    "A submission received on paper": "ความคิดเห็นที่ได้รับเป็นเอกสาร",
    "A submission received by phone": "ความคิดเห็นที่ได้รับทางโทรศัพท์",
    "A submission made at a public meeting": "ความคิดเห็นจากเวทีรับฟังความคิดเห็น",
    "A submission received by e-mail": "ความคิดเห็นที่ได้รับทางอีเมล",
    "A submission received offline": "ความคิดเห็นที่ได้รับนอกเว็บไซต์",
    "received on paper, %(date)s": "ได้รับเป็นเอกสาร %(date)s",
    "received by phone, %(date)s": "ได้รับทางโทรศัพท์ %(date)s",
    "made at a public meeting, %(date)s": "แสดงในเวทีรับฟังความคิดเห็น %(date)s",
    "received by e-mail, %(date)s": "ได้รับทางอีเมล %(date)s",
    "received offline, %(date)s": "ได้รับนอกเว็บไซต์ %(date)s",
    "Say how the submission arrived.": "โปรดระบุช่องทางที่ได้รับความคิดเห็น",
    "%(n)s of them arrived on paper, by phone, at a public meeting or by e-mail and was "
    "entered by the agency.": (
        "ในจำนวนนี้ %(n)s รายการได้รับเป็นเอกสาร ทางโทรศัพท์ จากเวทีรับฟัง หรือทางอีเมล และหน่วยงานเป็นผู้บันทึก",
    ),
    # analytics dashboard
    "How the comments arrived": "ช่องทางที่ได้รับความคิดเห็น",
    "Published comments and replies now, whatever the run.": (
        "ความคิดเห็นและการตอบกลับที่เผยแพร่ ณ ขณะนี้ ไม่ขึ้นกับรอบการวิเคราะห์"
    ),
    "On this site": "ทางเว็บไซต์นี้",
    "Imported": "นำเข้า",
    "Offline (paper, phone, public meeting, e-mail)": ("นอกเว็บไซต์ (เอกสาร โทรศัพท์ เวทีรับฟัง อีเมล)"),
    # workspace: one submission
    "Paper, phone and meeting submissions": "ความคิดเห็นทางเอกสาร โทรศัพท์ และเวทีรับฟัง",
    "Enter what reached the agency outside the site. Each submission is screened like a "
    "comment on the site and shown with how it arrived. The sender's name is shown only if "
    "they agreed; the scan is seen only by the agency's staff.": (
        "บันทึกความคิดเห็นที่หน่วยงานได้รับนอกเว็บไซต์ ทุกรายการผ่านการคัดกรองเช่นเดียวกับความคิดเห็น"
        "บนเว็บไซต์ และแสดงพร้อมช่องทางที่ได้รับ ชื่อผู้ส่งจะแสดงเมื่อผู้ส่งยินยอมเท่านั้น "
        "ส่วนเอกสารสแกนเห็นได้เฉพาะเจ้าหน้าที่ของหน่วยงาน"
    ),
    "Upload a spreadsheet of submissions": "อัปโหลดตารางความคิดเห็น",
    "Enter one submission": "บันทึกความคิดเห็นหนึ่งรายการ",
    "Enter the submission": "บันทึกความคิดเห็น",
    "Name or organisation as given": "ชื่อบุคคลหรือหน่วยงานตามที่ระบุมา",
    "The sender agreed to have this name shown with the submission": (
        "ผู้ส่งยินยอมให้แสดงชื่อนี้กับความคิดเห็น"
    ),
    "How it arrived": "ช่องทางที่ได้รับ",
    "Date received": "วันที่ได้รับ",
    "Reference number": "เลขที่อ้างอิง",
    "The whole draft": "ทั้งร่าง",
    "The text of the submission": "ข้อความของความคิดเห็น",
    "Scan (PDF, PNG or JPEG, at most 10 MB; seen only by the agency's staff)": (
        "ไฟล์สแกน (PDF, PNG หรือ JPEG ไม่เกิน 10 MB เห็นได้เฉพาะเจ้าหน้าที่ของหน่วยงาน)"
    ),
    "%(n)s submission entered": ("บันทึกแล้ว %(n)s รายการ",),
    "Reference": "เลขที่อ้างอิง",
    "Received": "ได้รับ",
    "From": "จาก",
    "Scan": "ไฟล์สแกน",
    "not shown": "ไม่แสดง",
    "Download": "ดาวน์โหลด",
    "%(n)s submissions entered.": "บันทึกแล้ว %(n)s รายการ",
    "Submission %(ref)s entered and published.": "บันทึกและเผยแพร่ความคิดเห็น %(ref)s แล้ว",
    "Submission %(ref)s entered; it awaits review by a moderator.": (
        "บันทึกความคิดเห็น %(ref)s แล้ว รอผู้ดูแลตรวจสอบ"
    ),
    "This submission has no scan.": "ความคิดเห็นนี้ไม่มีไฟล์สแกน",
    # service errors
    "Give the reference number.": "โปรดระบุเลขที่อ้างอิง",
    "A reference number can be at most 60 characters.": "เลขที่อ้างอิงยาวได้ไม่เกิน 60 ตัวอักษร",
    "A name can be at most 120 characters.": "ชื่อยาวได้ไม่เกิน 120 ตัวอักษร",
    "The date received cannot be in the future.": "วันที่ได้รับต้องไม่เป็นวันในอนาคต",
    "The date received must fall within the hearing (%(opens)s to %(closes)s).": (
        "วันที่ได้รับต้องอยู่ในช่วงการรับฟังความคิดเห็น (%(opens)s ถึง %(closes)s)"
    ),
    "Reference number %(ref)s has already been entered.": "เลขที่อ้างอิง %(ref)s ถูกบันทึกไปแล้ว",
    "Reference number %(ref)s is also on line %(line)s.": ("เลขที่อ้างอิง %(ref)s ซ้ำกับบรรทัดที่ %(line)s"),
    "The scan can be at most %(mb)s MB.": "ไฟล์สแกนมีขนาดได้ไม่เกิน %(mb)s MB",
    "The scan must be a PDF, PNG or JPEG file.": "ไฟล์สแกนต้องเป็น PDF, PNG หรือ JPEG",
    # workspace: a spreadsheet
    "Spreadsheet (CSV or XLSX, at most 2 MB)": "ไฟล์ตาราง (CSV หรือ XLSX ไม่เกิน 2 MB)",
    "%(n)s problem: nothing was entered": ("พบปัญหา %(n)s รายการ: ยังไม่ได้บันทึกรายการใด",),
    "Line %(line)s": "บรรทัดที่ %(line)s",
    "Correct the file and upload it again.": "โปรดแก้ไขไฟล์แล้วอัปโหลดอีกครั้ง",
    "%(n)s row checked: ready to enter.": ("ตรวจแล้วทั้ง %(n)s แถว พร้อมบันทึก",),
    "Enter %(n)s submission": ("บันทึกทั้ง %(n)s รายการ",),
    "Line": "บรรทัด",
    "Text": "ข้อความ",
    "Upload another file": "อัปโหลดไฟล์อื่น",
    "Choose the file": "เลือกไฟล์",
    "Check the file": "ตรวจไฟล์",
    "Nothing is entered until you have seen the preview and confirmed. If any row has a "
    "problem, no row is entered.": (
        "ระบบจะยังไม่บันทึกจนกว่าคุณจะดูตัวอย่างและยืนยัน หากมีแถวใดมีปัญหา จะไม่บันทึกแถวใดเลย"
    ),
    "Columns of the spreadsheet": "คอลัมน์ของตาราง",
    "The first line names the columns (English or Thai names). reference, via, received and "
    "text are required.": (
        "บรรทัดแรกเป็นชื่อคอลัมน์ (ภาษาอังกฤษหรือภาษาไทย) ต้องมี reference, via, received และ text"
    ),
    "via: paper, phone, meeting or email. received: 2026-11-12 or 12/11/2569. name_public: yes "
    "or no. stance: support, oppose, neutral, suggestion or empty. section: the section's "
    "number.": (
        "via: paper, phone, meeting หรือ email (หรือ เอกสาร โทรศัพท์ เวทีสาธารณะ อีเมล) "
        "received: 2026-11-12 หรือ 12/11/2569 name_public: yes หรือ no (ใช่ หรือ ไม่) "
        "stance: support, oppose, neutral, suggestion หรือเว้นว่าง section: เลขมาตรา"
    ),
    "Upload the file again: the checked copy has expired.": (
        "โปรดอัปโหลดไฟล์อีกครั้ง สำเนาที่ตรวจแล้วหมดอายุ"
    ),
    "The file can be at most 2 MB.": "ไฟล์มีขนาดได้ไม่เกิน 2 MB",
    "This is not a readable XLSX file.": "ไม่สามารถอ่านไฟล์ XLSX นี้ได้",
    "Save the CSV file as UTF-8.": "โปรดบันทึกไฟล์ CSV เป็น UTF-8",
    "The file is empty.": "ไฟล์ว่างเปล่า",
    "The first line must name the columns; missing: %(cols)s.": (
        "บรรทัดแรกต้องเป็นชื่อคอลัมน์ ขาด: %(cols)s"
    ),
    "At most %(n)s rows at a time.": "ครั้งละไม่เกิน %(n)s แถว",
    "The reference number is missing.": "ไม่มีเลขที่อ้างอิง",
    "The text is missing.": "ไม่มีข้อความ",
    "Agreed to be named must be yes or no.": "การยินยอมให้แสดงชื่อต้องเป็น yes หรือ no",
    "How it arrived must be one of: paper, phone, meeting, email (not %(v)s).": (
        "ช่องทางที่ได้รับต้องเป็น paper, phone, meeting หรือ email (ไม่ใช่ %(v)s)"
    ),
    "The date received must be written 2026-11-12 or 12/11/2569 (not %(v)s).": (
        "วันที่ได้รับต้องเขียนแบบ 2026-11-12 หรือ 12/11/2569 (ไม่ใช่ %(v)s)"
    ),
    "This draft has no section %(s)s.": "ร่างนี้ไม่มี %(s)s",
    "Unknown stance %(s)s (support, oppose, neutral, suggestion or empty).": (
        "ไม่รู้จักจุดยืน %(s)s (support, oppose, neutral, suggestion หรือเว้นว่าง)"
    ),
    # model field names (admin)
    "reference number": "เลขที่อ้างอิง",
    "name or organisation as given": "ชื่อบุคคลหรือหน่วยงานตามที่ระบุมา",
    "the sender agreed to be named": "ผู้ส่งยินยอมให้แสดงชื่อ",
    "date received": "วันที่ได้รับ",
}
