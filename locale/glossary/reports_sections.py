"""Thai for the themes of each section in the hearing report and the dashboard's top themes."""

TH = {
    "Themes on %(number)s %(heading)s": "ประเด็นในส่วน %(number)s %(heading)s",
    "Themes on %(section)s": "ประเด็นในส่วน %(section)s",
    "the theme in the whole draft": "ประเด็นนี้ในร่างทั้งฉบับ",
    "%(theme)s: %(n)s comments — %(split)s": "%(theme)s: %(n)s ความคิดเห็น — %(split)s",
    "Main themes": "ประเด็นหลัก",
    "%(fine)s themes grouped into %(n)s main theme by the words they share.": (
        "%(fine)s ประเด็นย่อย จัดกลุ่มเป็น %(n)s ประเด็นหลักตามคำที่ใช้ร่วมกัน"
    ),
    "%(fine)s themes grouped into %(n)s main themes by the words they share.": (
        "%(fine)s ประเด็นย่อย จัดกลุ่มเป็น %(n)s ประเด็นหลักตามคำที่ใช้ร่วมกัน"
    ),
    "details": "รายละเอียด",
    "Read the comments": "อ่านความคิดเห็น",
}
