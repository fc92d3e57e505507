"""moderation.sanitize against a corpus of cross-site-scripting payloads.

Every payload in xss_payloads.txt goes through render_user_text (citizens' plain text) and
clean_rich_text / render_rich_text (agency rich text). The output is parsed twice, with the
standard library's HTMLParser and with html5lib as bleach ships it (which parses like a
browser), and must hold nothing executable: no script or other active element, no event
handler or style attribute, no URL whose scheme, once entities are decoded and the
characters browsers ignore are dropped, is javascript:, data:, vbscript: or livescript:.
No database; Django is imported only for its SafeString.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # runs without pytest-django, which would add it
    sys.path.insert(0, str(ROOT))

from moderation.sanitize import (  # noqa: E402
    LINK_REL,
    RICH_TAGS,
    clean_rich_text,
    render_rich_text,
    render_user_text,
)

PAYLOADS = [
    line
    for line in (Path(__file__).with_name("xss_payloads.txt").read_text("utf-8").split("\n"))
    if line.strip()
]

ACTIVE_TAGS = {
    "script", "iframe", "frame", "frameset", "svg", "math", "object", "embed", "applet",
    "style", "link", "meta", "base", "form", "input", "button", "select", "textarea",
    "keygen", "video", "audio", "source", "img", "image", "picture", "portal", "template",
    "isindex", "bgsound", "layer", "ilayer", "xss", "noscript", "marquee", "details",
    "dialog", "body", "html", "head", "title", "xmp", "plaintext", "slot", "use", "animate",
    "set", "foreignobject", "maction",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "background", "dynsrc",
    "lowsrc", "srcset", "cite", "poster", "codebase", "to", "from", "values",
}  # fmt: skip
BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "livescript:")
# Browsers drop ASCII whitespace and control characters anywhere in a URL's scheme.
IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")

USER_TAGS = {"p", "br", "a"}


def _scheme_is_bad(value: str) -> bool:
    """``value`` as both parsers return it: character references already decoded once, as a
    browser decodes them (``&amp;#106;`` stays the text ``&#106;``, a harmless relative URL)."""
    decoded = IGNORED_IN_URL.sub("", value).lower()
    return decoded.startswith(BAD_SCHEMES) or any(
        part.strip().startswith(BAD_SCHEMES) for part in decoded.split(",")
    )


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag.lower(), {k.lower(): v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def _elements_stdlib(markup: str) -> list[tuple[str, dict[str, str]]]:
    collector = _Collector()
    collector.feed(markup)
    collector.close()
    return collector.elements


def _elements_html5lib(markup: str) -> list[tuple[str, dict[str, str]]]:
    try:
        from bleach._vendor import html5lib
    except ImportError:  # pragma: no cover - bleach always vendors it today
        return []
    fragment = html5lib.parseFragment(markup, treebuilder="etree", namespaceHTMLElements=False)
    found: list[tuple[str, dict[str, str]]] = []
    for element in fragment.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        tag = element.tag.rsplit("}", 1)[-1].lower()
        attrs = {k.rsplit("}", 1)[-1].lower(): v for k, v in element.attrib.items()}
        found.append((tag, attrs))
    return found[1:]  # the first is the fragment's own wrapper


def _problems(markup: str, allowed_tags: set[str] | frozenset[str]) -> list[str]:
    problems: list[str] = []
    if re.search(r"<\s*/?\s*script", markup, re.IGNORECASE):
        problems.append("literal <script")
    for parse in (_elements_stdlib, _elements_html5lib):
        for tag, attrs in parse(markup):
            if tag in ACTIVE_TAGS or tag not in allowed_tags:
                problems.append(f"{parse.__name__}: element <{tag}>")
            for name, value in attrs.items():
                if name.startswith("on"):
                    problems.append(f"{parse.__name__}: handler {name} on <{tag}>")
                if name in {"style", "srcdoc", "formaction", "xmlns", "is"}:
                    problems.append(f"{parse.__name__}: attribute {name} on <{tag}>")
                if name in URL_ATTRIBUTES and _scheme_is_bad(value):
                    problems.append(f"{parse.__name__}: {name}={value!r} on <{tag}>")
            if tag == "a" and "href" in attrs and attrs["href"].startswith(("http", "mailto")):
                if attrs.get("rel") != LINK_REL:
                    problems.append(f"link without rel={LINK_REL!r}: {attrs}")
    return problems


def test_corpus_is_big_and_varied() -> None:
    assert len(PAYLOADS) >= 120
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    text = "\n".join(PAYLOADS).lower()
    for needle in (
        "<script", "onerror", "javascript:", "&#106;", "&#x6a;", "<svg", "<math", "data:",
        "<iframe", "expression(", '"><', "${", "{{", "\\u003c", "%3c", "vbscript:", "<style",
        "<object", "<embed", "<base", "<meta", "formaction", "srcdoc", "xlink:href",
    ):  # fmt: skip
        assert needle in text, needle


def test_checker_catches_what_it_should() -> None:
    """The assertions below would fail on unsafe markup (the checker is not vacuous)."""
    assert _problems("<script>alert(1)</script>", USER_TAGS)
    assert _problems('<a href="java&#x09;script:alert(1)">x</a>', USER_TAGS)
    assert _problems('<a href="&#106;avascript:alert(1)">x</a>', USER_TAGS)
    assert _problems('<p onclick="alert(1)">x</p>', USER_TAGS)
    assert _problems('<img src="x">', USER_TAGS)
    assert _problems('<a href="https://example.org">x</a>', USER_TAGS)  # no rel
    assert not _problems(f'<p><a href="https://example.org" rel="{LINK_REL}">x</a></p>', USER_TAGS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_user_text_payload_is_inert(payload: str) -> None:
    out = str(render_user_text(payload))
    assert _problems(out, USER_TAGS) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rich_text_payload_is_inert(payload: str) -> None:
    cleaned = clean_rich_text(payload)
    assert _problems(cleaned, RICH_TAGS) == []
    assert _problems(str(render_rich_text(payload)), RICH_TAGS) == []
    # cleaning is stable: cleaning the stored result again changes nothing dangerous
    assert _problems(clean_rich_text(cleaned), RICH_TAGS) == []


def test_user_text_is_shown_not_interpreted() -> None:
    out = str(render_user_text('<b>หนา</b> & "quotes" <script>alert(1)</script>'))
    assert "&lt;b&gt;หนา&lt;/b&gt;" in out
    assert "&lt;script&gt;" in out
    assert "&amp;" in out


def test_user_text_paragraphs_and_line_breaks() -> None:
    out = str(render_user_text("บรรทัดแรก\nบรรทัดสอง\n\nย่อหน้าใหม่"))
    assert out == "<p>บรรทัดแรก<br>บรรทัดสอง</p><p>ย่อหน้าใหม่</p>"


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("อ่านร่างที่ https://www.law.go.th/listening/123 ครับ", "https://www.law.go.th/listening/123"),
        ("see http://example.org/a?b=1&c=2", "http://example.org/a?b=1&c=2"),
        ("www.example.org/page", "http://www.example.org/page"),
        ("ดู example.com", "http://example.com"),
    ],
)
def test_normal_links_are_clickable_and_marked(text: str, href: str) -> None:
    out = str(render_user_text(text))
    anchors = [attrs for tag, attrs in _elements_stdlib(out) if tag == "a"]
    assert len(anchors) == 1
    assert anchors[0]["href"] == href
    assert anchors[0]["rel"] == LINK_REL == "nofollow ugc noopener"
    assert anchors[0].get("target") == "_blank"
    assert _problems(out, USER_TAGS) == []


def test_rich_text_links_get_rel_and_keep_allowed_markup() -> None:
    out = clean_rich_text(
        '<h2>หมวด 1</h2><p>ดู <a href="https://www.krisdika.go.th/" onclick="x()">ที่นี่</a>'
        "</p><ul><li><strong>ข้อ</strong> 1</li></ul>"
    )
    elements = _elements_stdlib(out)
    assert [tag for tag, _ in elements] == ["h2", "p", "a", "ul", "li", "strong"]
    link = dict(elements)["a"]
    assert link["href"] == "https://www.krisdika.go.th/"
    assert link["rel"] == LINK_REL
    assert "onclick" not in link


def test_mailto_link_in_rich_text_has_rel() -> None:
    out = clean_rich_text('<a href="mailto:info@example.go.th">อีเมล</a>')
    link = dict(_elements_stdlib(out))["a"]
    assert link["href"] == "mailto:info@example.go.th" and link["rel"] == LINK_REL


def test_markdown_link_in_imported_text_becomes_a_safe_link() -> None:
    """Polis descriptions carry Markdown links, e.g. "Scoop and [PEP](https://pep.org.nz)"
    (the scoop-hivemind.biodiversity conversation, summary.csv)."""
    out = str(render_user_text("Scoop and [PEP](https://pep.org.nz) would like to know"))
    assert out == (
        f'<p>Scoop and <a href="https://pep.org.nz" rel="{LINK_REL}" target="_blank">PEP</a>'
        " (pep.org.nz) would like to know</p>"
    )
    assert "[PEP]" not in out


def test_a_link_label_cannot_pass_for_another_address() -> None:
    out = str(render_user_text("See [www.gov.example](https://elsewhere.example/form)"))
    assert ">www.gov.example</a> (elsewhere.example)" in out


def test_markdown_link_label_is_escaped_and_only_web_addresses_are_linked() -> None:
    out = str(render_user_text("[<b>หนา</b>](https://example.org/a?x=1&y=2)"))
    assert "&lt;b&gt;หนา&lt;/b&gt;</a>" in out
    assert 'href="https://example.org/a?x=1&amp;y=2"' in out
    kept = str(render_user_text("[click](javascript:alert(1)) [mail](mailto:a@b.example)"))
    assert "<a " not in kept
    assert "[click](javascript:alert(1))" in kept


def test_markdown_links_as_plain_text() -> None:
    from moderation.sanitize import markdown_links_to_text

    assert (
        markdown_links_to_text("Scoop and [PEP](https://pep.org.nz) ask")
        == "Scoop and PEP (https://pep.org.nz) ask"
    )
    assert markdown_links_to_text("[x](javascript:alert(1))") == "[x](javascript:alert(1))"
