"""The public REST API, ``/api/v1/`` (django-ninja; OpenAPI 3.1 at ``/api/v1/openapi.json``).

Reads are anonymous. Writes act as the person: a personal token with the write scope, or the
site's own session (with its CSRF token). Every write asks the same permission predicates,
the same consent rule and the same rate limits as the pages, and goes through the same
services (screening included), so the two paths cannot drift apart. Errors are RFC 9457
problem details in the request's language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja import Status as Reply
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from analytics.rendering import current_opinion
from comments import selectors as comment_selectors
from comments import services as comment_services
from comments.models import Comment, CommentStance, Status
from comments.views import refusal_message
from consult import ratelimit
from consult.errors import ServiceError
from moderation import services as moderation_services
from moderation.selectors import transparency_report
from moderation.templatetags.moderation_tags import reason_label
from opendata.package import report_document
from topics import selectors as topic_selectors
from topics import services as topic_services
from topics.models import Agency, Consultation, Phase

PROBLEM = "application/problem+json"


class Problem(Exception):
    """An RFC 9457 problem: ``code`` is stable (also the last part of ``type``)."""

    def __init__(
        self, status: int, code: str, detail: str, *, retry_after: int | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.retry_after = retry_after


TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Invalid input",
    429: "Too many requests",
}


def problem_response(
    request: HttpRequest,
    status: int,
    code: str,
    detail: str,
    *,
    retry_after: int | None = None,
    errors: list[Any] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"{request.build_absolute_uri('/api/v1/docs')}#problem-{code}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.path,
    }
    if errors is not None:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


class TokenAuth(HttpBearer):
    """A personal API token (checked by ``api.urls.guard`` before the endpoint runs)."""

    openapi_description = (
        "A personal API token from your profile page: `Authorization: Bearer ct_...`"
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return request.user if getattr(request, "api_token", None) is not None else None


WRITE_AUTH = [TokenAuth(), django_auth]


class ProblemAPI(NinjaAPI):
    """Documents error responses as ``application/problem+json``, which is what they are."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status) >= "400" and "application/json" in content:
                        response["content"] = {PROBLEM: content["application/json"]}
                if "requestBody" in operation:
                    # a body that is not valid JSON or not the documented shape
                    operation["responses"].setdefault(
                        "422",
                        {
                            "description": "Invalid input",
                            "content": {
                                PROBLEM: {"schema": {"$ref": "#/components/schemas/ProblemOut"}}
                            },
                        },
                    )
        return schema


