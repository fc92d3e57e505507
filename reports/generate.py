"""Build a hearing report's generated content from a consultation and one finished run.

What goes in ``Report.generated`` (plain data; the templates translate labels):

- ``part1``: what was asked (kind, sections, questions), the period and whether it met the
  15-day norm, channels, participants (people, comments, replies, votes, positions, by
  assurance level), the moderation summary and the answers to structured questions;
- ``part2``: the whole draft and each section (count, stance split), the top themes (with
  their sub-themes, a headline and an extractive summary whose every sentence keeps the
  comments it came from), campaigns counted once, opinion groups and consensus statements;
- ``texts``: every text the agency may edit (overall summary, theme headlines and summaries).

Only comments published *now* are counted or quoted: a comment hidden or removed after the
run appears only in the moderation summary. Quotes carry comment numbers, never a name, an
e-mail address or an original kept by moderation. The ids behind each figure go to
``ReportRef`` rows, keyed as the page links them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count

from analytics.hierarchy import theme_hierarchy
from analytics.models import AnalysisRun, RunComment
from analytics.selectors import public_ids
from comments.models import Channel, Comment, Status, Vote
from moderation.selectors import transparency_report
from reports.summaries import summarise
from topics.models import Consultation, Position
from topics.selectors import answer_results

SUMMARY_SAMPLE = 1500  # comments of a theme read to write its summary
QUOTES_PER_GROUP = 3
CONSENSUS_SHOWN = 5
CAMPAIGNS_SHOWN = 10
SECTION_SUMMARY_MIN = 3  # a theme's comments on a section needed to summarise them there
SECTION_SUMMARIES = 6  # the largest themes of a section get a summary restricted to it
SECTION_SAMPLE = 300  # comments of a theme on a section read to write that summary
STANCES = ("support", "oppose", "neutral", "suggestion", "")


@dataclass
class Generated:
    content: dict[str, Any]
    refs: dict[str, list[int]] = field(default_factory=dict)
    issues: list[dict[str, Any]] = field(default_factory=list)
    digest: str = ""


def data_digest(run: AnalysisRun) -> str:
    """SHA-256 over what the run read: every comment's id, theme, campaign and text, in id
    order, and the run's vote count. Anyone holding the data can recompute it."""
    h = hashlib.sha256()
    h.update(f"run {run.pk} votes {run.n_votes}\n".encode())
    rows = (
        RunComment.objects.filter(run=run)
        .order_by("comment_id")
        .values_list("comment_id", "theme", "campaign", "comment__body")
        .iterator(chunk_size=5000)
    )
    for pk, theme, campaign, body in rows:
        body_hash = hashlib.sha256(body.encode()).hexdigest()
        h.update(f"{pk}\t{theme}\t{campaign}\t{body_hash}\n".encode())
    return h.hexdigest()


def _stance_split(stances: list[str]) -> dict[str, int]:
    counts = Counter(stances)
    return {s or "unspecified": counts.get(s, 0) for s in STANCES}


def _mostly(split: dict[str, int]) -> str:
    """The stance most comments took, or "" when no stance has a plurality over 40 %."""
    total = sum(split.values())
    if not total:
        return ""
    stance, n = max(((k, v) for k, v in split.items() if k != "unspecified"), key=lambda kv: kv[1])
    return stance if n / total >= 0.4 else "mixed"


