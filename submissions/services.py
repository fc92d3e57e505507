"""Entering offline submissions: one at a time or a whole spreadsheet, all or nothing. Each
goes through ``comments.services.comment_create`` (channel "offline"), so it is screened like
every other comment."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comments.models import Channel, OfflineVia
from comments.services import comment_create
from consult.dates import format_date
from consult.errors import ServiceError
from consult.models import User
from submissions.models import OfflineSubmission
from topics.models import Consultation, Section

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# The scan's type is read from its first bytes, not from its name or the browser's word.
ATTACHMENT_TYPES = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}


def attachment_check(upload: UploadedFile) -> tuple[str, str]:
    """The content type and extension of an allowed scan, or ServiceError."""
    if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
        raise ServiceError(
            _("The scan can be at most %(mb)s MB.") % {"mb": MAX_ATTACHMENT_BYTES // 2**20},
            code="attachment_size",
            field="attachment",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, kind in ATTACHMENT_TYPES.items():
        if head.startswith(magic):
            return kind
    raise ServiceError(
        _("The scan must be a PDF, PNG or JPEG file."), code="attachment_type", field="attachment"
    )


def _received_at(received_on: date) -> datetime:
    """The comment's time: now if it came today, otherwise noon of the day it was received."""
    now = timezone.localtime()
    if received_on == now.date():
        return now
    return timezone.make_aware(datetime.combine(received_on, time(12, 0)))


def submission_enter(
    *,
    consultation: Consultation,
    entered_by: User | None,
    via: str,
    received_on: date,
    reference: str,
    body: str,
    sender: str = "",
    name_public: bool = False,
    section: Section | None = None,
    stance: str = "",
    attachment: UploadedFile | None = None,
    batch: str = "",
) -> OfflineSubmission:
    """Enter one submission that arrived offline. Raises ServiceError (nothing saved) when it
    is incomplete, a duplicate reference, outside the hearing's dates or refused by screening."""
    reference = (reference or "").strip()
    sender = (sender or "").strip()
    if not reference:
        raise ServiceError(_("Give the reference number."), code="reference", field="reference")
    if len(reference) > 60:
        raise ServiceError(
            _("A reference number can be at most 60 characters."),
            code="reference",
            field="reference",
        )
    if len(sender) > 120:
        raise ServiceError(
            _("A name can be at most 120 characters."), code="sender", field="sender"
        )
    if via not in OfflineVia.values:
        raise ServiceError(_("Say how the submission arrived."), code="via", field="via")
    today = timezone.localdate()
    if received_on > today:
        raise ServiceError(
            _("The date received cannot be in the future."), code="received", field="received_on"
        )
    opens = timezone.localdate(consultation.opens_at) if consultation.opens_at else None
    closes = timezone.localdate(consultation.closes_at) if consultation.closes_at else None
    if (opens and received_on < opens) or (closes and received_on > closes):
        raise ServiceError(
            _("The date received must fall within the hearing (%(opens)s to %(closes)s).")
            % {"opens": format_date(opens), "closes": format_date(closes)},
            code="received",
            field="received_on",
        )
    if OfflineSubmission.objects.filter(consultation=consultation, reference=reference).exists():
        raise ServiceError(
            _("Reference number %(ref)s has already been entered.") % {"ref": reference},
            code="duplicate",
            field="reference",
        )
    kind = attachment_check(attachment) if attachment is not None else None
    try:
        with transaction.atomic():
            comment = comment_create(
                consultation=consultation,
                author=None,
                author_name=sender if (name_public and sender) else "",
                body=body,
                stance=stance,
                section=section,
                channel=Channel.OFFLINE,
                offline_via=via,
                created_at=_received_at(received_on),
            )
            submission = OfflineSubmission(
                consultation=consultation,
                comment=comment,
                reference=reference,
                sender=sender,
                name_public=name_public,
                received_on=received_on,
                entered_by=entered_by,
                batch=batch,
            )
            if attachment is not None and kind is not None:
                submission.attachment_type = kind[0]
                submission.attachment_name = (attachment.name or "")[-120:]
                submission.attachment.save(
                    f"{secrets.token_hex(12)}.{kind[1]}", attachment, save=False
                )
            submission.save()
    except IntegrityError as exc:  # the same reference entered at the same moment
        raise ServiceError(
            _("Reference number %(ref)s has already been entered.") % {"ref": reference},
            code="duplicate",
            field="reference",
        ) from exc
    return submission


@dataclass
class BatchResult:
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    done: bool = False


def batch_import(
    *,
    consultation: Consultation,
    entered_by: User | None,
    rows: list,
    dry_run: bool = False,
) -> BatchResult:
    """Enter every row of a spreadsheet, or none: any row refused (its line number and why)
    leaves nothing entered. ``dry_run`` checks the rows the same way and keeps nothing."""
    result = BatchResult()
    batch = secrets.token_hex(8)
    seen: dict[str, int] = {}
    with transaction.atomic():
        for row in rows:
            if row.errors:
                result.errors.extend((row.line, e) for e in row.errors)
                continue
            if row.reference in seen:
                result.errors.append(
                    (
                        row.line,
                        _("Reference number %(ref)s is also on line %(line)s.")
                        % {"ref": row.reference, "line": seen[row.reference]},
                    )
                )
                continue
            seen[row.reference] = row.line
            try:
                with transaction.atomic():
                    submission_enter(
                        consultation=consultation,
                        entered_by=entered_by,
                        via=row.via,
                        received_on=row.received_on,
                        reference=row.reference,
                        body=row.body,
                        sender=row.sender,
                        name_public=row.name_public,
                        section=row.section,
                        stance=row.stance,
                        batch=batch,
                    )
            except ServiceError as exc:
                result.errors.append((row.line, str(exc.message)))
                continue
            result.imported += 1
        if result.errors or dry_run:
            transaction.set_rollback(True)
            if result.errors:
                result.imported = 0
        else:
            result.done = True
    return result
