"""Comment, reply and vote endpoints. They parse input, check permission, call a service.

Each answers a plain form post with a redirect (pages work without JavaScript) and a
``fetch`` asking for JSON with JSON.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comments import drafts, selectors, services
from comments.forms import CommentForm
from comments.models import Comment, Status
from consult import idempotency, ratelimit
from consult.errors import ServiceError
from consult.security import redirect_to, safe_next
from topics.models import Assurance, Consultation, Phase
from topics.selectors import section_choices, visible_consultation


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _login_redirect(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    if wants_json(request):
        return JsonResponse(
            {"ok": False, "error": _("Please sign in with a verified e-mail address.")}, status=403
        )
    messages.info(request, _("Please sign in with a verified e-mail address to take part."))
    return redirect(f"{reverse('account_login')}?next={consultation.get_absolute_url()}")


def participation_gate(
    request: HttpRequest, consultation: Consultation, action: str
) -> HttpResponse | None:
    """After the permission check: explicit consent first, then the rate limit."""
    if not request.user.has_perm("accounts.give_opinions"):
        message = _("Before your first comment or vote, please read and accept how we use it.")
        if wants_json(request):
            return JsonResponse(
                {"ok": False, "error": message, "consent_url": reverse("accounts:consent")},
                status=403,
            )
        messages.info(request, message)
        return redirect(f"{reverse('accounts:consent')}?next={consultation.get_absolute_url()}")
    limited = ratelimit.hit(request, action)
    if limited is not None:
        return ratelimit.too_many(request, limited)
    return None


def refusal_message(consultation: Consultation) -> str:
    """Why a signed-in person may not take part (the consultation is open or not)."""
    if consultation.phase == Phase.OPEN:
        return _("To take part in this consultation you need: %(level)s.") % {
            "level": Assurance(consultation.min_assurance).label
        }
    if consultation.phase == Phase.CLOSED:
        return _("This consultation has closed.")
    return _("This consultation is not open for comments.")


CONSENT_TICKED = ("on", "yes", "true", "1")


def _signup_redirect(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    """A visitor who wrote a comment: to sign-up (or sign-in), then back to the form."""
    back = _form_url(consultation, request.POST.get("section", ""))
    if wants_json(request):
        return JsonResponse(
            {
                "ok": False,
                "error": _("Your comment is kept. Create an account or sign in to publish it."),
                "signup_url": f"{reverse('account_signup')}?next={back}",
            },
            status=403,
        )
    messages.info(
        request,
        _(
            "Your comment is kept. Create an account (or sign in) and you will come back to "
            "it to publish."
        ),
    )
    return redirect(f"{reverse('account_signup')}?next={quote(back)}")


def _form_url(consultation: Consultation, section: str) -> str:
    """The consultation page showing the comment form, on the section written about."""
    query = f"?section={section}" if section.isdigit() else ""
    return f"{consultation.get_absolute_url()}{query}#comment-form"


def _consent_inline(request: HttpRequest) -> str | None:
    """Consent given with the comment form's box; an error message if it was not given."""
    if request.user.has_perm("accounts.give_opinions"):
        return None
    if request.POST.get("consent", "").lower() not in CONSENT_TICKED:
        return _(
            "Before your first comment, please tick the box to agree to how comments and "
            "votes are used."
        )
    from accounts import services as account_services

    try:
        account_services.consent_give(
            user=request.user,
            notice_version=settings.CONSENT_NOTICE_VERSION,
            language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        )
    except ServiceError as exc:
        return exc.message
    return None


@require_POST
def comment_post(request: HttpRequest, slug: str) -> HttpResponse:
    from topics.views import consultation_detail

    consultation = visible_consultation(slug, request.user, with_moderation_policy=True)
    if consultation is None:
        return HttpResponse(status=404)
    # Whatever refuses the post below, what was typed is kept and comes back in the form.
    drafts.save(request, consultation.pk, request.POST)
    if not request.user.has_perm("comments.add_comment", consultation):
        if not request.user.is_authenticated:
            if consultation.phase == Phase.OPEN:
                return _signup_redirect(request, consultation)
            return _login_redirect(request, consultation)
        return _refuse(request, consultation, refusal_message(consultation))
    # A reply takes its thread's section, so the form offers none to choose from.
    sections = [] if request.POST.get("parent") else section_choices(consultation)
    form = CommentForm(request.POST, consultation=consultation, sections=sections)
    consent_error = _consent_inline(request)
    if consent_error is not None:
        form.is_valid()
        form.add_error("consent", consent_error)
    else:
        limited = ratelimit.hit(request, "comment")
        if limited is not None:
            return ratelimit.too_many(request, limited)
    if consent_error is None and form.is_valid():
        data = form.cleaned_data
        section = None
        if data.get("section") and not data.get("parent"):
            section = next((s for s in sections if s.pk == data["section"]), None)
        try:
            # The service reads the comment replied to (fresh) and refuses a missing one.
            comment = services.comment_create(
                consultation=consultation,
                author=request.user,
                body=data["body"],
                stance=data.get("stance") or "",
                section=section,
                parent_id=data.get("parent"),
                client_key=idempotency.request_key(
                    request,
                    consultation.pk,
                    data["body"],
                    data["stance"],
                    section.pk if section else None,
                    data.get("parent"),
                ),
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            drafts.clear(request, consultation.pk)
            return _created(request, consultation, comment)
    if wants_json(request):
        return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)
    return consultation_detail(request, slug, comment_form=form, status=400)


