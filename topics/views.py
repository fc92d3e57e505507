"""Public consultation pages. Views parse input, check permission and call selectors/services."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comments import drafts as comment_drafts
from comments import selectors as comment_selectors
from comments.forms import CommentForm
from comments.views import participation_gate, refusal_message, wants_json
from consult.errors import ServiceError
from topics import selectors, services
from topics.models import (
    ANSWER_TEXT_MAX,
    Agency,
    Category,
    Consultation,
    Kind,
    Phase,
    PublicState,
    Question,
    QuestionKind,
)


def consultation_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.ListFilters(
        q=request.GET.get("q", "").strip()[:200],
        agency=request.GET.get("agency", ""),
        status=request.GET.get("status", ""),
        kind=request.GET.get("kind", ""),
        category=request.GET.get("category", ""),
    )
    page = Paginator(selectors.consultation_list(filters), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "topics/list.html",
        {
            "page": page,
            "filters": filters,
            "agencies": Agency.objects.all(),
            "kinds": Kind.choices,
            "categories": Category.choices,
            "statuses": [
                (PublicState.UPCOMING, PublicState.UPCOMING.label),
                (PublicState.OPEN, PublicState.OPEN.label),
                (PublicState.CLOSED, PublicState.CLOSED.label),
                (PublicState.REPORTED, PublicState.REPORTED.label),
            ],
        },
    )


@dataclass(frozen=True)
class QuestionItem:
    """One question on the public page, with the person's answer and any error."""

    question: Question
    value: str
    error: str
    options: list[tuple[str, str]]


def _question_items(
    consultation: Consultation,
    user,
    values: dict[int, str] | None,
    errors: dict[int, str] | None,
) -> list[QuestionItem]:
    questions = selectors.questions_of(consultation)
    if not questions:
        return []
    current = selectors.own_answers(consultation, user) if values is None else values
    errors = errors or {}
    return [
        QuestionItem(
            question=q,
            value=current.get(q.pk, ""),
            error=errors.get(q.pk, ""),
            options=selectors.answer_options(q) if q.kind != QuestionKind.TEXT else [],
        )
        for q in questions
    ]


