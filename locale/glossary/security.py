"""Thai for the security and privacy hardening: second factor per session, suspensions,
request limits, the not-enough-text state of the analysis."""

TH: dict[str, str | tuple[str, ...]] = {
    "Staff pages need two-step sign-in: please confirm with your second factor.": (
        "หน้าสำหรับเจ้าหน้าที่ต้องยืนยันตัวตนสองขั้นตอน กรุณายืนยันด้วยปัจจัยที่สองของคุณ"
    ),
    "Only platform moderators can suspend an author.": (
        "เฉพาะผู้ดูแลระดับแพลตฟอร์มเท่านั้นที่ระงับสิทธิ์ผู้เขียนได้"
    ),
    "Only platform moderators can lift a suspension.": (
        "เฉพาะผู้ดูแลระดับแพลตฟอร์มเท่านั้นที่ยกเลิกการระงับสิทธิ์ได้"
    ),
    "The request is too large.": "คำขอมีขนาดใหญ่เกินไป",
    "Not enough text to find themes: the comments are too few or too short, or use only "
    "words that every comment uses. Every comment is still counted above, and can be read in "
    "the list.": (
        "มีข้อความไม่พอสำหรับจัดกลุ่มประเด็น: ความคิดเห็นมีน้อยหรือสั้นเกินไป "
        "หรือใช้แต่คำที่ทุกความคิดเห็นใช้ ทุกความคิดเห็นยังถูกนับรวมไว้ด้านบน "
        "และอ่านได้ในรายการ"
    ),
}