def _created(request: HttpRequest, consultation: Consultation, comment: Comment) -> HttpResponse:
    if wants_json(request):
        html = render_to_string(
            "comments/_comment.html",
            {
                "comment": comment,
                "consultation": consultation,
                "can_vote": True,
                "can_comment": True,
            },
            request=request,
        )
        return JsonResponse(
            {"ok": True, "id": comment.pk, "status": comment.status, "html": html}, status=201
        )
    if comment.status == Status.PUBLISHED:
        messages.success(request, _("Thank you. Your comment is published."))
    else:
        messages.info(request, _("Thank you. Your comment will appear after review."))
    if comment.root_id and comment.status == Status.PUBLISHED:
        # A reply may be past the few shown under its thread: open the thread at it.
        thread = reverse("comments:thread", args=[consultation.slug, comment.root_id])
        return redirect(f"{thread}?from={comment.pk}#c{comment.pk}")
    return redirect(f"{consultation.get_absolute_url()}#c{comment.pk}")


def thread(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A whole thread: the comment and its replies, oldest first, a page at a time."""
    consultation = visible_consultation(slug, request.user)
    if consultation is None:
        raise Http404(_("No such consultation."))
    root = (
        Comment.objects.select_related("author", "section")
        .filter(consultation=consultation, pk=pk, parent__isnull=True)
        .exclude(status=Status.PENDING)
        .first()
    )
    if root is None:
        raise Http404(_("No such comment."))
    live_seq = selectors.live_position(consultation.pk)  # before the replies are read
    start = request.GET.get("from", "")
    # An id, or nothing: a number too large for the database gives the first page, not an error.
    valid = start.isdigit() and len(start) <= 18
    page = selectors.thread_replies(root, start=int(start) if valid else None)
    shown = [root.pk, *(r.pk for r in page.replies)]
    user = request.user
    return render(
        request,
        "comments/thread.html",
        {
            "consultation": consultation,
            "root": root,
            "page": page,
            "replies": {root.pk: page.replies},
            "in_thread": True,
            "live_seq": live_seq,
            "my_votes": selectors.viewer_votes(user, shown),
            "can_comment": user.has_perm("comments.add_comment", consultation),
            "can_vote": user.has_perm("comments.vote", consultation),
        },
    )


def _refuse(request: HttpRequest, consultation: Consultation, message: str) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"ok": False, "error": message}, status=403)
    messages.error(request, message)
    return redirect(consultation.get_absolute_url())


@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("consultation"), pk=pk)
    consultation = comment.consultation
    if not request.user.has_perm("topics.view_consultation", consultation):
        return HttpResponse(status=404)
    if not request.user.has_perm("comments.vote", consultation):
        if not request.user.is_authenticated:
            return _login_redirect(request, consultation)
        if consultation.phase == Phase.OPEN:
            return _refuse(request, consultation, refusal_message(consultation))
        return _refuse(request, consultation, _("Voting is closed for this consultation."))
    refused = participation_gate(request, consultation, "vote")
    if refused is not None:
        return refused
    try:
        value = int(request.POST.get("value", ""))
        comment = services.vote_cast(comment=comment, user=request.user, value=value)
    except (ValueError, ServiceError) as exc:
        message = (
            exc.message
            if isinstance(exc, ServiceError)
            else _("A vote is agree, disagree or pass.")
        )
        if wants_json(request):
            return JsonResponse({"ok": False, "error": message}, status=400)
        messages.error(request, message)
        return redirect(f"{consultation.get_absolute_url()}#c{comment.pk}")
    if wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "id": comment.pk,
                "value": value,
                "counts": {
                    "agree": comment.agree_count,
                    "disagree": comment.disagree_count,
                    "pass": comment.pass_count,
                },
            }
        )
    back = safe_next(request, request.POST.get("next"), consultation.get_absolute_url())
    return redirect_to(f"{back}#c{comment.pk}")


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author corrects their comment for a short while after posting (screened again)."""
    comment = get_object_or_404(
        Comment.objects.select_related("consultation", "author", "section"), pk=pk
    )
    consultation = comment.consultation
    if not request.user.has_perm("topics.view_consultation", consultation):
        raise Http404(_("No such comment."))
    back = (
        reverse("comments:thread", args=[consultation.slug, comment.root_id])
        if comment.root_id
        else consultation.get_absolute_url()
    )
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    if not request.user.has_perm("comments.change_comment", comment):
        messages.error(
            request,
            _("This comment can no longer be edited (comments can be edited for %(n)s minutes).")
            % {"n": settings.COMMENT_EDIT_MINUTES},
        )
        return redirect(f"{back}#c{comment.pk}")
    error = ""
    body = comment.body
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            comment = services.comment_edit(comment=comment, user=request.user, body=body)
        except ServiceError as exc:
            error = exc.message
        else:
            if comment.status == Status.PUBLISHED:
                messages.success(request, _("Your comment is updated."))
            else:
                messages.info(request, _("Your comment is updated; it will appear after review."))
            return redirect(f"{back}#c{comment.pk}")
    return render(
        request,
        "comments/edit.html",
        {
            "comment": comment,
            "consultation": consultation,
            "body": body,
            "error": error,
            "back": back,
            "deadline": comment.created_at + timedelta(minutes=settings.COMMENT_EDIT_MINUTES),
            "max_length": settings.COMMENT_MAX_LENGTH,
        },
        status=400 if error else 200,
    )
