"""Mark the matched words in a text: escape first, then add ``<mark>``; nothing else of the
text becomes HTML."""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def _pattern(ws: list[str]) -> re.Pattern[str] | None:
    return _compiled(tuple(sorted({w for w in ws if w}, key=len, reverse=True)))


@lru_cache(maxsize=256)
def _compiled(ws: tuple[str, ...]) -> re.Pattern[str] | None:
    if not ws:
        return None
    return re.compile("|".join(re.escape(w) for w in ws), re.IGNORECASE)


def mark(text: str, ws: list[str]) -> SafeString:
    pattern = _pattern(ws)
    if pattern is None:
        return mark_safe(escape(text))  # noqa: S308 - escaped
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append("<mark>" + escape(m.group(0)) + "</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped


def snippet(texts: list[str], ws: list[str], width: int = 160) -> SafeString | None:
    """An excerpt around the first match in the first text that has one."""
    pattern = _pattern(ws)
    if pattern is None:
        return None
    for text in texts:
        if not text:
            continue
        m = pattern.search(text)
        if m is None:
            continue
        start = max(0, m.start() - width // 3)
        end = min(len(text), start + width)
        piece = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
        return mark(piece, ws)
    return None
