"""Thai for the analysis dashboard, the moderation reasons' single labels and imported texts."""

TH = {
    "Abuse, insults or threats": "ด่าทอ ดูหมิ่น หรือข่มขู่",
}
