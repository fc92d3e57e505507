"""Moderation pages and endpoints. They parse input, check permission, call a service.

Citizens: report a comment, see their comments' status, appeal. Moderators: the queue, one
item, decisions (single and bulk), suspensions, a consultation's rules. Everyone: the
transparency report. Every form works without JavaScript.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comments.models import Comment
from consult import ratelimit
from consult.errors import Refused, ServiceError
from consult.security import redirect_to, safe_next
from moderation import selectors, services
from moderation.forms import AppealForm, BulkForm, DecisionForm, FlagForm, PolicyForm, SuspendForm
from moderation.models import Kind, QueueItem, ReasonCode
from topics.models import Consultation
from topics.selectors import visible_consultation

QUEUE_PAGE_SIZE = 25


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request: HttpRequest, fallback: str) -> str:
    return safe_next(request, request.POST.get("next"), fallback)


# --- citizens ------------------------------------------------------------------------------


def _back_get(request: HttpRequest, fallback: str) -> str:
    return safe_next(request, request.GET.get("next"), fallback)


def flag(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a comment: a small form page (GET), then the report itself (POST)."""
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    comment = get_object_or_404(
        Comment.objects.select_related("consultation", "author", "section"), pk=pk
    )
    if not request.user.has_perm("topics.view_consultation", comment.consultation):
        raise Http404
    fallback = comment.consultation.get_absolute_url()
    back = _back(request, fallback) if request.method == "POST" else _back_get(request, fallback)
    if not request.user.is_authenticated:
        messages.info(request, _("Please sign in to report a comment."))
        here = f"{reverse('moderation:flag', args=[comment.pk])}?next={back}"
        return redirect(f"{reverse('account_login')}?next={quote(here)}")
    if not request.user.has_perm("moderation.flag_comment", comment):
        message = _("You cannot report this comment.")
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": message}, status=403)
        messages.error(request, message)
        return redirect_to(f"{back}#c{comment.pk}")
    if request.method == "GET":
        return render(
            request,
            "moderation/flag.html",
            {"comment": comment, "form": FlagForm(), "back": back},
        )
    if (limited := ratelimit.hit(request, "flag")) is not None:
        return ratelimit.too_many(request, limited)
    form = FlagForm(request.POST)
    if not form.is_valid():
        message = _("Choose why you are reporting this comment.")
    else:
        try:
            services.flag_create(
                comment=comment,
                user=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as exc:
            message = exc.message
        else:
            message = ""
    if _wants_json(request):
        return JsonResponse({"ok": not message, "error": message}, status=400 if message else 200)
    if message:
        messages.error(request, message)
        if not form.is_valid():
            return render(
                request,
                "moderation/flag.html",
                {"comment": comment, "form": form, "back": back},
                status=400,
            )
    else:
        messages.success(request, _("Thank you. A moderator will look at this comment."))
    return redirect_to(f"{back}#c{comment.pk}")


@login_required
def my_comments(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "moderation/mine.html",
        {
            "comments": selectors.own_comments(request.user),
            "suspension": selectors.active_suspension(request.user),
            "appeal_form": AppealForm(),
        },
    )


@require_POST
@login_required
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    if not request.user.has_perm("moderation.appeal", comment):
        messages.error(request, _("This comment cannot be appealed."))
        return redirect("moderation:mine")
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_create(
                comment=comment, author=request.user, text=form.cleaned_data["text"]
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Your appeal was sent. A different moderator will decide it.")
            )
    else:
        messages.error(request, _("Please say why the decision should change."))
    return redirect(f"{reverse('moderation:mine')}#c{comment.pk}")


def report(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = visible_consultation(slug, request.user)
    if consultation is None:
        raise Http404
    return render(
        request,
        "moderation/report.html",
        {"consultation": consultation, "report": selectors.transparency_report(consultation)},
    )


# --- moderators ------------------------------------------------------------------------------


def _require_queue(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.get_full_path()}")
    if not request.user.has_perm("moderation.view_queue"):
        raise Refused(_("Only moderators can see the moderation queue."))
    return None


def _filter_choices(request: HttpRequest, qs, filters) -> list[Consultation]:
    """The consultations the filter offers: those in this moderator's queue, or the one asked
    for only if they moderate it (a slug in the URL must not reveal another agency's title)."""
    if not filters.consultation:
        return list(
            Consultation.objects.filter(pk__in=qs.values("consultation_id")).order_by("title")[:200]
        )
    return [
        c
        for c in Consultation.objects.filter(slug=filters.consultation).select_related("agency")
        if request.user.has_perm("topics.moderate", c)
    ]


def queue(request: HttpRequest) -> HttpResponse:
    refused = _require_queue(request)
    if refused is not None:
        return refused
    filters = selectors.QueueFilters.parse(request.GET)
    qs = selectors.queue(request.user, filters)
    page = Paginator(qs, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.queue_rows(list(page.object_list))
    return render(
        request,
        "moderation/queue.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "kinds": Kind.choices,
            "reasons": ReasonCode.choices,
            "ages": [("1h", _("1 hour")), ("24h", _("1 day")), ("7d", _("7 days"))],
            "consultations": _filter_choices(request, qs, filters),
            "form": BulkForm(item_ids=[]),
            "agency_ids": selectors.moderated_agency_ids(request.user),
        },
    )


@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    refused = _require_queue(request)
    if refused is not None:
        return refused
    ids = [int(i) for i in request.POST.getlist("items") if i.isdigit()][:200]
    form = BulkForm(request.POST, item_ids=ids)
    back = _back(request, reverse("moderation:queue"))
    if not form.is_valid() or not ids:
        messages.error(request, _("Choose some items and a decision."))
        return redirect_to(back)
    items = QueueItem.objects.filter(pk__in=ids).select_related("comment", "consultation")
    allowed = [i for i in items if request.user.has_perm("moderation.decide", i)]
    data = form.cleaned_data
    done, skipped = services.decisions_bulk(
        items=allowed,
        moderator=request.user,
        action=data["action"],
        reason=data["reason"],
        note=data["note"],
    )
    refused = {i.pk for i in items} - {i.pk for i in allowed}
    skipped += [f"#{i.comment_id}: {_('not yours to decide')}" for i in items if i.pk in refused]
    messages.success(request, _("%(n)s decided.") % {"n": done})
    for line in skipped[:20]:
        messages.warning(request, line)
    return redirect_to(back)


def _moderated_comment(request: HttpRequest, pk: int) -> Comment:
    comment = selectors.comment_for_moderator(pk)
    if comment is None or not request.user.has_perm("moderation.moderate", comment):
        raise Http404
    return comment


def item(request: HttpRequest, pk: int) -> HttpResponse:
    """One comment under review (``pk`` is the comment's id): original text, findings,
    reports, history, the decision form."""
    refused = _require_queue(request)
    if refused is not None:
        return refused
    comment = _moderated_comment(request, pk)
    return _render_item(request, comment, DecisionForm(), SuspendForm(prefix="suspend"))


def _render_item(
    request: HttpRequest,
    comment: Comment,
    form: DecisionForm,
    suspend_form: SuspendForm,
    status=200,
) -> HttpResponse:
    open_item = selectors.queue_item(comment.pk)
    screening = getattr(comment, "screening", None)
    return render(
        request,
        "moderation/item.html",
        {
            "comment": comment,
            "item": open_item,
            "screening": screening,
            "can_see_original": request.user.has_perm("moderation.view_original", comment),
            "can_decide": open_item is None
            or request.user.has_perm("moderation.decide", open_item),
            "flags": selectors.comment_flags(comment),
            "history": selectors.comment_history(comment),
            "appeal": getattr(comment, "appeal", None),
            "author_suspension": selectors.active_suspension(comment.author),
            "can_suspend": request.user.has_perm("moderation.suspend", comment),
            "revisions": list(comment.revisions.all()[:20]),
            "form": form,
            "suspend_form": suspend_form,
        },
        status=status,
    )


@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _require_queue(request)
    if refused is not None:
        return refused
    comment = _moderated_comment(request, pk)
    open_item = selectors.queue_item(comment.pk)
    if open_item is None or not request.user.has_perm("moderation.decide", open_item):
        messages.error(request, _("This item is no longer in the queue."))
        return redirect("moderation:queue")
    if request.POST.get("release"):
        services.queue_release(item=open_item, moderator=request.user)
        return redirect("moderation:queue")
    got = services.queue_claim(item=open_item, moderator=request.user)
    if _wants_json(request):
        return JsonResponse({"ok": got}, status=200 if got else 409)
    if not got:
        messages.warning(request, _("Another moderator has just taken this item."))
        return redirect("moderation:queue")
    return redirect("moderation:item", pk=comment.pk)


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _require_queue(request)
    if refused is not None:
        return refused
    comment = _moderated_comment(request, pk)
    open_item = selectors.queue_item(comment.pk)
    if open_item is not None and not request.user.has_perm("moderation.decide", open_item):
        messages.error(
            request, _("Another moderator must decide an appeal against your own decision.")
        )
        return redirect("moderation:item", pk=comment.pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        seen = data.get("item")
        if seen and (open_item is None or open_item.pk != seen):
            form.add_error(None, _("Another moderator is deciding this item, or already has."))
            return _render_item(request, comment, form, SuspendForm(prefix="suspend"), status=409)
        try:
            services.decision_record(
                comment=comment,
                moderator=request.user,
                action=data["action"],
                reason=data["reason"],
                note=data["note"],
                item=open_item if seen else None,
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("moderation:queue")
    return _render_item(request, comment, form, SuspendForm(prefix="suspend"), status=400)


@require_POST
def lift_suspension(request: HttpRequest, pk: int) -> HttpResponse:
    """End the current suspension of a comment's author early (from the comment's review page)."""
    refused = _require_queue(request)
    if refused is not None:
        return refused
    comment = _moderated_comment(request, pk)
    if not request.user.has_perm("moderation.lift_suspension", comment):
        raise Refused(_("Only platform moderators can lift a suspension."))
    suspension = selectors.active_suspension(comment.author)
    if suspension is None:
        messages.info(request, _("The author is not suspended."))
    else:
        while suspension is not None:  # overlapping suspensions all end
            services.suspension_lift(suspension=suspension, moderator=request.user)
            suspension = selectors.active_suspension(comment.author)
        messages.success(request, _("The suspension is lifted."))
    return redirect(reverse("moderation:item", args=[comment.pk]))


@require_POST
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _require_queue(request)
    if refused is not None:
        return refused
    comment = _moderated_comment(request, pk)
    if comment.author is None:
        raise Http404
    if not request.user.has_perm("moderation.suspend", comment):
        raise Refused(_("Only platform moderators can suspend an author."))
    form = SuspendForm(request.POST, prefix="suspend")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.suspension_create(
                user=comment.author,
                moderator=request.user,
                days=data["days"],
                reason=data["reason"],
                note=data["note"],
                consultation=comment.consultation,
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The author is suspended."))
            return redirect("moderation:item", pk=comment.pk)
    return _render_item(request, comment, DecisionForm(), form, status=400)


def policy(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = get_object_or_404(Consultation, slug=slug)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.get_full_path()}")
    if not request.user.has_perm("moderation.change_policy", consultation):
        raise Http404
    current = services.policy_for(consultation)
    form = PolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.policy_set(consultation=consultation, changed_by=request.user, **values)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The moderation rules are saved."))
            return redirect("moderation:policy", slug=slug)
    return render(
        request,
        "moderation/policy.html",
        {"consultation": consultation, "form": form},
        status=400 if request.method == "POST" else 200,
    )
