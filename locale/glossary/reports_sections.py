"""Thai for the themes of each section in the hearing report and the dashboard's top themes."""

TH = {
    "Themes on %(number)s %(heading)s": "ประเด็นในส่วน %(number)s %(heading)s",
    "Themes on %(section)s": "ประเด็นในส่วน %(section)s",
    "the theme in the whole draft": "ประเด็นนี้ในร่างทั้งฉบับ",
    "%(theme)s: %(n)s comments — %(split)s": "%(theme)s: %(n)s ความคิดเห็น — %(split)s",
}