def consultation_detail(
    request: HttpRequest,
    slug: str,
    *,
    comment_form: CommentForm | None = None,
    answer_values: dict[int, str] | None = None,
    answer_errors: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    consultation = selectors.visible_consultation(slug, request.user)
    if consultation is None:
        raise Http404(_("No such consultation."))
    sections = selectors.sections_of(consultation)
    section_param = request.GET.get("section", "")
    section = None
    general_only = section_param == "general"
    if section_param.isdigit():
        section = next((s for s in sections if s.pk == int(section_param)), None)
    sort = request.GET.get("sort", "newest")
    if sort not in comment_selectors.SORTS:
        sort = "newest"
    # Before the comments are read: the page's live connection catches up from here.
    live_seq = comment_selectors.live_position(consultation.pk)
    try:
        page = comment_selectors.thread_page(
            consultation,
            section_id=section.pk if section else None,
            general_only=general_only,
            sort=sort,
            after=request.GET.get("after") or None,
        )
    except comment_selectors.BadCursor:
        page = comment_selectors.thread_page(
            consultation,
            section_id=section.pk if section else None,
            general_only=general_only,
            sort=sort,
        )
    shown = [c.pk for c in page.comments] + [r.pk for rs in page.replies.values() for r in rs]
    user = request.user
    can_comment = user.has_perm("comments.add_comment", consultation)
    draft = comment_drafts.load(request, consultation.pk) if comment_form is None else None
    if comment_form is None and draft is not None:
        # What the person typed before a refusal (sign-up, consent, a limit...) comes back.
        comment_form = CommentForm(
            consultation=consultation,
            sections=sections,
            initial={
                "body": draft["body"],
                "stance": draft["stance"],
                "section": draft["section"] or (section.pk if section else ""),
                "parent": draft["parent"],
                "consent": draft["consent"] in ("on", "yes", "true", "1"),
            },
        )
        comment_form.from_draft = True
    elif comment_form is None:
        comment_form = CommentForm(
            consultation=consultation,
            sections=sections,
            initial={"section": section.pk if section else ""},
        )
    else:  # a refused post shown again: its form may have been a reply's, without sections
        comment_form.offer_sections(sections)
    counts = selectors.position_counts(consultation)
    return render(
        request,
        "topics/detail.html",
        {
            "consultation": consultation,
            "phase": consultation.phase,
            "sections": sections,
            "sections_key": selectors.sections_digest(sections),
            "current_section": section,
            "general_only": general_only,
            "sort": sort,
            "sorts": [
                ("newest", _("Newest")),
                ("agreed", _("Most agreed")),
                ("divisive", _("Most divisive")),
            ],
            "page": page,
            "live_seq": live_seq,
            "my_votes": comment_selectors.viewer_votes(user, shown),
            "my_pending": comment_selectors.own_pending(consultation, user),
            "offline_count": comment_selectors.offline_count(consultation),
            "form": comment_form,
            "can_comment": can_comment,
            "can_vote": user.has_perm("comments.vote", consultation),
            "can_take_position": user.has_perm("topics.take_position", consultation),
            "needs_consent": user.is_authenticated and not user.has_perm("accounts.give_opinions"),
            # A visitor may write first; posting leads to sign-up and back, the text kept.
            "visitor_form": not user.is_authenticated and consultation.phase == Phase.OPEN,
            "draft_parent": draft["parent"] if draft and draft["parent"].isdigit() else "",
            "participation_need": refusal_message(consultation),
            "question_items": _question_items(consultation, user, answer_values, answer_errors),
            "answer_errors": bool(answer_errors),
            "can_answer": user.has_perm("topics.answer_questions", consultation),
            "answer_text_max": ANSWER_TEXT_MAX,
            "position_counts": counts,
            "position_total": sum(counts.values()),
            "my_position": selectors.own_position(consultation, user),
            "positions": [
                ("support", _("Support")),
                ("oppose", _("Oppose")),
                ("undecided", _("Undecided")),
            ],
        },
        status=status,
    )


@require_POST
def position(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.visible_consultation(slug, request.user)
    if consultation is None:
        raise Http404
    if not request.user.has_perm("topics.take_position", consultation):
        if request.user.is_authenticated:
            message = refusal_message(consultation)
        else:
            message = _("Please sign in with a verified e-mail address to take part.")
        if wants_json(request):
            return JsonResponse({"ok": False, "error": message}, status=403)
        messages.info(request, message)
        return redirect(consultation.get_absolute_url())
    refused = participation_gate(request, consultation, "vote")
    if refused is not None:
        return refused
    try:
        services.position_set(
            consultation=consultation, user=request.user, value=request.POST.get("value", "")
        )
    except ServiceError as exc:
        if wants_json(request):
            return JsonResponse({"ok": False, "error": exc.message}, status=400)
        messages.error(request, exc.message)
    else:
        if wants_json(request):
            return JsonResponse({"ok": True, "counts": selectors.position_counts(consultation)})
        messages.success(request, _("Your position is recorded."))
    return redirect(f"{consultation.get_absolute_url()}#position")


@require_POST
def answers(request: HttpRequest, slug: str) -> HttpResponse:
    """Save the person's answers to the agency's questions; the same rules as a position."""
    consultation = selectors.visible_consultation(slug, request.user)
    if consultation is None:
        raise Http404
    if not request.user.has_perm("topics.answer_questions", consultation):
        if request.user.is_authenticated:
            message = refusal_message(consultation)
        else:
            message = _("Please sign in with a verified e-mail address to take part.")
        if wants_json(request):
            return JsonResponse({"ok": False, "error": message}, status=403)
        messages.info(request, message)
        return redirect(f"{consultation.get_absolute_url()}#questions")
    refused = participation_gate(request, consultation, "vote")
    if refused is not None:
        return refused
    data = {
        q.pk: request.POST[f"q{q.pk}"]
        for q in selectors.questions_of(consultation)
        if f"q{q.pk}" in request.POST
    }
    try:
        services.answers_submit(consultation=consultation, user=request.user, data=data)
    except services.AnswersRefused as exc:
        if wants_json(request):
            return JsonResponse(
                {"ok": False, "error": exc.message, "errors": exc.errors}, status=400
            )
        messages.error(request, exc.message)
        return consultation_detail(
            request, slug, answer_values=data, answer_errors=exc.errors, status=400
        )
    except ServiceError as exc:
        if wants_json(request):
            return JsonResponse({"ok": False, "error": exc.message}, status=400)
        messages.error(request, exc.message)
    else:
        if wants_json(request):
            return JsonResponse({"ok": True})
        messages.success(
            request, _("Your answers are saved. You can change them until the consultation closes.")
        )
    return redirect(f"{consultation.get_absolute_url()}#questions")
