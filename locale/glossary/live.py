"""Thai for the live page and votes on one's own comment."""

TH = {
    "You cannot vote on your own comment.": "ไม่สามารถลงคะแนนให้ความเห็นของตนเองได้",
    "Your comment: others vote on it.": "ความเห็นของคุณ ผู้อื่นเป็นผู้ลงคะแนน",
}
