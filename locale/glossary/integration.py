"""Thai for strings whose entries were missing from the feature glossaries."""

TH = {
    # (as the catalogue writes it: the newline escaped)
    "Stop these e-mails: %(one)s\\nStop all e-mail from us: %(all)s": (
        "หยุดรับอีเมลประเภทนี้: %(one)s\\nหยุดรับอีเมลทั้งหมดจากเรา: %(all)s"
    ),
    "Stop e-mails about: %(kind_label)s": "หยุดรับอีเมลเรื่อง: %(kind_label)s",
    "%(n)s comment found": ("พบ %(n)s ความคิดเห็น",),
    "%(n)s consultation found": ("พบ %(n)s การรับฟังความคิดเห็น",),
}
