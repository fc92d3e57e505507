"""Thai for outage pages and background-run failures."""

TH = {
    "Try again in a moment": "โปรดลองใหม่อีกครั้งในอีกสักครู่",
    "The service is busy for a moment. Please try again in a few seconds.": (
        "ระบบไม่ว่างชั่วคราว โปรดลองใหม่ในอีกไม่กี่วินาที"
    ),
    "Nothing you sent before this page was lost. If you were posting a comment, send it "
    "again in %(n)s seconds: it will be saved once.": (
        "สิ่งที่คุณส่งก่อนหน้านี้ไม่สูญหาย หากคุณกำลังส่งความคิดเห็น โปรดส่งอีกครั้งใน %(n)s วินาที "
        "ระบบจะบันทึกไว้เพียงครั้งเดียว"
    ),
    "Try again": "ลองอีกครั้ง",
    "The worker carrying out this analysis stopped (no sign of life for %(n)s seconds). "
    "Start the analysis again.": (
        "เครื่องประมวลผลที่ทำการวิเคราะห์นี้หยุดทำงาน (ไม่มีสัญญาณตอบกลับเป็นเวลา %(n)s วินาที) "
        "โปรดเริ่มการวิเคราะห์ใหม่"
    ),
}