def build(consultation: Consultation, run: AnalysisRun) -> Generated:
    results = run.results or {}
    # Every comment of the consultation: public id <-> pk, status, stance, section, parent.
    rows = list(
        Comment.objects.filter(consultation=consultation).values_list(
            "pk", "external_id", "status", "stance", "section_id", "parent_id", "channel"
        )
    )
    pid = public_ids([(r[0], r[1]) for r in rows])
    pk_of = {pid[r[0]]: r[0] for r in rows}
    published = {r[0]: r for r in rows if r[2] == Status.PUBLISHED}
    refs: dict[str, list[int]] = {}

    def live(ids: list[str]) -> list[int]:
        """Public ids -> pks of the comments still published."""
        out = []
        for cid in ids:
            pk = pk_of.get(cid)
            if pk is not None and pk in published:
                out.append(pk)
        return out

    run_pks = list(RunComment.objects.filter(run=run).values_list("comment_id", flat=True))
    read = [pk for pk in run_pks if pk in published]
    read_set = set(read)
    refs["all"] = sorted(read)

    part1 = _part1(consultation, rows, published)
    # --- part 2: the whole draft and each section
    sections = []
    by_section: dict[int | None, list[int]] = {}
    for pk in read:
        by_section.setdefault(published[pk][4], []).append(pk)
    whole = _stance_split([published[pk][3] for pk in read])
    for s in consultation.sections.order_by("position", "id"):
        pks = sorted(by_section.get(s.pk, []))
        refs[f"section-{s.pk}"] = pks
        sections.append(
            {
                "id": s.pk,
                "number": s.number,
                "heading": s.heading,
                "count": len(pks),
                "stance": _stance_split([published[pk][3] for pk in pks]),
            }
        )

    # --- themes: the top level over the run's fine themes
    fine = [t for t in results.get("themes", [])]
    fine_by_id = {int(t["id"]): t for t in fine}
    sample_ids: set[int] = set()
    per_fine: dict[int, list[int]] = {}
    for t in fine:
        pks = live(t["comment_ids"])
        per_fine[int(t["id"])] = pks
        sample_ids.update(live(t.get("representative_ids", [])))
        sample_ids.update(pks[:200])
    texts_by_pk = dict(Comment.objects.filter(pk__in=list(sample_ids)).values_list("pk", "body"))
    texts_by_pid = {pid[pk]: body for pk, body in texts_by_pk.items()}
    tops = theme_hierarchy(
        [
            {
                "id": t["id"],
                "size": len(per_fine[int(t["id"])]),
                "comment_ids": [pid[pk] for pk in per_fine[int(t["id"])]],
                "terms": t.get("terms", []),
                "label": t.get("label", ""),
            }
            for t in fine
            if per_fine[int(t["id"])]
        ],
        texts_by_pid,
    )
    themes = []
    texts: dict[str, str] = {}
    for top in tops:
        pks: list[int] = []
        reps: list[int] = []
        for fid in top.fine_ids:
            pks.extend(per_fine[fid])
            reps.extend(live(fine_by_id[fid].get("representative_ids", [])))
        split = _stance_split([published[pk][3] for pk in pks])
        key = f"theme-{top.id}"
        refs[key] = sorted(pks)
        summary_pks = _sample(reps, pks, SUMMARY_SAMPLE)
        bodies = _bodies(summary_pks, texts_by_pk)
        summary = summarise([(str(pk), bodies[pk]) for pk in summary_pks if pk in bodies])
        sentences = []
        for n, s in enumerate(summary.sentences, start=1):
            ids = [int(i) for i in s.comment_ids]
            refs[f"{key}-s{n}"] = ids
            sentences.append({"text": s.text, "comment_ids": ids[:20], "n": len(ids)})
        subthemes = [
            {
                "id": fid,
                "label": fine_by_id[fid].get("label", ""),
                "size": len(per_fine[fid]),
            }
            for fid in top.fine_ids
        ]
        for fid in top.fine_ids:
            refs[f"fine-{fid}"] = sorted(per_fine[fid])
        mostly = _mostly(split)
        texts[f"{key}-summary"] = " ".join(s["text"] for s in sentences)
        themes.append(
            {
                "id": top.id,
                "key": key,
                "language": top.language,
                "label": top.label,
                "terms": top.terms,
                "size": len(pks),
                "stance": split,
                "mostly": mostly,
                "sentences": sentences,
                "redundancy": summary.redundancy,
                "subthemes": subthemes,
            }
        )

    _section_themes(sections, themes, refs, published, texts_by_pk)

    campaigns = []
    for c in results.get("campaigns", [])[:CAMPAIGNS_SHOWN]:
        pks = live(c.get("member_ids", []))
        rep = pk_of.get(c.get("representative_id", ""))
        if not pks or rep not in published:
            continue
        refs[f"campaign-{c['id']}"] = sorted(pks)
        campaigns.append({"id": c["id"], "size": len(pks), "representative": rep})

    opinion = results.get("opinion", {}) or {}
    groups = []
    for g in opinion.get("groups", []):
        quotes = []
        for r in g.get("representative", []):
            pk = pk_of.get(r["comment_id"])
            if pk in published and len(quotes) < QUOTES_PER_GROUP:
                quotes.append(
                    {"comment": pk, "direction": r["direction"], "share": r["agree_share"]}
                )
        groups.append({"id": g["id"], "size": g["size"], "quotes": quotes})
    consensus = []
    for item in opinion.get("consensus", []):
        pk = pk_of.get(item["comment_id"])
        if pk in published and len(consensus) < CONSENSUS_SHOWN:
            consensus.append(
                {
                    "comment": pk,
                    "direction": item["direction"],
                    "agree_share": item["agree_share"],
                    "disagree_share": item["disagree_share"],
                }
            )
    quoted = {c["representative"] for c in campaigns}
    quoted |= {q["comment"] for g in groups for q in g["quotes"]}
    quoted |= {c["comment"] for c in consensus}
    quote_text = dict(
        Comment.objects.filter(pk__in=list(quoted), status=Status.PUBLISHED).values_list(
            "pk", "body"
        )
    )

    content = {
        "schema": 1,
        "run": run.pk,
        "citation": f"{consultation.slug} run {run.pk}",
        "language": consultation.language,
        "part1": part1,
        "part2": {
            "count": len(read),
            "stance": whole,
            "sections": sections,
            "themes": themes,
            "n_fine_themes": len(fine),
            "campaigns": campaigns,
            "groups": groups,
            "consensus": consensus,
            "quotes": {str(pk): body for pk, body in quote_text.items()},
            "unread": len(published) - len(read_set),
        },
        "texts": texts,
    }
    texts["overall"] = ""  # written by reports.services, in the consultation's language
    issues = [
        {"kind": "theme", "ref": str(t["id"]), "title": t["label"], "refs_key": t["key"]}
        for t in themes
    ]
    issues += [
        {
            "kind": "section",
            "ref": str(s["id"]),
            "title": f"{s['number']} {s['heading']}".strip(),
            "refs_key": f"section-{s['id']}",
        }
        for s in sections
        if s["count"]
    ]
    return Generated(content=content, refs=refs, issues=issues, digest=data_digest(run))


