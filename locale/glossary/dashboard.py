"""Thai for the analysis dashboard, the moderation reasons' single labels and imported texts."""

TH = {
    "Abuse, insults or threats": "ด่าทอ ดูหมิ่น หรือข่มขู่",
    "Analysis dashboard": "ผลการวิเคราะห์",
    "%(shown)s person": ("%(shown)s คน",),
    "All %(shown)s comment": ("ความคิดเห็นทั้งหมด %(shown)s รายการ",),
    "%(shown)s comment is in no theme": ("%(shown)s ความคิดเห็นไม่อยู่ในประเด็นใด",),
    "%(shown)s comment": ("%(shown)s ความคิดเห็น",),
    "%(shown)s participant with at least %(m)s votes, placed by how they voted.": (
        "ผู้เข้าร่วม %(shown)s คนที่ลงคะแนนอย่างน้อย %(m)s ครั้ง วางตำแหน่งตามการลงคะแนน",
    ),
    (
        "Each circle is a theme; its area shows how many comments it has. Themes close "
        "together use similar words. Each circle carries its theme's number; the themes are "
        "listed below by number."
    ): (
        "วงกลมแต่ละวงคือประเด็นหนึ่ง ขนาดของวงแสดงจำนวนความคิดเห็น ประเด็นที่อยู่ใกล้กัน"
        "ใช้ถ้อยคำคล้ายกัน ในวงกลมมีหมายเลขของประเด็น และรายการประเด็นด้านล่างเรียงตามหมายเลข"
    ),
    (
        "No comment sets this group apart yet: its members vote like the others on every "
        "comment with enough votes. The group is shown because of how they voted overall."
    ): (
        "ยังไม่มีความคิดเห็นใดที่แสดงความแตกต่างของกลุ่มนี้ สมาชิกลงคะแนนเหมือนกลุ่มอื่น"
        "ในทุกความคิดเห็นที่มีคะแนนมากพอ กลุ่มนี้แสดงไว้ตามรูปแบบการลงคะแนนโดยรวม"
    ),
    (
        "No stance to chart: none of these comments was given a stance (support, oppose, "
        "suggestion or neutral). Comments imported from a conversation that does not ask for "
        "one, and replies, have none. The themes and opinion groups below still describe them."
    ): (
        "ไม่มีจุดยืนให้แสดงเป็นแผนภูมิ: ไม่มีความคิดเห็นใดระบุจุดยืน (เห็นด้วย ไม่เห็นด้วย "
        "ข้อเสนอแนะ หรือเป็นกลาง) ความคิดเห็นที่นำเข้าจากการสนทนาที่ไม่ได้ถามจุดยืน "
        "และการตอบกลับ จะไม่มีจุดยืน ประเด็นและกลุ่มความคิดเห็นด้านล่างยังคงอธิบายความคิดเห็นเหล่านี้"
    ),
}
