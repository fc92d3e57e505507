"""Geometry of the server-rendered SVG charts. Templates draw them (and escape every label);
this module only computes positions, so charts print, need no script and stay testable.

Every chart has a text alternative next to it in the page (a table or a list with the same
numbers and the same links), and every mark that stands for comments links to them.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from consult.dates import format_date, format_day_short

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
GROUP_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
STANCE_ORDER = ["support", "oppose", "suggestion", "neutral"]


def group_letter(group_id: int) -> str:
    """Groups are shown as A, B, C ... (by their stable id)."""
    return chr(ord("A") + group_id) if 0 <= group_id < 26 else str(group_id + 1)


def group_colour(group_id: int) -> str:
    return GROUP_COLOURS[group_id % len(GROUP_COLOURS)]


# --- bars ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    value: int
    label: str
    href: str
    css: str = ""


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    minor: bool = False  # hidden where the chart is narrow (phones), so labels never collide


@dataclass
class ColumnChart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    max_value: int
    baseline: float


def volume_chart(
    days: Sequence[tuple[str, int]], href: Callable[[str], str], *, width: int = 640
) -> ColumnChart:
    """Comments per day: one column per day from the first to the last (empty days are 0).

    Days read as people write them (Buddhist era in Thai); the axis names the year when the
    days span more than one year. At most seven labels, never closer than a label's width.
    """
    height, top, bottom = 180, 16, 28
    counts = {day: n for day, n in days}
    if counts:
        first, last = date.fromisoformat(min(counts)), date.fromisoformat(max(counts))
        span = [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
    else:
        span = []
    peak = max(counts.values(), default=0)
    slot = width / max(len(span), 1)
    plot = height - top - bottom
    bars = []
    for i, day in enumerate(span):
        n = counts.get(day, 0)
        h = plot * n / peak if peak else 0
        bars.append(
            Bar(
                x=round(i * slot + slot * 0.1, 1),
                y=round(top + plot - h, 1),
                w=round(max(slot * 0.8, 1), 1),
                h=round(h, 1),
                value=n,
                label=format_date(date.fromisoformat(day)),
                href=href(day) if n else "",
            )
        )
    with_year = bool(span) and span[0][:4] != span[-1][:4]
    label_width = 90 if with_year else 55  # room one label needs, in chart units
    # The first label starts at the left edge (it reaches a whole label's width to the right),
    # the others are centred on their day: one and a half labels apart never touch.
    step = max(1, math.ceil(len(span) / 6), math.ceil(label_width * 1.5 / slot))
    chosen = [i for i in range(len(span)) if i % step == 0]
    if span and chosen[-1] != len(span) - 1:
        # The last label ends at the edge; the one before is centred on its day.
        if len(chosen) > 1 and (len(span) - 1 - chosen[-1]) * slot < label_width * 1.5:
            chosen.pop()
        chosen.append(len(span) - 1)
    ticks = []
    for n, i in enumerate(chosen):
        last = n == len(chosen) - 1 and n > 0
        anchor = "start" if n == 0 else "end" if last else "middle"
        x = i * slot if n == 0 else (i + 1) * slot if last else i * slot + slot / 2
        text = format_day_short(date.fromisoformat(span[i]), with_year=with_year)
        # On a phone every other label is left out: the first, the last, and evens short of it.
        kept = n == 0 or last or (n % 2 == 0 and len(chosen) - 1 - n >= 2)
        ticks.append(Tick(round(x, 1), height - 8, text, anchor, minor=not kept))
    return ColumnChart(width, height, bars, ticks, peak, top + plot)


@dataclass(frozen=True)
class Segment:
    x: float
    w: float
    value: int
    label: str
    href: str
    css: str


@dataclass(frozen=True)
class Row:
    y: float
    label: str
    total: int
    href: str
    segments: list[Segment]


@dataclass
class RowChart:
    width: int
    height: int
    rows: list[Row]
    bar_height: int
    label_offset: int


def row_chart(
    rows: Sequence[tuple[str, Sequence[tuple[str, int, str, str]], str]],
    *,
    width: int = 420,
    scale_to_max: bool = True,
) -> RowChart:
    """Horizontal bars, one row per item, each made of segments.

    ``rows``: (label, [(segment label, value, href, css class)], href of the whole row).
    The label sits above its bar so long Thai labels have the full width.
    """
    bar_height, label_offset, pitch = 18, 16, 44
    totals = [sum(v for _l, v, _h, _c in segments) for _label, segments, _href in rows]
    peak = max(totals, default=0)
    drawn = []
    for i, ((label, segments, href), total) in enumerate(zip(rows, totals, strict=True)):
        full = peak if scale_to_max else total
        x = 0.0
        parts = []
        for seg_label, value, seg_href, css in segments:
            w = width * value / full if full else 0
            if value:
                parts.append(Segment(round(x, 1), round(w, 1), value, seg_label, seg_href, css))
            x += w
        drawn.append(
            Row(y=i * pitch + label_offset + 4, label=label, total=total, href=href, segments=parts)
        )
    return RowChart(width, max(len(rows), 1) * pitch, drawn, bar_height, label_offset)


# --- the theme map --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bubble:
    x: float
    y: float
    r: float
    label: str
    size: int
    href: str
    theme_id: int


def theme_map(
    themes: Sequence[Mapping], href: Callable[[int], str], *, width: int = 640, height: int = 360
) -> tuple[int, int, list[Bubble]]:
    """Themes as circles at their 2-D coordinates, area proportional to their size."""
    if not themes:
        return width, height, []
    xs = [float(t.get("x", 0.0)) for t in themes]
    ys = [float(t.get("y", 0.0)) for t in themes]
    peak = max(int(t["size"]) for t in themes)
    r_max = min(width, height) / 8
    pad = r_max + 8
    to_x = _scale(min(xs), max(xs), pad, width - pad)
    to_y = _scale(min(ys), max(ys), height - pad, pad)
    bubbles = [
        Bubble(
            x=round(to_x(x), 1),
            y=round(to_y(y), 1),
            r=round(max(4.0, r_max * (int(t["size"]) / peak) ** 0.5), 1),
            label=str(t["label"])[:40],
            size=int(t["size"]),
            href=href(int(t["id"])),
            theme_id=int(t["id"]),
        )
        for t, x, y in zip(themes, xs, ys, strict=True)
    ]
    bubbles.sort(key=lambda b: -b.r)  # small ones drawn last, on top
    return width, height, bubbles


def _scale(lo: float, hi: float, out_lo: float, out_hi: float) -> Callable[[float], float]:
    if hi - lo < 1e-12:
        middle = (out_lo + out_hi) / 2
        return lambda _v: middle
    return lambda v: out_lo + (v - lo) * (out_hi - out_lo) / (hi - lo)


# --- the opinion map ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    colour: str
    group: int


@dataclass(frozen=True)
class Hull:
    group: int
    letter: str
    colour: str
    points: str  # "x,y x,y ..." for <polygon>
    label_x: float
    label_y: float
    size: int


@dataclass(frozen=True)
class CommentMark:
    x: float
    y: float
    comment_id: str
    text: str
    href: str


@dataclass
class OpinionMapChart:
    width: int
    height: int
    points: list[Point]
    hulls: list[Hull]
    comments: list[CommentMark]
    me: Point | None
    me_group: int | None
    n_participants: int
    n_drawn: int
    groups: list[dict] = field(default_factory=list)


def opinion_map(
    result: Mapping,
    *,
    me: str = "",
    comment_text: Mapping[str, str] | None = None,
    comment_href: Callable[[str], str] | None = None,
    max_points: int = 1500,
    max_comments: int = 150,
    width: int = 640,
    height: int = 420,
) -> OpinionMapChart:
    """Participants as points coloured by group, group outlines, comments on the same plane."""
    people: Mapping[str, int] = result.get("participants", {})
    xy: Mapping[str, Sequence[float]] = result.get("participant_xy", {})
    cxy: Mapping[str, Sequence[float]] = result.get("comment_xy", {})
    groups = [
        {
            "id": g["id"],
            "letter": group_letter(g["id"]),
            "colour": group_colour(g["id"]),
            "size": g["size"],
        }
        for g in result.get("groups", [])
    ]
    chart = OpinionMapChart(width, height, [], [], [], None, people.get(me), len(people), 0, groups)
    placed = [pid for pid in people if pid in xy]
    if not placed:
        return chart
    xs = [float(xy[p][0]) for p in placed]
    ys = [float(xy[p][1]) for p in placed]
    pad = 24
    to_x = _scale(min(xs), max(xs), pad, width - pad)
    to_y = _scale(min(ys), max(ys), height - pad, pad)

    def place(x: float, y: float) -> tuple[float, float]:
        return (
            round(min(max(to_x(x), 4), width - 4), 1),
            round(min(max(to_y(y), 4), height - 4), 1),
        )

    by_group: dict[int, list[tuple[float, float]]] = {}
    for pid in placed:
        by_group.setdefault(people[pid], []).append(place(*xy[pid][:2]))
    for gid, pts in sorted(by_group.items()):
        hull = convex_hull(pts)
        cx = sum(p[0] for p in pts) / len(pts)
        cy = sum(p[1] for p in pts) / len(pts)
        chart.hulls.append(
            Hull(
                group=gid,
                letter=group_letter(gid),
                colour=group_colour(gid),
                points=" ".join(f"{x},{y}" for x, y in hull),
                label_x=round(cx, 1),
                label_y=round(cy, 1),
                size=len(pts),
            )
        )
    shown = placed
    if len(placed) > max_points:
        keep = sorted(random.Random(0).sample(range(len(placed)), max_points))
        shown = [placed[i] for i in keep]
    for pid in shown:
        x, y = place(*xy[pid][:2])
        gid = people[pid]
        chart.points.append(Point(x, y, group_colour(gid), gid))
    chart.n_drawn = len(shown)
    if me and me in xy and me in people:
        x, y = place(*xy[me][:2])
        chart.me = Point(x, y, group_colour(people[me]), people[me])
    texts = comment_text or {}
    wanted = list(cxy)
    if len(wanted) > max_comments:
        featured = {
            r["comment_id"] for g in result.get("groups", []) for r in g.get("representative", [])
        }
        featured |= {c["comment_id"] for c in result.get("consensus", [])}
        wanted = [cid for cid in wanted if cid in featured][:max_comments]
    for cid in wanted:
        x, y = place(*cxy[cid][:2])
        chart.comments.append(
            CommentMark(
                x, y, cid, texts.get(cid, "")[:120], comment_href(cid) if comment_href else ""
            )
        )
    return chart


def convex_hull(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain; collinear points dropped; fewer than 3 points returned as is."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]
