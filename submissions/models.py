"""What agency staff entered from paper, phone, public meetings and e-mail. The text itself is
a comment (channel "offline", comments app); this row keeps what only staff see: the sender as
given, the reference number, the scan, who entered it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from comments.models import Comment
from submissions.storage import private_storage
from topics.models import Consultation


def _attachment_path(instance: OfflineSubmission, filename: str) -> str:
    return f"submissions/{instance.consultation_id}/{filename}"


class OfflineSubmission(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="offline_submissions"
    )
    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, related_name="offline_submission"
    )
    reference = models.CharField(_("reference number"), max_length=60)
    sender = models.CharField(_("name or organisation as given"), max_length=120, blank=True)
    name_public = models.BooleanField(_("the sender agreed to be named"), default=False)
    received_on = models.DateField(_("date received"))
    attachment = models.FileField(
        storage=private_storage, upload_to=_attachment_path, blank=True, max_length=200
    )
    attachment_type = models.CharField(max_length=40, blank=True)
    attachment_name = models.CharField(max_length=120, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    batch = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-entered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "reference"], name="offline_unique_reference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.consultation_id})"
