"""What the opinion pages show, shared by the views and the live-update consumer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from analytics import charts, conf, selectors
from analytics.models import AnalysisRun
from comments.models import CommentStance, Status, Vote
from consult.dates import format_date
from topics.models import Consultation


def viewer_participant_id(user: Any) -> str:
    """Web votes are clustered under the voter's user id."""
    return str(user.pk) if getattr(user, "is_authenticated", False) else ""


def opinion_blocks(
    consultation: Consultation,
    opinion: Mapping[str, Any],
    user: Any,
    *,
    comment_href: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """Map geometry, groups with their representative comments, consensus, and the viewer."""
    groups = list(opinion.get("groups", []))
    # Strongest first: the share of everyone in the comment's direction, then the least
    # convinced group's share, then the number of votes.
    consensus = sorted(
        opinion.get("consensus", []),
        key=lambda c: (
            -c.get(f"{c['direction']}_share", 0),
            -c.get("min_group_share", 0),
            -c.get("votes", 0),
        ),
    )
    wanted = [r["comment_id"] for g in groups for r in g.get("representative", [])]
    wanted += [c["comment_id"] for c in consensus]
    wanted += list(opinion.get("comment_xy", {}))[:150]
    comments = selectors.comments_by_public_id(consultation, wanted)
    texts = {cid: c.body for cid, c in comments.items()}
    me = viewer_participant_id(user)
    chart = charts.opinion_map(
        opinion,
        me=me,
        comment_text=texts,
        comment_href=comment_href,
        max_points=conf.get("ANALYTICS_MAP_MAX_POINTS"),
    )

    def item(entry: Mapping[str, Any]) -> dict[str, Any]:
        comment = comments.get(entry["comment_id"])
        return {
            **entry,
            "comment": comment,
            "percent": round(100 * entry.get(f"{entry['direction']}_share", 0)),
            "href": comment_href(entry["comment_id"]) if comment_href else "",
        }

    described = [
        {
            "id": g["id"],
            "letter": charts.group_letter(g["id"]),
            "colour": charts.group_colour(g["id"]),
            "colour_index": g["id"] % len(charts.GROUP_COLOURS),
            "size": g["size"],
            "representative": [item(r) for r in g.get("representative", [])],
        }
        for g in groups
    ]
    return {
        "map": chart,
        "groups": described,
        "consensus": [item(c) for c in consensus[:10]],
        "n_grouped": len(opinion.get("participants", {})),
        "n_participants": opinion.get("n_participants", 0),
        "min_votes": opinion.get("min_votes", conf.get("ANALYTICS_MIN_VOTES")),
        "me_group": charts.group_letter(chart.me_group) if chart.me_group is not None else "",
    }


def current_opinion(consultation: Consultation) -> tuple[dict[str, Any], int, Any]:
    """The freshest opinion result: the live map, else the latest finished run's."""
    live = selectors.opinion_map(consultation)
    if live is not None:
        return live.result, live.version, live.computed_at
    run: AnalysisRun | None = selectors.latest_run(consultation)
    if run is not None:
        return run.results.get("opinion", {}), 0, run.finished_at
    return {}, 0, None


def opinion_context(consultation: Consultation, user: Any) -> dict[str, Any]:
    opinion, version, computed_at = current_opinion(consultation)
    blocks = opinion_blocks(consultation, opinion, user)
    my_votes = 0
    if getattr(user, "is_authenticated", False):
        my_votes = Vote.objects.filter(
            consultation=consultation, user=user, comment__status=Status.PUBLISHED
        ).count()
    return {
        "consultation": consultation,
        "user": user,
        "opinion": blocks,
        "version": version,
        "computed_at": computed_at,
        "my_votes": my_votes,
        "votes_needed": max(0, blocks["min_votes"] - my_votes),
    }


def render_opinion_map(consultation_id: int, user: Any, lang: str) -> tuple[int, str] | None:
    """The map section of the opinion page for one viewer (live updates)."""
    consultation = Consultation.objects.filter(pk=consultation_id).select_related("agency").first()
    if consultation is None:
        return None
    with translation.override(lang):
        context = opinion_context(consultation, user)
        html = render_to_string("analytics/_opinion_live.html", context)
    return context["version"], html


def describe_drilldown(run: AnalysisRun, where: selectors.DrillDown) -> list[str]:
    """Human words for a drill-down filter, e.g. ["Theme 3: air / burning", "Support"]."""
    words: list[str] = []
    if where.theme is not None:
        label = next(
            (t["label"] for t in run.results.get("themes", []) if t["id"] == where.theme), ""
        )
        words.append(_("Theme %(id)s: %(label)s") % {"id": where.theme, "label": label})
    if where.unassigned:
        words.append(_("Not in any theme"))
    if where.campaign is not None:
        words.append(_("Campaign %(id)s") % {"id": where.campaign})
    if where.stance:
        words.append(str(CommentStance(where.stance).label))
    if where.section == "general":
        words.append(_("The whole draft"))
    elif where.section.isdigit():
        section = run.consultation.sections.filter(pk=int(where.section)).first()
        if section is not None:
            words.append(str(section))
    if where.day is not None:
        words.append(format_date(where.day))
    if where.comment:
        words.append(_("Comment %(id)s") % {"id": where.comment})
    return words
