"""Analysis pages. The public opinion page is for everyone who can view the consultation; the
dashboard, drill-down and exports are for the agency's analysts and editors (and admins)."""

from __future__ import annotations

import json
from datetime import date

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analytics import charts, rendering, selectors, services
from analytics.documents import run_csv, run_document
from analytics.models import AnalysisRun, RunStatus
from comments import selectors as comment_selectors
from comments.models import CommentStance
from consult.errors import Refused, ServiceError
from consult.streaming import streaming_response
from topics.models import Consultation
from topics.selectors import visible_consultation


def _consultation(request: HttpRequest, slug: str) -> Consultation:
    consultation = visible_consultation(slug, request.user)
    if consultation is None:
        raise Http404(_("No such consultation."))
    return consultation


def _analyst_consultation(request: HttpRequest, slug: str) -> Consultation:
    consultation = Consultation.objects.select_related("agency").filter(slug=slug).first()
    if consultation is None:
        raise Http404(_("No such consultation."))
    if not request.user.has_perm("topics.view_analysis", consultation):
        if not request.user.is_authenticated:
            raise _LoginRequired
        raise Refused(
            _(
                "This consultation belongs to %(agency)s. Its analysis is for that agency's "
                "analysts and editors."
            )
            % {"agency": consultation.agency.name},
            links=[
                (_("The consultation's public page"), consultation.get_absolute_url()),
                (
                    _("Its public opinion map"),
                    reverse("analytics:opinion", args=[consultation.slug]),
                ),
            ],
        )
    return consultation


class _LoginRequired(Exception):
    pass


