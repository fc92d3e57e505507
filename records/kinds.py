"""What each kind of entry records, in words (the kind itself is part of the entry)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "comment.created": _("Comment or reply posted"),
    "comment.edited": _("Comment edited"),
    "comment.status": _("Moderation status changed"),
    "vote.cast": _("Vote cast"),
    "position.set": _("Position on the draft"),
    "consultation.published": _("Consultation published"),
    "consultation.extended": _("Consultation extended"),
    "consultation.closed": _("Consultation closed"),
    "report.published": _("Hearing report published"),
    "conversation.imported": _("Comments and votes imported"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))
