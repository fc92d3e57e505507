"""Workspace screens for offline submissions. Views parse, check a permission from
topics/rules.py and call submissions/services.py."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from comments.models import CommentStance, OfflineVia, Status
from consult.errors import ServiceError
from submissions import services, spreadsheet
from submissions.forms import BatchForm, EntryForm
from submissions.models import OfflineSubmission
from submissions.storage import private_storage
from topics.models import Consultation

HOLD_SALT = "submissions.batch"
HOLD_SECONDS = 3600


def _allowed(request: HttpRequest, slug: str, perm: str) -> Consultation | HttpResponse:
    consultation = get_object_or_404(Consultation.objects.select_related("agency"), slug=slug)
    if not request.user.has_perm("topics.view_consultation", consultation):
        raise Http404(_("No such consultation."))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm, consultation):
        raise PermissionDenied
    return consultation


@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _allowed(request, slug, "topics.enter_submissions")
    if isinstance(consultation, HttpResponse):
        return consultation
    form = EntryForm(request.POST or None, request.FILES or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = services.submission_enter(
                consultation=consultation,
                entered_by=request.user,
                via=data["via"],
                received_on=data["received_on"],
                reference=data["reference"],
                body=data["body"],
                sender=data["sender"],
                name_public=data["name_public"],
                section=data["section"],
                stance=data["stance"] or "",
                attachment=data.get("attachment"),
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if submission.comment.status == Status.PUBLISHED:
                messages.success(
                    request,
                    _("Submission %(ref)s entered and published.") % {"ref": submission.reference},
                )
            else:
                messages.info(
                    request,
                    _("Submission %(ref)s entered; it awaits review by a moderator.")
                    % {"ref": submission.reference},
                )
            return redirect("submissions:enter", slug=consultation.slug)
    entered = (
        OfflineSubmission.objects.filter(consultation=consultation)
        .select_related("comment", "comment__section")
        .order_by("-entered_at", "-id")[:50]
    )
    return render(
        request,
        "submissions/enter.html",
        {
            "consultation": consultation,
            "form": form,
            "entered": entered,
            "total": OfflineSubmission.objects.filter(consultation=consultation).count(),
        },
    )


def _hold_file(request: HttpRequest, consultation: Consultation, data: bytes, name: str) -> str:
    """Keep the checked file privately until it is confirmed; a signed ticket names it, for
    this editor and this consultation only."""
    stash = private_storage.save(f"batches/{secrets.token_hex(16)}", ContentFile(data))
    return signing.dumps(
        {"f": stash, "n": name[:200], "c": consultation.pk, "u": request.user.pk}, salt=HOLD_SALT
    )


def _held_file(request: HttpRequest, consultation: Consultation) -> tuple[str, str] | None:
    try:
        ticket = signing.loads(request.POST.get("held", ""), salt=HOLD_SALT, max_age=HOLD_SECONDS)
    except signing.BadSignature:
        return None
    if ticket.get("c") != consultation.pk or ticket.get("u") != request.user.pk:
        return None
    if not private_storage.exists(ticket["f"]):
        return None
    return ticket["f"], ticket["n"]


@require_http_methods(["GET", "POST"])
def batch(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload → preview (every row checked, nothing kept) → import all or nothing. The checked
    file is kept privately for an hour under a signed ticket, and checked again on import."""
    consultation = _allowed(request, slug, "topics.enter_submissions")
    if isinstance(consultation, HttpResponse):
        return consultation
    context: dict = {
        "consultation": consultation,
        "columns": spreadsheet.COLUMNS,
        "via_labels": dict(OfflineVia.choices),
        "stance_labels": dict(CommentStance.choices),
    }
    form = BatchForm()
    if request.method == "POST":
        confirm = request.POST.get("confirm") == "1"
        if confirm:
            held = _held_file(request, consultation)
            if held is None:
                context["problem"] = _("Upload the file again: the checked copy has expired.")
                return render(request, "submissions/batch.html", {**context, "form": form})
            stash, filename = held
            with private_storage.open(stash, "rb") as fh:
                data = fh.read()
        else:
            form = BatchForm(request.POST, request.FILES)
            if not form.is_valid():
                return render(request, "submissions/batch.html", {**context, "form": form})
            upload = form.cleaned_data["file"]
            if upload.size > spreadsheet.MAX_BYTES:
                form.add_error("file", _("The file can be at most 2 MB."))
                return render(request, "submissions/batch.html", {**context, "form": form})
            data = upload.read()
            filename = upload.name or ""
        try:
            rows = spreadsheet.read(data, filename, consultation)
        except spreadsheet.SpreadsheetError as exc:
            context["problem"] = str(exc)
            return render(request, "submissions/batch.html", {**context, "form": form})
        result = services.batch_import(
            consultation=consultation, entered_by=request.user, rows=rows, dry_run=not confirm
        )
        if confirm:  # entered, or refused and to be uploaded again: the copy is done with
            private_storage.delete(stash)
        if result.done:
            messages.success(
                request,
                _("%(n)s submissions entered.") % {"n": result.imported},
            )
            return redirect("submissions:enter", slug=consultation.slug)
        errors_by_line: dict[int, list[str]] = {}
        for line, message in result.errors:
            errors_by_line.setdefault(line, []).append(message)
        context.update(
            {
                "form": form,
                "rows": [(r, errors_by_line.get(r.line, [])) for r in rows],
                "errors": result.errors,
                "held": _hold_file(request, consultation, data, filename)
                if not result.errors
                else "",
                "confirmed": confirm,
            }
        )
        return render(request, "submissions/batch.html", context)
    return render(request, "submissions/batch.html", {**context, "form": form})


def attachment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = _allowed(request, slug, "topics.view_submission_files")
    if isinstance(consultation, HttpResponse):
        return consultation
    submission = get_object_or_404(OfflineSubmission, pk=pk, consultation=consultation)
    if not submission.attachment:
        raise Http404(_("This submission has no scan."))
    response = FileResponse(
        submission.attachment.open("rb"),
        content_type=submission.attachment_type or "application/octet-stream",
        as_attachment=True,
        filename=f"{submission.reference}.{submission.attachment.name.rsplit('.', 1)[-1]}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
