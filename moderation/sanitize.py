"""The one place where user-supplied text becomes HTML.

Citizens' text is stored as plain text and rendered escaped, with links made clickable
safely. Agency rich text (consultation bodies) is cleaned against an allow-list when it is
saved. Nothing else in the code base marks strings safe.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache, partial
from urllib.parse import urlsplit

import bleach
from bleach.linkifier import Linker
from django.utils.safestring import SafeString, mark_safe

LINK_REL = "nofollow ugc noopener"

RICH_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "ul",
        "ol",
        "li",
        "blockquote",
        "h2",
        "h3",
        "h4",
        "a",
        "code",
        "pre",
        "hr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
RICH_ATTRIBUTES = {"a": ["href", "title"], "th": ["scope", "colspan"], "td": ["colspan"]}
SAFE_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _set_rel(attrs: dict, new: bool = False) -> dict:
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if not href.startswith(("http://", "https://", "mailto:")):
        return attrs
    attrs[(None, "rel")] = LINK_REL
    if href.startswith(("http://", "https://")):
        attrs[(None, "target")] = "_blank"
    return attrs


_linker = Linker(callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False)


# A Markdown link, as imported texts (Polis descriptions and comments) often carry:
# [text](http://...). Only web addresses; anything else stays as typed.
MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]{1,300})\]\((https?://[^\s()<>\"']{1,2000})\)")


def markdown_links_to_text(text: str) -> str:
    """``[text](https://x)`` -> ``text (https://x)``, for places that show plain text only."""
    return MARKDOWN_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text or "")


def _linkify_plain(text: str) -> str:
    escaped = html.escape(text, quote=False)
    return _linker.linkify(escaped) if _linker.url_re.search(escaped) else escaped


def _markdown_anchor(label: str, href: str) -> str:
    # The site the link goes to is shown beside its words: a label cannot pass for another
    # address ("[gov.example](https://elsewhere.example)").
    host = urlsplit(href).hostname or ""
    return (
        f'<a href="{html.escape(href, quote=True)}" rel="{LINK_REL}" target="_blank">'
        f"{html.escape(label, quote=False)}</a>"
        f" ({html.escape(host, quote=False)})"
    )


def render_user_text(text: str) -> SafeString:
    """Plain citizen text -> escaped HTML with safe clickable links and line breaks.

    Every character that means something in HTML is escaped first, so the text shows exactly
    as typed; the linkifier then runs only where its own pattern finds a link (it parses the
    text as HTML, which costs more than everything else here). A Markdown link with an http(s)
    address becomes a link with its text; its label is escaped like the rest.
    """
    text = (text or "").replace("\r\n", "\n")
    pieces: list[str] = []
    position = 0
    for match in MARKDOWN_LINK.finditer(text):
        pieces.append(_linkify_plain(text[position : match.start()]))
        pieces.append(_markdown_anchor(match.group(1), match.group(2)))
        position = match.end()
    pieces.append(_linkify_plain(text[position:]))
    linked = "".join(pieces)
    paragraphs = [p.replace("\n", "<br>") for p in linked.split("\n\n")]
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs if p.strip()))


_rich_cleaner = partial(
    bleach.clean,
    tags=RICH_TAGS,
    attributes=RICH_ATTRIBUTES,
    protocols=SAFE_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def clean_rich_text(html: str) -> str:
    """Agency rich text -> allow-listed HTML (run on save)."""
    cleaned = _rich_cleaner(html or "")
    return _linker.linkify(cleaned)


def render_rich_text(html: str) -> SafeString:
    """Render stored rich text; cleaned again so a bad row in the database cannot inject."""
    return mark_safe(_cleaned_for_display(html or ""))


@lru_cache(maxsize=256)
def _cleaned_for_display(html: str) -> str:
    # A draft's body is long and shown on every page view; the same text cleans the same way.
    return clean_rich_text(html)