def _section_themes(
    sections: list[dict[str, Any]],
    themes: list[dict[str, Any]],
    refs: dict[str, list[int]],
    published: dict[int, tuple[Any, ...]],
    known: dict[int, str],
) -> None:
    """Give each section the top themes its comments fall into (``section["themes"]``): the
    theme's size and stance split on that section and, for the largest ones with enough
    comments, the theme's summary written from that section's comments only."""
    theme_pks = {t["key"]: set(refs[t["key"]]) for t in themes}
    wanted: dict[tuple[int, str], list[int]] = {}
    for s in sections:
        members = refs[f"section-{s['id']}"]
        rows = []
        for t in themes:
            pks = [pk for pk in members if pk in theme_pks[t["key"]]]
            if pks:
                rows.append((t, pks))
        rows.sort(key=lambda r: (-len(r[1]), r[0]["id"]))
        s["themes"] = []
        for rank, (t, pks) in enumerate(rows):
            key = f"section-{s['id']}-{t['key']}"
            refs[key] = pks
            s["themes"].append(
                {
                    "id": t["id"],
                    "key": key,
                    "theme_key": t["key"],
                    "label": t["label"],
                    "language": t["language"],
                    "size": len(pks),
                    "stance": _stance_split([published[pk][3] for pk in pks]),
                    "sentences": [],
                }
            )
            if rank < SECTION_SUMMARIES and len(pks) >= SECTION_SUMMARY_MIN:
                wanted[(s["id"], key)] = _sample([], pks, SECTION_SAMPLE)
    bodies = _bodies(sorted({pk for pks in wanted.values() for pk in pks}), known)
    for s in sections:
        for entry in s["themes"]:
            pks = wanted.get((s["id"], entry["key"]))
            if not pks:
                continue
            summary = summarise([(str(pk), bodies[pk]) for pk in pks if pk in bodies])
            for n, sentence in enumerate(summary.sentences, start=1):
                ids = [int(i) for i in sentence.comment_ids]
                refs[f"{entry['key']}-s{n}"] = ids
                entry["sentences"].append(
                    {"text": sentence.text, "comment_ids": ids[:20], "n": len(ids)}
                )