api = ProblemAPI(
    title="Public Hearing API",
    version="1",
    description=(
        "Read consultations, comments, counts, opinion groups and moderation reports; write "
        "comments, replies, votes, positions and reports as yourself with a personal token. "
        "Errors are RFC 9457 problem details (`application/problem+json`)."
    ),
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(Problem)
def _problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return problem_response(request, exc.status, exc.code, exc.detail, retry_after=exc.retry_after)


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return problem_response(request, 400, exc.code, exc.message)


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"loc": [str(part) for part in e.get("loc", [])], "msg": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    return problem_response(request, 422, "invalid", _("The request is not valid."), errors=errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        request, 401, "login_required", _("Please sign in with a verified e-mail address.")
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(request, exc.status_code, "error", str(exc))


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, 404, "not_found", _("Not found."))


api.add_exception_handler(Comment.DoesNotExist, _not_found)


# --- schemas ----------------------------------------------------------------------------------


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str


class AgencyOut(Schema):
    slug: str
    name_th: str
    name_en: str


class ConsultationOut(Schema):
    slug: str
    title: str
    summary: str
    agency: AgencyOut
    kind: str
    category: str
    language: str
    state: str
    opens_at: datetime
    closes_at: datetime
    published_at: datetime | None
    comment_count: int
    url: str
    data_url: str


class SectionOut(Schema):
    id: int
    position: int
    number: str
    heading: str
    text: str
    comment_count: int


class ConsultationDetailOut(ConsultationOut):
    body_html: str
    sections: list[SectionOut]


class CountsOut(Schema):
    comments: int
    support: int
    oppose: int
    undecided: int


class CommentOut(Schema):
    id: int
    external_id: str
    parent: int | None
    root: int | None
    section: int | None
    author: str | None = Field(description="Public display name or pseudonym; null if hidden")
    stance: str
    status: str
    status_reason: str = Field(description="The public reason of a hidden or removed comment")
    body: str | None = Field(description="The text; null for a hidden or removed comment")
    created_at: datetime
    edited_at: datetime | None
    channel: str
    agree: int
    disagree: int
    pass_: int = Field(alias="pass")
    replies: int


class CommentPage(Schema):
    items: list[CommentOut]
    next: str | None


class ConsultationPage(Schema):
    items: list[ConsultationOut]
    next: str | None


class OpinionGroupOut(Schema):
    id: int
    size: int
    representative: list[dict[str, Any]]


class OpinionOut(Schema):
    computed_at: datetime | None
    k: int
    groups: list[OpinionGroupOut]
    consensus: list[dict[str, Any]]


class CountItem(Schema):
    code: str
    label: str
    count: int


class ModerationReportOut(Schema):
    comments_total: int
    by_status: dict[str, int]
    decisions: list[CountItem]
    automatic: list[CountItem]
    reasons: list[CountItem]
    flags: list[CountItem]
    median_decision_seconds: float | None
    pending: int
    appeals: dict[str, int]


class CommentIn(Schema):
    body: str = Field(max_length=20000)
    stance: Literal["support", "oppose", "neutral", "suggestion"] = "neutral"
    section: int | None = None
    parent: int | None = None


class VoteIn(Schema):
    value: Literal[1, -1, 0]


class VoteOut(Schema):
    id: int
    value: int
    agree: int
    disagree: int
    pass_: int = Field(alias="pass")


class PositionIn(Schema):
    value: Literal["support", "oppose", "undecided"]


class FlagIn(Schema):
    reason: str = Field(max_length=40)
    note: str = Field("", max_length=500)


class OkOut(Schema):
    ok: bool


class MeOut(Schema):
    display_name: str
    scope: str


ERRORS: dict[int, Any] = {400: ProblemOut, 404: ProblemOut, 422: ProblemOut}
WRITE_ERRORS: dict[int, Any] = {
    **ERRORS,
    401: ProblemOut,
    403: ProblemOut,
    429: ProblemOut,
}


# --- helpers ----------------------------------------------------------------------------------


def _consultation_out(c: Consultation) -> dict[str, Any]:
    return {
        "slug": c.slug,
        "title": c.title,
        "summary": c.summary,
        "agency": c.agency,
        "kind": c.kind,
        "category": c.category,
        "language": c.language,
        "state": c.phase,
        "opens_at": c.opens_at,
        "closes_at": c.closes_at,
        "published_at": c.published_at,
        "comment_count": c.comment_count,
        "url": c.get_absolute_url(),
        "data_url": f"{c.get_absolute_url()}data/",
    }


def _comment_out(c: Comment) -> dict[str, Any]:
    shown = c.status == Status.PUBLISHED
    return {
        "id": c.pk,
        "external_id": c.external_id,
        "parent": c.parent_id,
        "root": c.root_id,
        "section": c.section_id,
        "author": c.display_author if shown else None,
        "stance": c.stance,
        "status": c.status,
        "status_reason": "" if shown else reason_label(c.status_reason),
        "body": c.body if shown else None,
        "created_at": c.created_at,
        "edited_at": c.edited_at,
        "channel": c.channel,
        "agree": c.agree_count,
        "disagree": c.disagree_count,
        "pass": c.pass_count,
        "replies": c.reply_count,
    }


def _visible(request: HttpRequest, slug: str) -> Consultation:
    consultation = topic_selectors.visible_consultation(slug, request.user)
    if consultation is None:
        raise Problem(404, "not_found", _("No such consultation."))
    return consultation


def _comment(request: HttpRequest, pk: int) -> Comment:
    comment = (
        Comment.objects.select_related("consultation", "consultation__agency")
        .filter(pk=pk)
        .exclude(status=Status.PENDING)
        .first()
    )
    if comment is None or not request.user.has_perm(
        "topics.view_consultation", comment.consultation
    ):
        raise Problem(404, "not_found", _("No such comment."))
    return comment


def _writer(request: HttpRequest) -> None:
    """A token used for a write must have the write scope."""
    token = getattr(request, "api_token", None)
    if token is not None and token.scope != "write":
        raise Problem(
            403, "insufficient_scope", _("This token may only read. Create one with write scope.")
        )


def _gate(request: HttpRequest, consultation: Consultation, perm: str, action: str) -> None:
    """The pages' order: permission, then consent, then the rate limit."""
    _writer(request)
    if not request.user.has_perm(perm, consultation):
        raise Problem(403, "not_allowed", refusal_message(consultation))
    if not request.user.has_perm("accounts.give_opinions"):
        raise Problem(
            403,
            "consent_required",
            _("Before your first comment or vote, please read and accept how we use it."),
        )
    limited = ratelimit.hit(request, action)
    if limited is not None:
        raise Problem(
            429,
            "rate_limited",
            _("Too many attempts. Please try again in %(n)s seconds.") % {"n": limited.retry_after},
            retry_after=limited.retry_after,
        )


def _decode_int_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    if not cursor.isdigit() or len(cursor) > 18:
        raise Problem(400, "bad_cursor", _("This page address is not valid."))
    return int(cursor)


# --- reads ------------------------------------------------------------------------------------


@api.get("/agencies", response=list[AgencyOut], tags=["read"])
def agencies(request: HttpRequest) -> Any:
    return list(Agency.objects.order_by("slug"))


class ConsultationFilters(Schema):
    agency: str = ""
    kind: str = ""
    category: str = ""
    state: Literal["", "open", "upcoming", "closed"] = ""
    q: str = Field("", max_length=200)
    opens_after: datetime | None = None
    opens_before: datetime | None = None
    cursor: str | None = None
    limit: int = Field(20, ge=1, le=100)


@api.get(
    "/consultations",
    response={200: ConsultationPage, 400: ProblemOut, 422: ProblemOut},
    tags=["read"],
)
def consultations(request: HttpRequest, filters: Query[ConsultationFilters]) -> Any:
    qs = topic_selectors.consultation_list(
        topic_selectors.ListFilters(
            q=filters.q,
            agency=filters.agency,
            status=filters.state,
            kind=filters.kind,
            category=filters.category,
        )
    ).order_by("-id")
    if filters.opens_after:
        qs = qs.filter(opens_at__gte=filters.opens_after)
    if filters.opens_before:
        qs = qs.filter(opens_at__lt=filters.opens_before)
    after = _decode_int_cursor(filters.cursor)
    if after is not None:
        qs = qs.filter(pk__lt=after)
    rows = list(qs[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return {
        "items": [_consultation_out(c) for c in rows],
        "next": str(rows[-1].pk) if more else None,
    }


@api.get(
    "/consultations/{slug}", response={200: ConsultationDetailOut, 404: ProblemOut}, tags=["read"]
)
def consultation(request: HttpRequest, slug: str) -> Any:
    c = _visible(request, slug)
    return {
        **_consultation_out(c),
        "body_html": c.body,
        "sections": topic_selectors.sections_of(c),
    }


@api.get(
    "/consultations/{slug}/comments",
    response={200: CommentPage, 400: ProblemOut, 404: ProblemOut, 422: ProblemOut},
    tags=["read"],
)
def comments(
    request: HttpRequest,
    slug: str,
    sort: Literal["newest", "agreed", "divisive"] = "newest",
    section: int | None = None,
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(20, ge=1, le=100),
) -> Any:
    """Top-level comments (a page at a time, keyset cursor), each followed by its first
    replies; hidden and removed comments are placeholders with the public reason."""
    c = _visible(request, slug)
    if section is not None and not c.sections.filter(pk=section).exists():
        raise Problem(404, "not_found", _("No such section."))
    try:
        page = comment_selectors.thread_page(
            c, section_id=section, sort=sort, after=cursor or None, page_size=limit
        )
    except comment_selectors.BadCursor:
        raise Problem(400, "bad_cursor", _("This page address is not valid.")) from None
    items = []
    for root in page.comments:
        items.append(_comment_out(root))
        items += [_comment_out(r) for r in page.replies.get(root.pk, [])]
    return {"items": items, "next": page.next_cursor}


@api.get(
    "/comments/{comment_id}",
    response={200: CommentOut, 404: ProblemOut},
    tags=["read"],
)
def comment(request: HttpRequest, comment_id: int) -> Any:
    found = _comment(request, comment_id)
    return _comment_out(comment_selectors.for_cards(Comment.objects.filter(pk=found.pk)).get())


@api.get(
    "/comments/{comment_id}/replies",
    response={200: CommentPage, 400: ProblemOut, 404: ProblemOut},
    tags=["read"],
)
def replies(request: HttpRequest, comment_id: int, cursor: str | None = None) -> Any:
    """All replies in a thread, oldest first; the cursor is the id of the next reply."""
    root = _comment(request, comment_id)
    if root.parent_id is not None:
        raise Problem(404, "not_found", _("No such comment."))
    page = comment_selectors.thread_replies(root, start=_decode_int_cursor(cursor))
    return {
        "items": [_comment_out(r) for r in page.replies],
        "next": str(page.next_from) if page.next_from else None,
    }


@api.get("/consultations/{slug}/counts", response={200: CountsOut, 404: ProblemOut}, tags=["read"])
def counts(request: HttpRequest, slug: str) -> Any:
    c = _visible(request, slug)
    positions = topic_selectors.position_counts(c)
    return {
        "comments": c.comment_count,
        "support": positions.get("support", 0),
        "oppose": positions.get("oppose", 0),
        "undecided": positions.get("undecided", 0),
    }


@api.get(
    "/consultations/{slug}/opinion", response={200: OpinionOut, 404: ProblemOut}, tags=["read"]
)
def opinion(request: HttpRequest, slug: str) -> Any:
    """The public opinion map: groups with their representative comments, and consensus.
    Which participant is in which group is not published."""
    c = _visible(request, slug)
    result, _version, computed_at = current_opinion(c)
    return {
        "computed_at": computed_at,
        "k": int(result.get("k", 0) or 0),
        "groups": [
            {
                "id": g.get("id", 0),
                "size": g.get("size", 0),
                "representative": g.get("representative", []),
            }
            for g in result.get("groups", [])
        ],
        "consensus": result.get("consensus", []),
    }


@api.get(
    "/consultations/{slug}/moderation",
    response={200: ModerationReportOut, 404: ProblemOut},
    tags=["read"],
)
def moderation_report(request: HttpRequest, slug: str) -> Any:
    c = _visible(request, slug)
    report = transparency_report(c)

    def items(rows: list[tuple[str, str, int]]) -> list[dict[str, Any]]:
        return [{"code": code, "label": str(label), "count": n} for code, label, n in rows]

    return {
        "comments_total": report.comments_total,
        "by_status": report.by_status,
        "decisions": items(report.decisions),
        "automatic": items(report.automatic),
        "reasons": items(report.reasons),
        "flags": items(report.flags),
        "median_decision_seconds": report.median_decision.total_seconds()
        if report.median_decision
        else None,
        "pending": report.pending,
        "appeals": report.appeals,
    }


@api.get("/consultations/{slug}/report", response={200: dict, 404: ProblemOut}, tags=["read"])
def hearing_report(request: HttpRequest, slug: str) -> Any:
    """The published hearing report, when there is one."""
    c = _visible(request, slug)
    document = report_document(c)
    if document is None:
        raise Problem(404, "not_found", _("No hearing report has been published yet."))
    return document


# --- writes -----------------------------------------------------------------------------------


@api.get("/me", response={200: MeOut, 401: ProblemOut}, auth=WRITE_AUTH, tags=["account"])
def me(request: HttpRequest) -> Any:
    token = getattr(request, "api_token", None)
    return {
        "display_name": request.user.public_name(),
        "scope": token.scope if token is not None else "session",
    }


@api.post(
    "/consultations/{slug}/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    tags=["write"],
)
def comment_post(request: HttpRequest, slug: str, data: CommentIn) -> Any:
    """Post a comment or a reply. It is screened like one from the page: it may be refused,
    published with personal data masked, or held for review (status ``pending``)."""
    consultation = topic_selectors.visible_consultation(
        slug, request.user, with_moderation_policy=True
    )
    if consultation is None:
        raise Problem(404, "not_found", _("No such consultation."))
    _gate(request, consultation, "comments.add_comment", "comment")
    section = None
    if data.section is not None and data.parent is None:
        section = next(
            (s for s in topic_selectors.section_choices(consultation) if s.pk == data.section),
            None,
        )
        if section is None:
            raise Problem(400, "section", _("That section is not part of this draft."))
    created = comment_services.comment_create(
        consultation=consultation,
        author=request.user,
        body=data.body,
        stance=data.stance if data.stance in CommentStance.values else CommentStance.NEUTRAL,
        section=section,
        parent_id=data.parent,
    )
    found = comment_selectors.for_cards(Comment.objects.filter(pk=created.pk)).get()
    out = _comment_out(found)
    if found.status == Status.PENDING:  # the author sees their own text
        out["body"] = found.body
    return Reply(201, out)


@api.post(
    "/comments/{comment_id}/vote",
    response={200: VoteOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    tags=["write"],
)
def vote(request: HttpRequest, comment_id: int, data: VoteIn) -> Any:
    target = _comment(request, comment_id)
    consultation = target.consultation
    _writer(request)
    if not request.user.has_perm("comments.vote", consultation):
        message = (
            refusal_message(consultation)
            if consultation.phase == Phase.OPEN
            else _("Voting is closed for this consultation.")
        )
        raise Problem(403, "not_allowed", message)
    _gate(request, consultation, "comments.vote", "vote")
    updated = comment_services.vote_cast(comment=target, user=request.user, value=data.value)
    return {
        "id": updated.pk,
        "value": data.value,
        "agree": updated.agree_count,
        "disagree": updated.disagree_count,
        "pass": updated.pass_count,
    }


@api.post(
    "/consultations/{slug}/position",
    response={200: CountsOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    tags=["write"],
)
def position(request: HttpRequest, slug: str, data: PositionIn) -> Any:
    consultation = _visible(request, slug)
    _gate(request, consultation, "topics.take_position", "vote")
    topic_services.position_set(consultation=consultation, user=request.user, value=data.value)
    return counts(request, slug)


@api.post(
    "/comments/{comment_id}/flag",
    response={200: OkOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    tags=["write"],
)
def flag(request: HttpRequest, comment_id: int, data: FlagIn) -> Any:
    """Report a comment to the moderators."""
    target = _comment(request, comment_id)
    _writer(request)
    if not request.user.has_perm("moderation.flag_comment", target):
        raise Problem(403, "not_allowed", _("You cannot report this comment."))
    moderation_services.flag_create(
        comment=target, user=request.user, reason=data.reason, note=data.note
    )
    return {"ok": True}
