"""Thai for the public API (tokens, problem details) and the open-data pages."""

TH: dict[str, str | tuple[str, ...]] = {
    # open-data pages
    "Open data": "ข้อมูลเปิด",
    "Downloads": "ดาวน์โหลด",
    "Files": "ไฟล์",
    "Data package (ZIP, Frictionless Data)": "ชุดข้อมูล (ZIP, มาตรฐาน Frictionless Data)",
    "the description of every file": "คำอธิบายของทุกไฟล์",
    "Polis export layout (ZIP)": "ข้อมูลในรูปแบบของ Polis (ZIP)",
    "Licence:": "สัญญาอนุญาต:",
    "Participants appear under ids that are valid in this consultation only; names, e-mail "
    "addresses and IP addresses are never included.": (
        "ผู้เข้าร่วมปรากฏด้วยรหัสที่ใช้ได้เฉพาะในการรับฟังความคิดเห็นนี้เท่านั้น ไม่มีชื่อ ที่อยู่อีเมล หรือหมายเลข IP"
    ),
    "This consultation is still open: the data contains what is public today and will change.": (
        "การรับฟังความคิดเห็นนี้ยังเปิดอยู่ ข้อมูลนี้คือสิ่งที่เปิดเผยแล้วในวันนี้และจะเปลี่ยนแปลงต่อไป"
    ),
    "All open data": "ข้อมูลเปิดทั้งหมด",
    "Every published consultation as a data package. Data portals can harvest this catalogue:": (
        "ทุกการรับฟังความคิดเห็นที่เผยแพร่แล้วในรูปแบบชุดข้อมูล ศูนย์กลางข้อมูลเปิดสามารถดึงรายการนี้ได้จาก:"
    ),
    "CKAN API": "API แบบ CKAN",
    "REST API": "REST API",
    "licence of open data": "สัญญาอนุญาตของข้อมูลเปิด",
    "agency open-data settings": "การตั้งค่าข้อมูลเปิดของหน่วยงาน",
    "Unknown action.": "ไม่รู้จักคำสั่งนี้",
    "Not found": "ไม่พบ",
    "Not found.": "ไม่พบ",
    # API tokens
    "API tokens": "โทเค็น API",
    "Your new token": "โทเค็นใหม่ของคุณ",
    "Copy it now: it is shown only once. We keep only a fingerprint of it.": (
        "คัดลอกไว้ตอนนี้ โทเค็นจะแสดงเพียงครั้งเดียว ระบบเก็บไว้เพียงลายนิ้วมือ (ค่าแฮช) ของโทเค็น"
    ),
    "What a token is for": "โทเค็นใช้ทำอะไร",
    "A token lets a program use the public API as you: read, or also comment, reply, vote, "
    "take a position and report, under the same rules as on this site.": (
        "โทเค็นให้โปรแกรมใช้ API สาธารณะในนามของคุณ: อ่านข้อมูล หรือแสดงความคิดเห็น ตอบกลับ "
        "ลงคะแนน แสดงจุดยืน และรายงานความคิดเห็นด้วย ภายใต้กติกาเดียวกับบนเว็บไซต์นี้"
    ),
    "API documentation": "เอกสาร API",
    "Create a token": "สร้างโทเค็น",
    "Create token": "สร้างโทเค็น",
    "Name": "ชื่อ",
    "name": "ชื่อ",
    "Scope": "ขอบเขตสิทธิ์",
    "scope": "ขอบเขตสิทธิ์",
    "Valid for (days)": "ใช้ได้ (วัน)",
    "Your tokens": "โทเค็นของคุณ",
    "Token": "โทเค็น",
    "Expires": "หมดอายุ",
    "expires": "หมดอายุ",
    "Last used": "ใช้ล่าสุด",
    "Revoke": "เพิกถอน",
    "Revoked": "เพิกถอนแล้ว",
    "Expired": "หมดอายุแล้ว",
    "Read only": "อ่านอย่างเดียว",
    "Read and write (comment, reply, vote, position, report)": (
        "อ่านและเขียน (แสดงความคิดเห็น ตอบกลับ ลงคะแนน แสดงจุดยืน รายงาน)"
    ),
    "Give the token a name (at most 80 characters).": "โปรดตั้งชื่อโทเค็น (ไม่เกิน 80 ตัวอักษร)",
    "Choose read or write.": "โปรดเลือกอ่านอย่างเดียว หรืออ่านและเขียน",
    "A token lasts 1 to %(n)s days.": "โทเค็นมีอายุได้ 1 ถึง %(n)s วัน",
    "You have too many active tokens; revoke one first.": (
        "คุณมีโทเค็นที่ใช้งานอยู่มากเกินไป โปรดเพิกถอนโทเค็นเดิมก่อน"
    ),
    "This is not your token.": "โทเค็นนี้ไม่ใช่ของคุณ",
    "The token is revoked.": "เพิกถอนโทเค็นแล้ว",
    # API problems
    "This API token is not valid: it may have expired or been revoked.": (
        "โทเค็น API นี้ใช้ไม่ได้ อาจหมดอายุหรือถูกเพิกถอนแล้ว"
    ),
    "This token may only read. Create one with write scope.": (
        "โทเค็นนี้อ่านได้อย่างเดียว โปรดสร้างโทเค็นที่มีสิทธิ์เขียน"
    ),
    "The request is not valid.": "คำขอไม่ถูกต้อง",
    "This page address is not valid.": "ที่อยู่หน้านี้ไม่ถูกต้อง",
    "No such section.": "ไม่พบมาตรานี้",
    "No hearing report has been published yet.": "ยังไม่มีการเผยแพร่สรุปผลการรับฟังความคิดเห็น",
}
