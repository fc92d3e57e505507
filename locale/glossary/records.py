"""Thai for the public record (records/): its pages, receipts and errors."""

TH: dict[str, str | tuple[str, ...]] = {
    # pages and navigation
    "The public record": "บันทึกสาธารณะ",
    "The public record: check what was kept": "บันทึกสาธารณะ: ตรวจสอบว่าความคิดเห็นถูกเก็บไว้ครบถ้วน",
    "My receipts": "หลักฐานการบันทึกของฉัน",
    "Receipt": "หลักฐานการบันทึก",
    "Vote receipt": "หลักฐานการลงคะแนน",
    "Receipt for entry %(index)s": "หลักฐานการบันทึกรายการที่ %(index)s",
    "Every comment, reply, edit, vote, position, moderation decision and every publication, "
    "extension and closing of a consultation is written, at the moment it happens, into one "
    "append-only log. Entries are numbered without gaps. The log is a Merkle tree, the same "
    "method Certificate Transparency uses for web certificates: a short fingerprint (the root "
    "hash) stands for every entry so far.": (
        "ทุกความคิดเห็น การตอบกลับ การแก้ไข การลงคะแนน จุดยืน คำวินิจฉัยของผู้ดูแล "
        "และทุกครั้งที่มีการเผยแพร่ ขยายเวลา หรือปิดการรับฟังความคิดเห็น จะถูกบันทึกลงในบันทึกเดียว"
        "ที่เพิ่มได้อย่างเดียว ณ เวลาที่เกิดขึ้น รายการมีเลขลำดับต่อเนื่องไม่ขาดช่วง บันทึกนี้เป็น"
        "ต้นไม้เมอร์เคิล (Merkle tree) ซึ่งเป็นวิธีเดียวกับที่ Certificate Transparency ใช้กับ"
        "ใบรับรองเว็บไซต์ ลายนิ้วมือสั้น ๆ หนึ่งค่า (แฮชราก) แทนทุกรายการที่บันทึกมาจนถึงขณะนั้น"
    ),
    "Every few minutes, and whenever a consultation closes, the platform signs that "
    "fingerprint with its key and publishes it (a checkpoint). Anyone who keeps a copy of a "
    "checkpoint can later ask for proof that the newer log still contains everything the "
    "older one did: nothing can be quietly removed, reordered or rewritten without the proofs "
    "failing.": (
        "ทุกไม่กี่นาที และทุกครั้งที่การรับฟังความคิดเห็นปิดลง ระบบจะลงลายมือชื่อดิจิทัลกำกับ"
        "ลายนิ้วมือนั้นและเผยแพร่ต่อสาธารณะ (เรียกว่าจุดตรวจสอบ) ผู้ใดที่เก็บสำเนาจุดตรวจสอบไว้ "
        "สามารถขอหลักฐานในภายหลังได้ว่าบันทึกที่ใหม่กว่ายังคงมีทุกรายการของบันทึกเดิมอยู่ครบ "
        "ไม่มีรายการใดถูกลบ สลับลำดับ หรือแก้ไขอย่างเงียบ ๆ ได้โดยที่การพิสูจน์ไม่ล้มเหลว"
    ),
    "What a receipt proves": "หลักฐานการบันทึกพิสูจน์อะไรได้บ้าง",
    "that your comment or vote was recorded, with its number in the log and its time;": (
        "ว่าความคิดเห็นหรือคะแนนของคุณถูกบันทึกแล้ว พร้อมเลขลำดับในบันทึกและเวลา"
    ),
    "that the log signed by the platform contains it (the inclusion proof leads to the signed "
    "root);": (
        "ว่าบันทึกที่ระบบลงลายมือชื่อกำกับไว้มีรายการนี้อยู่จริง (หลักฐานการอยู่ในบันทึกคำนวณไปถึงแฮชรากที่ลงลายมือชื่อไว้)"
    ),
    "with the salt and content in the receipt, exactly what was recorded: change one letter "
    "and the check fails.": (
        "เมื่อมีค่าเกลือ (salt) และเนื้อหาอยู่ในหลักฐาน ก็พิสูจน์ได้ว่าบันทึกอะไรไว้อย่างตรงตัว "
        "แก้ไขเพียงตัวอักษรเดียว การตรวจสอบก็จะไม่ผ่าน"
    ),
    "What it does not reveal": "สิ่งที่บันทึกนี้ไม่เปิดเผย",
    "The log holds only a salted fingerprint of each item, never the text or your name. Votes "
    "and positions are recorded under a pseudonym that differs from one consultation to the "
    "next. When personal data is erased, the salt and the content are deleted: the log still "
    "verifies, and the entry then proves only that something was recorded.": (
        "บันทึกเก็บเพียงลายนิ้วมือที่ผสมค่าเกลือของแต่ละรายการ ไม่เก็บข้อความหรือชื่อของคุณ "
        "การลงคะแนนและจุดยืนบันทึกภายใต้นามแฝงที่ต่างกันในแต่ละการรับฟังความคิดเห็น "
        "เมื่อมีการลบข้อมูลส่วนบุคคล ค่าเกลือและเนื้อหาจะถูกลบ บันทึกยังตรวจสอบได้ครบถ้วน "
        "และรายการนั้นจะพิสูจน์ได้เพียงว่าเคยมีการบันทึกบางสิ่งไว้"
    ),
    "Check a receipt": "ตรวจสอบหลักฐานการบันทึก",
    "Verified.": "ตรวจสอบแล้ว ถูกต้อง",
    "Entry %(index)s is in the public record.": "รายการที่ %(index)s อยู่ในบันทึกสาธารณะ",
    "The inclusion proof leads to the root the platform signed for %(size)s entries.": (
        "หลักฐานการอยู่ในบันทึกคำนวณไปถึงแฮชรากที่ระบบลงลายมือชื่อไว้สำหรับ %(size)s รายการ"
    ),
    "No checkpoint covers it yet; download the receipt again after the next one.": (
        "ยังไม่มีจุดตรวจสอบที่ครอบคลุมรายการนี้ โปรดดาวน์โหลดหลักฐานอีกครั้งหลังจุดตรวจสอบถัดไป"
    ),
    "The content in the receipt matches the fingerprint in the log.": (
        "เนื้อหาในหลักฐานตรงกับลายนิ้วมือในบันทึก"
    ),
    "Not verified:": "ตรวจสอบไม่ผ่าน:",
    "Paste the receipt you downloaded (JSON)": "วางหลักฐานการบันทึกที่คุณดาวน์โหลดไว้ (JSON)",
    "Check": "ตรวจสอบ",
    "You do not have to trust this page: the small program records/verify.py (Python, no "
    "other part of the platform) does the same checks on your own computer.": (
        "คุณไม่จำเป็นต้องเชื่อหน้านี้: โปรแกรมขนาดเล็ก records/verify.py (ภาษา Python "
        "ไม่ต้องใช้ส่วนอื่นของระบบ) ตรวจสอบแบบเดียวกันได้บนคอมพิวเตอร์ของคุณเอง"
    ),
    "For anyone who checks": "สำหรับผู้ที่ต้องการตรวจสอบ",
    "The log holds %(size)s entry.": ("บันทึกมีทั้งหมด %(size)s รายการ",),
    "The latest signed checkpoint covers %(size)s.": (
        "จุดตรวจสอบล่าสุดที่ลงลายมือชื่อแล้วครอบคลุม %(size)s รายการ"
    ),
    "Verifier key": "กุญแจสำหรับตรวจสอบ",
    "Latest checkpoint": "จุดตรวจสอบล่าสุด",
    "All checkpoints": "จุดตรวจสอบทั้งหมด",
    "Key": "กุญแจ",
    "the entries, one line each (the exact bytes hashed)": (
        "รายการทั้งหมด บรรทัดละหนึ่งรายการ (ตรงตามข้อมูลที่นำไปคำนวณแฮช)"
    ),
    "salt and content of the public entries": "ค่าเกลือและเนื้อหาของรายการที่เปิดเผยได้",
    "proofs": "หลักฐานการพิสูจน์",
    # the receipt
    "What was recorded": "สิ่งที่บันทึก",
    "Number in the log": "เลขลำดับในบันทึก",
    "Time (UTC)": "เวลา (UTC)",
    "Time": "เวลา",
    "Entry fingerprint": "ลายนิ้วมือของรายการ",
    "Checkpoint": "จุดตรวจสอบ",
    "Not yet signed: the next checkpoint will include it (within a few minutes). Download the "
    "receipt again then to get the proof.": (
        "ยังไม่ได้ลงลายมือชื่อ: จุดตรวจสอบถัดไปจะรวมรายการนี้ (ภายในไม่กี่นาที) "
        "โปรดดาวน์โหลดหลักฐานอีกครั้งในตอนนั้นเพื่อรับหลักฐานการพิสูจน์"
    ),
    "signed for %(size)s entries": "ลงลายมือชื่อแล้วสำหรับ %(size)s รายการ",
    "Content": "เนื้อหา",
    "Erased (personal data): the entry now proves only that something was recorded.": (
        "ถูกลบแล้ว (ข้อมูลส่วนบุคคล): รายการนี้พิสูจน์ได้เพียงว่าเคยมีการบันทึกบางสิ่งไว้"
    ),
    "Included in the receipt with its salt, so the fingerprint can be recomputed.": (
        "รวมอยู่ในหลักฐานพร้อมค่าเกลือ จึงคำนวณลายนิ้วมือซ้ำได้"
    ),
    "Not public; only its fingerprint is shown.": "ไม่เปิดเผย แสดงเฉพาะลายนิ้วมือ",
    "Download the receipt": "ดาวน์โหลดหลักฐานการบันทึก",
    "Verify this receipt": "ตรวจสอบหลักฐานนี้",
    "The receipt (JSON)": "หลักฐานการบันทึก (JSON)",
    "Each comment, edit, vote and position you gave is an entry in the public record. A "
    "receipt proves it was recorded and kept.": (
        "ทุกความคิดเห็น การแก้ไข การลงคะแนน และจุดยืนของคุณเป็นรายการหนึ่งในบันทึกสาธารณะ "
        "หลักฐานการบันทึกพิสูจน์ว่ารายการนั้นถูกบันทึกและเก็บรักษาไว้"
    ),
    "You have no receipts yet.": "คุณยังไม่มีหลักฐานการบันทึก",
    # kinds of entries
    "Comment or reply posted": "ส่งความคิดเห็นหรือการตอบกลับ",
    "Comment edited": "แก้ไขความคิดเห็น",
    "Moderation status changed": "เปลี่ยนสถานะโดยผู้ดูแล",
    "Vote cast": "ลงคะแนน",
    "Position on the draft": "จุดยืนต่อร่าง",
    "Consultation published": "เผยแพร่การรับฟังความคิดเห็น",
    "Consultation extended": "ขยายเวลาการรับฟังความคิดเห็น",
    "Consultation closed": "ปิดการรับฟังความคิดเห็น",
    "Hearing report published": "เผยแพร่สรุปผลการรับฟังความคิดเห็น",
    "Comments and votes imported": "นำเข้าความคิดเห็นและคะแนน",
    # errors
    "Give %(name)s (a whole number).": "โปรดระบุ %(name)s (จำนวนเต็ม)",
    "%(name)s must be a whole number.": "%(name)s ต้องเป็นจำนวนเต็ม",
    "No checkpoint of that size.": "ไม่มีจุดตรวจสอบขนาดนั้น",
    "The entry is not inside a tree of that size (yet).": "รายการนี้ (ยัง) ไม่อยู่ในต้นไม้ขนาดนั้น",
    "Sizes must satisfy 0 < first <= second <= the size of the log.": (
        "ขนาดต้องเป็นไปตาม 0 < first <= second <= ขนาดของบันทึก"
    ),
    "That receipt is too large.": "หลักฐานนี้มีขนาดใหญ่เกินไป",
    "Paste the whole receipt (the JSON file you downloaded).": (
        "โปรดวางหลักฐานทั้งหมด (ไฟล์ JSON ที่คุณดาวน์โหลดไว้)"
    ),
    "The receipt is incomplete.": "หลักฐานไม่ครบถ้วน",
    "No signing key is configured yet.": "ยังไม่ได้ตั้งค่ากุญแจสำหรับลงลายมือชื่อ",
}