def _guard(view):  # noqa: ANN001, ANN202 - a small local decorator
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def opinion_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The public opinion map: groups, where I stand, what everyone agrees on."""
    consultation = _consultation(request, slug)
    context = rendering.opinion_context(consultation, request.user)
    context["can_analyse"] = request.user.has_perm("topics.view_analysis", consultation)
    return render(request, "analytics/opinion.html", context)


def _run_for(consultation: Consultation, run_id: str | int | None) -> AnalysisRun | None:
    if run_id in (None, ""):
        return selectors.latest_run(consultation)
    try:
        return AnalysisRun.objects.get(pk=int(run_id), consultation=consultation)
    except (ValueError, AnalysisRun.DoesNotExist):
        raise Http404(_("No such analysis run.")) from None


@_guard
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _analyst_consultation(request, slug)
    run = _run_for(consultation, request.GET.get("run"))
    active = selectors.active_run(consultation)
    context: dict = {
        "consultation": consultation,
        "run": run,
        "active": active,
        "runs": selectors.runs_of(consultation),
        "max_themes": services.MAX_THEMES,
        "refresh": active is not None,
        "channels": comment_selectors.channel_counts(consultation),
    }
    if run is not None and run.status == RunStatus.DONE:
        context.update(_run_context(consultation, run, request.user))
    return render(request, "analytics/dashboard.html", context)


def _drill(consultation: Consultation, run: AnalysisRun, **query: object) -> str:
    base = reverse("analytics:comments", kwargs={"slug": consultation.slug, "run_id": run.pk})
    parts = "&".join(f"{k}={v}" for k, v in query.items() if v not in (None, ""))
    return f"{base}?{parts}" if parts else base


def _run_context(consultation: Consultation, run: AnalysisRun, user) -> dict:
    results = run.results
    overview = results.get("overview", {})
    stance_labels = dict(CommentStance.choices)
    order = [s for s in charts.STANCE_ORDER if s in stance_labels]

    def stance_segments(counts: dict, section: str) -> list[tuple[str, int, str, str]]:
        return [
            (
                str(stance_labels[s]),
                int(counts.get(s, 0)),
                _drill(consultation, run, stance=s, section=section),
                f"stance-{s}",
            )
            for s in order
        ]

    stance_total = sum(overview.get("stance", {}).values())
    stance_rows = [
        (
            str(stance_labels[s]),
            [
                (
                    str(stance_labels[s]),
                    int(overview.get("stance", {}).get(s, 0)),
                    _drill(consultation, run, stance=s),
                    f"stance-{s}",
                )
            ],
            _drill(consultation, run, stance=s),
        )
        for s in order
    ]
    section_rows = []
    for row in overview.get("sections", []):
        key = "general" if row["id"] is None else str(row["id"])
        label = row["label"] or _("The whole draft")
        section_rows.append(
            (label, stance_segments(row["stance"], key), _drill(consultation, run, section=key))
        )
    themes = results.get("themes", [])
    theme_rows = [
        (
            t["label"],
            [(t["label"], t["size"], _drill(consultation, run, theme=t["id"]), "theme")],
            _drill(consultation, run, theme=t["id"]),
        )
        for t in themes
    ]
    texts = selectors.comments_by_public_id(
        consultation,
        [rid for t in themes for rid in t["representative_ids"][:2]]
        + [c["representative_id"] for c in results.get("campaigns", [])],
    )
    theme_list = [
        {
            **t,
            "href": _drill(consultation, run, theme=t["id"]),
            "quotes": [texts[i] for i in t["representative_ids"][:2] if i in texts],
            "stance_rows": stance_segments(t["stance"], ""),
            "percent": round(100 * t["share"], 1),
        }
        for t in themes
    ]
    campaigns = [
        {
            **c,
            "href": _drill(consultation, run, campaign=c["id"]),
            "representative": texts.get(c["representative_id"]),
        }
        for c in results.get("campaigns", [])
    ]
    width, height, bubbles = charts.theme_map(
        themes, lambda tid: _drill(consultation, run, theme=tid)
    )
    opinion = results.get("opinion", {})
    top_themes = [
        {
            **top,
            "subthemes": [
                {**sub, "href": _drill(consultation, run, theme=sub["id"])}
                for sub in top["subthemes"]
            ],
        }
        for top in selectors.top_themes(consultation, run)
    ]
    return {
        "top_themes": top_themes,
        "total": run.n_comments,
        "stance_total": stance_total,
        "days": overview.get("days", []),
        "volume": charts.volume_chart(
            overview.get("days", []), lambda day: _drill(consultation, run, day=day)
        ),
        "stance_chart": charts.row_chart(stance_rows),
        "stance_table": [(label, segs[0][1], href) for label, segs, href in stance_rows],
        "section_chart": charts.row_chart(section_rows, scale_to_max=True),
        "section_rows": section_rows,
        "theme_chart": charts.row_chart(theme_rows),
        "themes": theme_list,
        "not_enough_text": not theme_list,
        "unassigned": len(results.get("unassigned_ids", [])),
        "unassigned_href": _drill(consultation, run, unassigned=1),
        "theme_map": {"width": width, "height": height, "bubbles": bubbles},
        "campaigns": campaigns,
        "opinion": rendering.opinion_blocks(
            consultation,
            opinion,
            user,
            comment_href=lambda cid: _drill(consultation, run, comment=cid),
        ),
    }


@_guard
@require_POST
def run_start(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _analyst_consultation(request, slug)
    raw = request.POST.get("n_themes", "").strip()
    try:
        n_themes = int(raw) if raw else None
        run = services.run_request(
            consultation=consultation, requested_by=request.user, n_themes=n_themes
        )
    except ValueError:
        messages.error(request, _("The number of themes must be a whole number."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Analysis run %(id)s is queued; this page shows its progress.") % {"id": run.pk},
        )
    return redirect(reverse("analytics:dashboard", kwargs={"slug": consultation.slug}))


def _drilldown_from(request: HttpRequest) -> selectors.DrillDown:
    get = request.GET

    def number(name: str) -> int | None:
        value = get.get(name, "")
        return int(value) if value.lstrip("-").isdigit() else None

    day = None
    try:
        day = date.fromisoformat(get["day"]) if get.get("day") else None
    except ValueError:
        day = None
    stance = get.get("stance", "")
    return selectors.DrillDown(
        theme=number("theme"),
        campaign=number("campaign"),
        unassigned=get.get("unassigned") == "1",
        stance=stance if stance in CommentStance.values else "",
        section=get.get("section", "")[:20],
        day=day,
        comment=get.get("comment", "")[:120],
    )


@_guard
def run_comments(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    """The comments behind a number on the dashboard."""
    consultation = _analyst_consultation(request, slug)
    run = _run_for(consultation, run_id)
    assert run is not None
    where = _drilldown_from(request)
    comments = selectors.run_comments(run, where)
    page = Paginator(comments, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "analytics/comments.html",
        {
            "consultation": consultation,
            "run": run,
            "page": page,
            "where": rendering.describe_drilldown(run, where),
            "query": query.urlencode(),
        },
    )


@_guard
def run_export(request: HttpRequest, slug: str, run_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "json"):
        raise Http404
    consultation = _analyst_consultation(request, slug)
    run = _run_for(consultation, run_id)
    if run is None or run.status != RunStatus.DONE:
        raise Http404(_("This run has no results."))
    name = f"{consultation.slug}-run-{run.pk}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(run_document(run), ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
    else:
        response = streaming_response(request, run_csv(run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