def _sample(first: list[int], pks: list[int], limit: int) -> list[int]:
    """``first`` (representatives), then an even spread of ``pks``, at most ``limit``."""
    out = list(dict.fromkeys(first))[:limit]
    seen = set(out)
    step = max(1, len(pks) // max(1, limit - len(out)))
    for pk in pks[::step]:
        if len(out) >= limit:
            break
        if pk not in seen:
            out.append(pk)
            seen.add(pk)
    return out


def _bodies(pks: list[int], known: dict[int, str]) -> dict[int, str]:
    missing = [pk for pk in pks if pk not in known]
    out = {pk: known[pk] for pk in pks if pk in known}
    if missing:
        out.update(Comment.objects.filter(pk__in=missing).values_list("pk", "body"))
    return out


def _part1(
    consultation: Consultation, rows: list[tuple[Any, ...]], published: dict[int, tuple[Any, ...]]
) -> dict[str, Any]:
    period = consultation.closes_at - consultation.opens_at
    days = period.total_seconds() / 86400
    channels = Counter(r[6] for r in published.values())
    comments = sum(1 for r in published.values() if r[5] is None)
    replies = len(published) - comments
    votes = Vote.objects.filter(comment__consultation=consultation).count()
    authors = set(
        Comment.objects.filter(consultation=consultation, status=Status.PUBLISHED)
        .exclude(author__isnull=True)
        .values_list("author_id", flat=True)
        .distinct()
    )
    voters = set(
        Vote.objects.filter(comment__consultation=consultation, user__isnull=False)
        .values_list("user_id", flat=True)
        .distinct()
    )
    positioned = set(
        Position.objects.filter(consultation=consultation, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    people = authors | voters | positioned
    unnamed_offline = (
        Comment.objects.filter(
            consultation=consultation, status=Status.PUBLISHED, author__isnull=True
        )
        .exclude(author_name="")
        .values("author_name")
        .distinct()
        .count()
    )
    positions = dict(
        Position.objects.filter(consultation=consultation)
        .values_list("value")
        .annotate(n=Count("id"))
        .values_list("value", "n")
    )
    mod = transparency_report(consultation)
    questions = []
    for q in answer_results(consultation):
        questions.append(
            {
                "prompt": q.question.prompt,
                "kind": q.question.kind,
                "total": q.total,
                "options": [
                    {"label": o.label, "count": o.count, "percent": o.percent} for o in q.options
                ],
            }
        )
    return {
        "title": consultation.title,
        "kind": consultation.kind,
        "agency_th": consultation.agency.name_th,
        "agency_en": consultation.agency.name_en,
        "sections": [
            {"id": s.pk, "number": s.number, "heading": s.heading}
            for s in consultation.sections.order_by("position", "id")
        ],
        "opens_at": consultation.opens_at.isoformat(),
        "closes_at": consultation.closes_at.isoformat(),
        "days": round(days, 1),
        "meets_norm": days >= settings.MIN_CONSULTATION_DAYS,
        "norm_days": settings.MIN_CONSULTATION_DAYS,
        "short_period_reason": consultation.short_period_reason,
        "extension_reason": consultation.extension_reason,
        "channels": {c: channels.get(c, 0) for c in Channel.values},
        "participants": {
            "people": len(people) + unnamed_offline,
            "commenters": len(authors),
            "voters": len(voters),
            "comments": comments,
            "replies": replies,
            "votes": votes,
            "positions": {s: positions.get(s, 0) for s in ("support", "oppose", "undecided")},
            "assurance": _assurance_levels(people),
        },
        "moderation": {
            "total": mod.comments_total,
            "by_status": mod.by_status,
            "decisions": [[a, n] for a, _label, n in mod.decisions],
            "automatic": [[a, n] for a, _label, n in mod.automatic],
            "reasons": [[r, n] for r, _label, n in mod.reasons],
            "pending": mod.pending,
            "appeals": mod.appeals,
        },
        "questions": questions,
    }


def _assurance_levels(user_ids: set[int]) -> dict[str, int]:
    """People by the strongest assurance they hold: identity, social sign-in, e-mail."""
    from allauth.socialaccount.models import SocialAccount

    from accounts.models import IdentityVerification

    # the whole (small) tables, intersected here: no IN list of every participant
    identity = user_ids & set(IdentityVerification.objects.values_list("user_id", flat=True))
    social = user_ids & set(SocialAccount.objects.values_list("user_id", flat=True))
    social -= identity
    return {
        "identity": len(identity),
        "social": len(social),
        "email": len(user_ids) - len(identity) - len(social),
    }
