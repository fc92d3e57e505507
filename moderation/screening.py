"""The automatic screen every submission passes before it is published.

Comments, replies, edits and imports all go through :func:`screen`. It is pure Python (no
database, no Django), synchronous and fast: a few regular-expression passes over the text,
plus Thai word segmentation of the few short stretches where a listed word was found.

What it checks, in order:

1. ``EMPTY`` (nothing visible), ``TOO_LONG`` (over ``policy.max_length`` characters),
   ``FLOODING`` (more than ``policy.flood_limit`` submissions by the author within
   ``policy.flood_window``) and ``DUPLICATE`` (same normalised text as one of the author's
   recent texts, or one of their stored ``duplicate_key`` values). When the policy rejects
   one of these, screening stops there.
2. ``PERSONAL_DATA``: Thai citizen ID numbers (13 digits with a valid check digit), Thai
   phone numbers and e-mail addresses. The Council of State keeps citizens' ID numbers
   confidential, so these are replaced in ``masked_text`` by visible placeholders (see
   :data:`MASKS`); the comment is then published as masked.
3. ``LINK_SPAM``: more than ``policy.max_links`` links, link shorteners, or a link repeated.
4. ``PROFANITY``, ``ABUSE`` (insults, slurs, threats aimed at people) and ``IMPOLITE`` (rude
   pronouns such as กู/มึง), from the word lists in ``moderation/wordlists/``.

The outcome is the strictest action the policy gives any reason found ("reject" over "hold"
over "publish"). ``message_th``/``message_en`` explain to the author what happened and what
to do; they are empty when a comment is published with nothing to say.

``findings`` say what matched where (offsets into ``original_text``) for moderators. For
personal data a finding carries the placeholder, never the number itself, so logs of
findings do not copy confidential data. ``original_text`` does contain it and must be kept
away from public views.

Thai is written without spaces, so many profane syllables occur inside innocent words
("สัด" in "สัดส่วน", "หี" in "หีบบัตร", "กู" in "กู้เงิน"). A Thai hit counts only if it starts
and ends on word boundaries, found by dictionary segmentation (newmm, in nlpO3's Rust
implementation or PyThaiNLP's, with PyThaiNLP's Thai word list plus the listed words and the
allow-list, minus a few dictionary compounds that would hide a listed word). Segmentation
runs only around hits, so clean text costs a few regular-expression passes. "เหี้ย" also
names the monitor lizard: in a text about the animal the bare word is not flagged (insults
built on it still are).

Accuracy on hand-labelled real Thai social-media text and throughput are measured in
tests/moderation/test_screening.py and bench/screening_speed.py.
"""

from __future__ import annotations

import math
import re
import tempfile
import threading
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache, partial
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "DEFAULT",
    "DEFAULT_ACTIONS",
    "DEFAULT_POLICY",
    "DEFAULT_SHORTENERS",
    "MASKS",
    "Finding",
    "Link",
    "Outcome",
    "Reason",
    "ScreenPolicy",
    "ScreenResult",
    "find_links",
    "find_offensive",
    "find_personal_data",
    "is_valid_citizen_id",
    "mask_personal_data",
    "normalise_for_duplicate",
    "screen",
    "warm_up",
]

WORDLIST_DIR = Path(__file__).resolve().parent / "wordlists"


class Reason(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    FLOODING = "flooding"
    DUPLICATE = "duplicate"
    PROFANITY = "profanity"
    ABUSE = "abuse"
    IMPOLITE = "impolite"
    LINK_SPAM = "link_spam"
    PERSONAL_DATA = "personal_data"


class Outcome(StrEnum):
    PUBLISH = "publish"
    HOLD = "hold"
    REJECT = "reject"


_SEVERITY = {Outcome.PUBLISH: 0, Outcome.HOLD: 1, Outcome.REJECT: 2}
_REASONS = tuple(Reason)

DEFAULT_ACTIONS: Mapping[Reason, Outcome] = MappingProxyType(
    {
        Reason.EMPTY: Outcome.REJECT,
        Reason.TOO_LONG: Outcome.REJECT,
        Reason.FLOODING: Outcome.REJECT,
        Reason.DUPLICATE: Outcome.REJECT,
        Reason.PROFANITY: Outcome.HOLD,
        Reason.ABUSE: Outcome.HOLD,
        # Rude pronouns are common in earnest comments; they are recorded for moderators
        # but do not stop publication unless a policy says so.
        Reason.IMPOLITE: Outcome.PUBLISH,
        Reason.LINK_SPAM: Outcome.HOLD,
        # Published with the personal data masked.
        Reason.PERSONAL_DATA: Outcome.PUBLISH,
    }
)

# Placeholders for masked personal data. One form for both languages: a short label that
# reads the same in Thai and English pages (the "ID" abbreviation is what Thai cards and
# forms use, ☎ and ✉ are universal) followed by bullets, in square brackets so the reader
# sees at once that something was hidden on purpose.
MASKS: Mapping[str, str] = MappingProxyType(
    {"citizen_id": "[ID •••]", "phone": "[☎ •••]", "email": "[✉ •••]"}
)

DEFAULT_SHORTENERS = frozenset(
    {
        "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "v.gd",
        "buff.ly", "cutt.ly", "rebrand.ly", "shorturl.at", "shorturl.asia", "rb.gy", "t.ly",
        "tiny.cc", "s.id", "lnkd.in", "bit.do", "adf.ly", "shorte.st", "ouo.io", "tiny.one",
        "urlz.fr", "clck.ru", "qrco.de", "surl.li", "shorturl.com", "snip.ly", "trib.al",
        "dlvr.it", "fb.me", "wp.me", "lin.ee", "t.me", "linktr.ee", "tr.ee", "s.shopee.co.th",
        "shope.ee", "s.lazada.co.th", "c.lazada.co.th",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the screen found, for moderators.

    ``start``/``end`` are offsets into the original text. ``text`` is what matched, except
    for personal data, where it is the placeholder. ``kind`` says which check matched:
    "th"/"en" (word lists), "citizen_id"/"phone"/"email", "too_many_links"/"shortener"/
    "repeated_link", "flooding", "duplicate", "too_long", "empty". ``term`` is the word-list
    entry or the link's host.
    """

    reason: Reason
    start: int
    end: int
    text: str
    kind: str
    term: str = ""


@dataclass(slots=True)
class ScreenResult:
    outcome: Outcome
    reasons: list[Reason]
    masked_text: str
    original_text: str
    findings: list[Finding]
    message_th: str
    message_en: str
    retry_after: timedelta | None = None  # set with FLOODING: when the author may try again
    # normalise_for_duplicate(original_text): store it with the comment and pass it back in
    # recent_keys_by_author, so later checks need not normalise the author's texts again.
    duplicate_key: str = ""

    @property
    def published(self) -> bool:
        return self.outcome == Outcome.PUBLISH

    @property
    def held(self) -> bool:
        return self.outcome == Outcome.HOLD

    @property
    def rejected(self) -> bool:
        return self.outcome == Outcome.REJECT


@dataclass(frozen=True, slots=True)
class ScreenPolicy:
    """Thresholds and the action taken for each reason.

    ``actions`` may name only the reasons it changes; the others keep the defaults, e.g.
    ``ScreenPolicy(actions={Reason.IMPOLITE: Outcome.HOLD})``.
    """

    max_links: int = 2
    flood_limit: int = 5
    flood_window: timedelta = timedelta(minutes=1)
    max_length: int = 5000
    actions: Mapping[Reason, Outcome] = field(default_factory=dict)
    # Links to these domains and their subdomains are not counted ("go.th": government).
    trusted_link_domains: tuple[str, ...] = ("go.th",)
    shortener_domains: frozenset[str] = DEFAULT_SHORTENERS

    def action(self, reason: Reason) -> Outcome:
        return Outcome(self.actions.get(reason, DEFAULT_ACTIONS[reason]))


DEFAULT_POLICY = ScreenPolicy()
DEFAULT = DEFAULT_POLICY


# --------------------------------------------------------------------------- personal data

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Separators people put between digit groups ("081-234-5678", "1/1018/00123", "081 234_5678").
_SEP = r"[ \t\u00a0.\-\u2010-\u2015\u2212()/\\_,:;|·•~*'\"]"
# A chain of digit groups joined by short runs of separators, optionally led by "+" for an
# international number. Runs on the text with Thai digits turned into ASCII ones.
_DIGIT_CHAIN = re.compile(rf"(?<![0-9])(?:\(?\+)?[0-9]+(?:{_SEP}{{1,3}}[0-9]+)*(?![0-9])")
_DIGIT_GROUP = re.compile(r"[0-9]+")
# Nine digits or more, however separated: a cheap test before looking for numbers.
_NINE_DIGITS = re.compile(rf"(?:[0-9๐-๙]{_SEP}{{0,3}}){{8}}[0-9๐-๙]")
_THAI_DIGIT = re.compile("[๐-๙]")
_MOBILE = re.compile(r"0[689][0-9]{8}")
_LANDLINE = re.compile(r"0[2-57][0-9]{7}")

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*"
    r"[ \t]?[@＠][ \t]?"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)
# "name [at] domain [dot] com", "name(at)domain.com", "name แอท gmail ดอท com".
_AT_BRACKET = r"\s*[\[\(\{<]\s*(?:at|แอท)\s*[\]\)\}>]\s*"
_DOT_BRACKET = r"\s*[\[\(\{<]\s*(?:dot|ดอท)\s*[\]\)\}>]\s*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
_EMAIL_BRACKETED = re.compile(
    rf"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*{_AT_BRACKET}{_LABEL}"
    rf"(?:(?:{_DOT_BRACKET}|\.){_LABEL})+",
    re.IGNORECASE,
)
# With plain words ("name at gmail dot com") only for the big mail providers, so that
# English prose ("look at this dot com") is left alone.
_EMAIL_SPELLED = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*\s+(?:at|แอท)\s+"
    r"(?:gmail|hotmail|outlook|yahoo|live|icloud|proton(?:mail)?|msn)"
    r"(?:\s*(?:\.|\s(?:dot|ดอท)\s)\s*[A-Za-z]{2,3}){1,2}(?![A-Za-z])",
    re.IGNORECASE,
)


_EMAIL_HINT = re.compile(
    r"[\[\(\{<]\s*(?:at|แอท)\s*[\]\)\}>]|\s(?:at|แอท)\s+(?:gmail|hotmail|outlook|yahoo|live|icloud"
    r"|proton|msn)",
    re.IGNORECASE,
)


def is_valid_citizen_id(number: str) -> bool:
    """13 digits (ASCII or Thai, separators ignored) with a correct mod-11 check digit."""
    digits = re.sub(r"[^0-9]", "", number.translate(_THAI_DIGITS))
    if len(digits) != 13:
        return False
    total = sum(int(digits[i]) * (13 - i) for i in range(12))
    return (11 - total % 11) % 10 == int(digits[12])


def _phone_kind(digits: str, international: bool) -> bool:
    """A Thai mobile (06/08/09 + 8 digits) or landline (0 + area + 7 digits) number, also
    written as +66 / 0066 without the leading 0 (or with it in brackets)."""
    if digits.startswith("0066"):
        rest = digits[4:]
    elif international:
        if not digits.startswith("66"):
            return False
        rest = digits[2:]
    else:
        return bool(_MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits))
    national = "0" + (rest[1:] if rest.startswith("0") else rest)
    return bool(_MOBILE.fullmatch(national) or _LANDLINE.fullmatch(national))


def _numbers(text: str) -> list[tuple[int, int, str]]:
    """Citizen IDs and phone numbers in ``text`` as (start, end, kind)."""
    found: list[tuple[int, int, str]] = []
    if not _NINE_DIGITS.search(text):
        return found
    ascii_digits = text.translate(_THAI_DIGITS) if _THAI_DIGIT.search(text) else text
    for chain in _DIGIT_CHAIN.finditer(ascii_digits):
        groups = [(m.start(), m.end()) for m in _DIGIT_GROUP.finditer(chain.group())]
        if sum(e - s for s, e in groups) < 9:
            continue
        base = chain.start()
        plus = chain.group().lstrip("(").startswith("+")
        i = 0
        while i < len(groups):
            best: tuple[int, str] | None = None
            digits = ""
            for j in range(i, len(groups)):
                digits += chain.group()[groups[j][0] : groups[j][1]]
                if len(digits) > 14:
                    break
                if len(digits) == 13 and is_valid_citizen_id(digits):
                    best = (j, "citizen_id")
                    break
                if _phone_kind(digits, international=plus and i == 0):
                    best = (j, "phone")
            if best is None:
                i += 1
                continue
            j, kind = best
            start = base + (0 if plus and i == 0 else groups[i][0])
            end = base + groups[j][1]
            if start > 0 and ascii_digits[start - 1] == "(" and ")" in ascii_digits[start:end]:
                start -= 1  # "(02) 123 4567"
            found.append((start, end, kind))
            i = j + 1
    return found


def normalise_for_detection(text: str) -> tuple[str, list[int]]:
    """``text`` as detection reads it, and for each of its characters the index of the
    original character it came from.

    Each character is put in Unicode NFKC form (full-width ``０８１`` and ``＠`` become
    ``081`` and ``@``), Thai digits become ASCII ones, and invisible format characters
    (category Cf: zero-width spaces and joiners, bidirectional marks and overrides, soft
    hyphens) are dropped, so none of them can split a number or an address.
    """
    if text.isascii():
        return text, list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        if unicodedata.category(char) == "Cf" or _INVISIBLE_CHAR.match(char):
            continue
        folded = unicodedata.normalize("NFKC", char).translate(_THAI_DIGITS)
        for piece in folded:
            if unicodedata.category(piece) == "Cf":
                continue
            out.append(piece)
            origin.append(i)
    return "".join(out), origin


def find_personal_data(text: str) -> list[Finding]:
    """ID numbers, phone numbers and e-mail addresses, in text order, not overlapping; the
    spans are in ``text`` itself, though detection runs on its normalised form."""
    normal, origin = normalise_for_detection(text)
    findings = _find_personal_data(normal)
    if normal is text:
        return findings
    mapped: list[Finding] = []
    for f in findings:
        start, end = origin[f.start], origin[f.end - 1] + 1
        # invisible characters right after the span go with it
        while end < len(text) and _INVISIBLE_CHAR.match(text[end]):
            end += 1
        mapped.append(Finding(f.reason, start, end, f.text, f.kind, f.term))
    return mapped


def _find_personal_data(text: str) -> list[Finding]:
    spans: list[tuple[int, int, str]] = []
    if "@" in text or "＠" in text:
        spans += [(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    if _EMAIL_HINT.search(text):
        spans += [(m.start(), m.end(), "email") for m in _EMAIL_BRACKETED.finditer(text)]
        spans += [(m.start(), m.end(), "email") for m in _EMAIL_SPELLED.finditer(text)]
    spans += _numbers(text)
    spans.sort(key=lambda s: (s[0], -s[1]))
    findings: list[Finding] = []
    last_end = -1
    for start, end, kind in spans:
        if start < last_end:
            continue
        findings.append(Finding(Reason.PERSONAL_DATA, start, end, MASKS[kind], kind))
        last_end = end
    return findings


def mask_personal_data(text: str) -> tuple[str, list[Finding]]:
    """``text`` with personal data replaced by :data:`MASKS` placeholders, and the findings."""
    findings = find_personal_data(text)
    if not findings:
        return text, findings
    pieces: list[str] = []
    pos = 0
    for f in findings:
        pieces.append(text[pos : f.start])
        pieces.append(MASKS[f.kind])
        pos = f.end
    pieces.append(text[pos:])
    return "".join(pieces), findings


# --------------------------------------------------------------------------------- links

_TLDS = (
    "com|net|org|info|biz|xyz|top|site|online|club|shop|store|app|dev|io|co|me|ly|gl|gd|cc|"
    "to|tv|th|asia|link|click|live|vip|bet|win|casino|tk|ml|ga|cf|gq|us|uk|ru|cn|jp|kr|sg|"
    "vn|ph|au|de|fr|eu|news|blog|page|fun|website|space|tech|icu|cyou|ee|be|gg"
)
_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_URL = re.compile(
    rf"(?:(?:https?|ftp)://|www\.){_URL_CHARS}+"
    rf"|(?<![A-Za-z0-9@.\-_/])(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+"
    rf"(?:{_TLDS})(?![A-Za-z0-9\-])(?:/{_URL_CHARS}*)?",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?)]}'\"*"


@dataclass(frozen=True, slots=True)
class Link:
    start: int
    end: int
    url: str
    host: str
    key: str  # host + path, lower-cased, without scheme, "www." or a trailing slash


def find_links(text: str) -> list[Link]:
    links: list[Link] = []
    if "." not in text:
        return links
    for m in _URL.finditer(text):
        url = m.group()
        while url and url[-1] in _URL_TRAILING:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        bare = re.sub(r"^[a-z]+://", "", url, flags=re.IGNORECASE)
        host = re.split(r"[/?#:]", bare, maxsplit=1)[0].lower().rstrip(".")
        if host.startswith("www."):
            host = host[4:]
        if "@" in host or not host:
            continue
        rest = bare[len(re.split(r"[/?#]", bare, maxsplit=1)[0]) :]
        key = (host + rest).lower().rstrip("/")
        links.append(Link(m.start(), m.start() + len(url), url, host, key))
    return links


def _domain_in(host: str, domains: Iterable[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _link_spam(text: str, policy: ScreenPolicy) -> list[Finding]:
    links = [
        link for link in find_links(text) if not _domain_in(link.host, policy.trusted_link_domains)
    ]
    if not links:
        return []
    findings: list[Finding] = []
    for link in links:
        if link.host in policy.shortener_domains:
            findings.append(
                Finding(Reason.LINK_SPAM, link.start, link.end, link.url, "shortener", link.host)
            )
    counts = Counter(link.key for link in links)
    for link in links:
        if counts[link.key] > 1:
            findings.append(
                Finding(
                    Reason.LINK_SPAM, link.start, link.end, link.url, "repeated_link", link.host
                )
            )
    if len(links) > policy.max_links:
        findings.extend(
            Finding(Reason.LINK_SPAM, link.start, link.end, link.url, "too_many_links", link.host)
            for link in links
        )
    return findings


# ---------------------------------------------------------------------------- word lists

_INVISIBLE = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"  # noqa: E501
_INVISIBLE_CHAR = re.compile(rf"[{_INVISIBLE}]")
# Repairs applied before matching Thai: invisible characters dropped, a doubled sara e
# ("เเ", typed for "แ") joined, sara am typed as nikhahit + sara aa joined, a tone mark
# typed before its vowel put after it, a repeated vowel or tone mark kept once, and a
# character repeated three times or more kept once ("แม่งงงง", "สัสสสส": no Thai word has
# the same letter three times in a row; "อ" is kept twice, see below).
_TH_FIXES = (
    f"(?P<inv>[{_INVISIBLE}]+)"
    "|(?P<ee>\u0e40\u0e40)"
    "|(?P<am>\u0e4d\u0e32)"
    "|(?P<tone>[\u0e48-\u0e4b])(?P<vowel>[\u0e31\u0e34-\u0e39\u0e47])"
    "|(?P<mark>[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])(?P=mark)+"
)
_TH_FIX = re.compile(_TH_FIXES)
_TH_FIX_ALL = re.compile(_TH_FIXES + "|(?P<rep>(?P<char>.)(?P=char){2,})")
# Repeats are collapsed only in texts with a candidate hit (searching for them costs more
# than all the other repairs together).
_TH_REPEAT = re.compile(r"([\u0e01-\u0e4e])\1\1")
_TH_RUN = re.compile(r"[\u0e01-\u0e4e]+")
_SEGMENT_CONTEXT = 40  # characters of context either side of a hit given to the segmenter

_LEET = str.maketrans("013457@$!|", "oieastasii")
_EN_TOKEN = re.compile(r"[a-z0-9@$!|*]*[a-z][a-z0-9@$!|*]*")
_EN_SPACED = re.compile(r"(?<![a-z0-9])(?:[a-z0-9@$*!][ ._\-]){2,}[a-z0-9@$*!](?![a-z0-9])")
_SPACED_SEP = re.compile(r"[ ._\-]")
_REPEAT = re.compile(r"(.)\1")
_COLLAPSE = re.compile(r"(.)\1+")

_SECTION_REASON = {
    "profanity": Reason.PROFANITY,
    "profanity:animal": Reason.PROFANITY,
    "abuse": Reason.ABUSE,
    "impolite": Reason.IMPOLITE,
}


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


_Edits = tuple[tuple[int, int, int, int], ...]


def _th_replacement(m: re.Match[str]) -> str:
    if m.group("inv"):
        return ""
    if m.group("ee"):
        return "\u0e41"
    if m.group("am"):
        return "\u0e33"
    if m.group("tone"):
        return m.group("vowel") + m.group("tone")
    if m.group("mark"):
        return m.group("mark")
    # "อ" also starts the next syllable ("ฮืออออออีเวง"): keep two of it.
    return m.group("char") * (2 if m.group("char") == "\u0e2d" else 1)


def _normalise_thai(text: str, repeats: bool = True) -> tuple[str, _Edits]:
    """Lower-cased text with the Thai repairs, and the edits made.

    Each edit is (start, end) in the result and (start, end) in ``text``; no edits when
    nothing changed (the usual case), so offsets map back with :func:`_original_span`.
    """
    low = _lower(text)
    pattern = _TH_FIX_ALL if repeats else _TH_FIX
    if not pattern.search(low):
        return low, ()
    edits: list[tuple[int, int, int, int]] = []
    shift = 0

    def fix(m: re.Match[str]) -> str:
        nonlocal shift
        s, e = m.span()
        replacement = _th_replacement(m)
        edits.append((s + shift, s + shift + len(replacement), s, e))
        shift += len(replacement) - (e - s)
        return replacement

    return pattern.sub(fix, low), tuple(edits)


def _original_span(edits: _Edits, start: int, end: int) -> tuple[int, int]:
    """The span of ``text`` that produced ``[start, end)`` of its normalised form."""
    if not edits:
        return start, end

    def char(p: int, last: bool) -> int:
        shift = 0
        for ns, ne, os_, oe in edits:
            if p < ns:
                break
            if p < ne:
                return oe if last else os_
            shift = ne - oe
        return p - shift + (1 if last else 0)

    return char(start, last=False), char(end - 1, last=True)


def _read_sections(path: Path) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            sections.setdefault(current, [])
            continue
        sections.setdefault(current, []).append(line)
    return sections


def _trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, longest first, factored as a trie."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends_here = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends_here:
            return f"(?:{body})?" if len(branches) == 1 else body + "?"
        return body

    return build(trie)


def _en_canonical(word: str) -> str:
    return word.translate(_LEET)


def _collapse(word: str) -> str:
    return _COLLAPSE.sub(r"\1", word)


@dataclass(frozen=True, slots=True)
class _EnglishTable:
    exact: frozenset[str]
    prefix: tuple[str, ...]
    infix: tuple[str, ...]
    allow: frozenset[str]
    reason: Mapping[str, Reason]

    prefix_re: re.Pattern[str] | None
    infix_re: re.Pattern[str] | None

    def lookup(self, word: str) -> str | None:
        if word in self.exact:
            return None if word in self.allow else word
        m = self.prefix_re.match(word) if self.prefix_re else None
        if m is None and self.infix_re is not None:
            m = self.infix_re.search(word)
        if m is None or word in self.allow:
            return None
        return m.group()


@dataclass(frozen=True, slots=True)
class _Lists:
    th_regex: re.Pattern[str]
    th_reason: Mapping[str, Reason]
    th_animal: frozenset[str]
    th_prefixes: Mapping[str, tuple[str, ...]]
    zoological: re.Pattern[str] | None
    en_plain: _EnglishTable
    en_collapsed: _EnglishTable
    en_entries: Mapping[str, Reason]  # raw entry (without "*") -> reason, for wildcards
    en_stems: frozenset[str]  # raw entries that match as prefix
    # stems first, so that "f*ck" reads as "fuck", not as the listed spelling "fvck"
    en_wildcard_order: tuple[str, ...]
    en_phrases: re.Pattern[str] | None
    en_phrase_reason: Mapping[str, Reason]


def _load_lists(directory: Path = WORDLIST_DIR) -> _Lists:
    th = _read_sections(directory / "th_profanity.txt")
    th_allow = _read_sections(directory / "th_allow.txt")
    th_reason: dict[str, Reason] = {}
    animal: set[str] = set()
    for section, entries in th.items():
        if section not in _SECTION_REASON:
            continue
        for entry in entries:
            norm = _normalise_thai(entry)[0]
            th_reason.setdefault(norm, _SECTION_REASON[section])
            if section == "profanity:animal":
                animal.add(norm)
    prefixes = {
        term: tuple(sorted((p for p in th_reason if term.startswith(p)), key=len, reverse=True))
        for term in th_reason
    }
    cues = [_normalise_thai(c)[0] for c in th_allow.get("zoological", [])]
    zoological = re.compile(_trie_pattern(cues)) if cues else None

    en = _read_sections(directory / "en_profanity.txt")
    en_allow = [
        _en_canonical(w.lower()) for w in _read_sections(directory / "en_allow.txt").get("", [])
    ]
    exact: dict[str, Reason] = {}
    prefix: dict[str, Reason] = {}
    infix: dict[str, Reason] = {}
    phrases: dict[str, Reason] = {}
    for section, entries in en.items():
        reason = _SECTION_REASON.get(section)
        if reason is None:
            continue
        for entry in (e.lower() for e in entries):
            if " " in entry:
                phrases.setdefault(entry, reason)
            elif entry.startswith("*") and entry.endswith("*"):
                infix.setdefault(_en_canonical(entry.strip("*")), reason)
            elif entry.endswith("*"):
                prefix.setdefault(_en_canonical(entry.rstrip("*")), reason)
            else:
                exact.setdefault(_en_canonical(entry), reason)
    reasons = {**exact, **prefix, **infix}

    def table(fold: Callable[[str], str]) -> _EnglishTable:
        prefixes = {fold(w) for w in prefix}
        infixes = {fold(w) for w in infix}
        return _EnglishTable(
            exact=frozenset(fold(w) for w in exact),
            prefix=tuple(sorted(prefixes, key=len, reverse=True)),
            infix=tuple(sorted(infixes, key=len, reverse=True)),
            allow=frozenset(fold(w) for w in en_allow),
            reason={fold(w): r for w, r in reasons.items()},
            prefix_re=re.compile(_trie_pattern(prefixes)) if prefixes else None,
            infix_re=re.compile(_trie_pattern(infixes)) if infixes else None,
        )

    phrase_patterns = []
    for phrase in sorted(phrases, key=len, reverse=True):
        words = [re.escape(w).replace("'", "['’]?") for w in phrase.split()]
        phrase_patterns.append(r"[\s.,!?\-_]+".join(words))
    en_phrases = (
        re.compile(r"(?<![a-z0-9])(?:" + "|".join(phrase_patterns) + r")(?![a-z0-9])")
        if phrase_patterns
        else None
    )
    return _Lists(
        th_regex=re.compile(_trie_pattern(th_reason)),
        th_reason=MappingProxyType(th_reason),
        th_animal=frozenset(animal),
        th_prefixes=MappingProxyType(prefixes),
        zoological=zoological,
        en_plain=table(lambda w: w),
        en_collapsed=table(_collapse),
        en_entries=MappingProxyType(reasons),
        en_stems=frozenset(prefix) | frozenset(infix),
        en_wildcard_order=tuple(
            sorted(reasons, key=lambda e: (e not in prefix and e not in infix, -len(e), e))
        ),
        en_phrases=en_phrases,
        en_phrase_reason=MappingProxyType(
            {re.sub(r"[^a-z0-9 ]", "", p): r for p, r in phrases.items()}
        ),
    )


class _Segmenter:
    """Thai word segmentation (newmm: fewest dictionary words) with the listed words and the
    allow-list in its dictionary.

    Uses nlpO3, the Rust implementation, when it is installed: about ten times faster, and
    its dictionary lives outside Python, so it adds no objects for the garbage collector to
    walk (PyThaiNLP's trie adds some 300,000). Falls back to PyThaiNLP's newmm.
    """

    def __init__(self, directory: Path = WORDLIST_DIR) -> None:
        from pythainlp.corpus import thai_words

        th = _read_sections(directory / "th_profanity.txt")
        allow = _read_sections(directory / "th_allow.txt").get("words", [])
        listed = [e for s, entries in th.items() if s in _SECTION_REASON for e in entries]
        split = {_normalise_thai(w)[0] for w in th.get("split", [])}
        words = {w for w in thai_words() if w not in split}
        words.update(_normalise_thai(w)[0] for w in (*listed, *allow))
        self._segment: Callable[[str], list[str]] = self._load_nlpo3(words) or self._load_newmm(
            words
        )

    @staticmethod
    def _load_nlpo3(words: set[str]) -> Callable[[str], list[str]] | None:
        try:
            import nlpo3
        except ImportError:
            return None
        name = f"consult-screening-{id(words):x}"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "words.txt"
            path.write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
            _, loaded = nlpo3.load_dict(str(path), name)
        if not loaded:
            return None
        return partial(nlpo3.segment, dict_name=name)

    @staticmethod
    def _load_newmm(words: set[str]) -> Callable[[str], list[str]]:
        from pythainlp.tokenize.newmm import segment
        from pythainlp.util import Trie

        return partial(segment, custom_dict=Trie(words))

    def boundaries(self, text: str) -> set[int]:
        cuts = {0}
        pos = 0
        for token in self._segment(text):
            pos += len(token)
            cuts.add(pos)
        return cuts


_lock = threading.Lock()
_lists: _Lists | None = None
_segmenter: _Segmenter | None = None


def _get_lists() -> _Lists:
    global _lists
    if _lists is None:
        with _lock:
            if _lists is None:
                _lists = _load_lists()
    return _lists


def _get_segmenter() -> _Segmenter:
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                _segmenter = _Segmenter()
    return _segmenter


def warm_up() -> None:
    """Load the word lists and the segmentation dictionary now (about a second) rather than
    on the first submission that needs them. Call it when a worker process starts."""
    _get_lists()
    _get_segmenter()


class _ThaiBoundaries:
    """Word boundaries around hits in one text, segmenting each stretch at most once."""

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self.runs: list[tuple[int, int]] | None = None
        self.cache: dict[tuple[int, int], set[int]] = {}

    def aligned(self, start: int, end: int) -> bool:
        if self.runs is None:
            self.runs = [m.span() for m in _TH_RUN.finditer(self.norm)]
        i = bisect_right(self.runs, (start, len(self.norm) + 1)) - 1
        if i < 0 or self.runs[i][1] < end or self.runs[i][1] <= start:
            return True  # not inside one Thai stretch: bounded by non-Thai characters
        run_start, run_end = self.runs[i]
        window = (max(run_start, start - _SEGMENT_CONTEXT), min(run_end, end + _SEGMENT_CONTEXT))
        cuts = self.cache.get(window)
        if cuts is None:
            offset = window[0]
            local = _get_segmenter().boundaries(self.norm[window[0] : window[1]])
            cuts = {offset + c for c in local}
            self.cache[window] = cuts
        return start in cuts and end in cuts


def _thai_findings(text: str, lists: _Lists) -> list[Finding]:
    norm, edits = _normalise_thai(text, repeats=False)
    m = lists.th_regex.search(norm)
    if m is None:
        return []
    if _TH_REPEAT.search(norm):
        norm, edits = _normalise_thai(text)
        m = lists.th_regex.search(norm)
        if m is None:
            return []
    findings: list[Finding] = []
    bounds = _ThaiBoundaries(norm)
    zoological: bool | None = None
    while m is not None:
        start = m.start()
        next_pos = start + 1
        for term in lists.th_prefixes[m.group()]:
            end = start + len(term)
            if not bounds.aligned(start, end):
                continue
            if term in lists.th_animal:
                if zoological is None:
                    zoological = bool(lists.zoological and lists.zoological.search(norm))
                if zoological:
                    next_pos = end
                    break
            s, e = _original_span(edits, start, end)
            findings.append(Finding(lists.th_reason[term], s, e, text[s:e], "th", term))
            next_pos = end
            break
        m = lists.th_regex.search(norm, next_pos)
    return findings


def _wildcard_match(word: str, lists: _Lists) -> str | None:
    """ "f*ck", "s**t": each "*" stands for one letter of a listed word."""
    stars = word.count("*")
    if stars == 0 or stars * 2 > len(word):
        return None
    for entry in lists.en_wildcard_order:
        if entry in lists.en_stems:
            if len(word) < len(entry):
                continue
            candidate = word[: len(entry)]
        elif len(word) != len(entry):
            continue
        else:
            candidate = word
        if all(c == "*" or c == e for c, e in zip(candidate, entry, strict=True)):
            return entry
    return None


@lru_cache(maxsize=65536)
def _english_token(raw: str) -> tuple[str, Reason] | None:
    """:func:`_english_word` with the loaded lists, cached: words repeat a lot."""
    return _english_word(raw, _get_lists())


def _english_word(raw: str, lists: _Lists) -> tuple[str, Reason] | None:
    word = _en_canonical(raw.strip("*!|") if len(raw) > 2 else raw)
    if not word:
        return None
    hit = lists.en_plain.lookup(word)
    if hit is not None:
        return hit, lists.en_plain.reason[hit]
    if _REPEAT.search(word):
        hit = lists.en_collapsed.lookup(_collapse(word))
        if hit is not None:
            return hit, lists.en_collapsed.reason[hit]
    if "*" in word:
        hit = _wildcard_match(word, lists)
        if hit is not None:
            return hit, lists.en_entries[hit]
    return None


_LATIN = re.compile("[A-Za-z]")


def _english_findings(text: str, lists: _Lists) -> list[Finding]:
    findings: list[Finding] = []
    if not _LATIN.search(text):
        return findings
    low = _lower(text)
    seen: set[tuple[int, int]] = set()
    for m in _EN_TOKEN.finditer(low):
        token = m.group()
        hit = _english_token(token) if len(token) <= 40 else _english_word(token, lists)
        if hit is not None:
            findings.append(
                Finding(hit[1], m.start(), m.end(), text[m.start() : m.end()], "en", hit[0])
            )
            seen.add(m.span())
    for m in _EN_SPACED.finditer(low):
        joined = _SPACED_SEP.sub("", m.group())
        hit = _english_word(joined, lists)
        if hit is not None and m.span() not in seen:
            findings.append(
                Finding(hit[1], m.start(), m.end(), text[m.start() : m.end()], "en", hit[0])
            )
    if lists.en_phrases is not None:
        for m in lists.en_phrases.finditer(low):
            key = re.sub(r"[^a-z0-9 ]", "", re.sub(r"[\s.,!?\-_]+", " ", m.group()))
            reason = lists.en_phrase_reason.get(key, Reason.ABUSE)
            findings.append(
                Finding(reason, m.start(), m.end(), text[m.start() : m.end()], "en", key)
            )
    return findings


def find_offensive(text: str) -> list[Finding]:
    """Profanity, abuse and impolite words (Thai and English), in text order."""
    lists = _get_lists()
    findings = _thai_findings(text, lists) + _english_findings(text, lists)
    findings.sort(key=lambda f: (f.start, f.end))
    return findings


# ------------------------------------------------------------------ flooding and duplicates

_DUP_DROP = re.compile(rf"[\s{_INVISIBLE}_]+|[^\w\u0e00-\u0e7f]+")
_DUP_RUN = re.compile(r"(\D)\1{2,}")  # not digits: 1,000 baht is not 10 baht


def normalise_for_duplicate(text: str) -> str:
    """The text reduced for comparison: case, spacing, punctuation, emoji and long runs of a
    repeated character ("มากกกก", "!!!!") do not make two comments different; numbers do
    ("มาตรา 2" is not "มาตรา 222")."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    reduced = _DUP_RUN.sub(r"\1", _DUP_DROP.sub("", folded))
    return reduced or folded.strip()


_cached_duplicate_key = lru_cache(maxsize=2048)(normalise_for_duplicate)


def _duplicate_key(text: str) -> str:
    # The same author's recent texts come back on every submission: cache their keys,
    # but not very long texts (memory).
    return _cached_duplicate_key(text) if len(text) <= 10_000 else normalise_for_duplicate(text)


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _flood_retry_after(
    times: Sequence[datetime], now: datetime, policy: ScreenPolicy
) -> timedelta | None:
    """How long until one more submission is allowed, or None if it is allowed now."""
    if policy.flood_limit <= 0 or not times:
        return None
    window_start = now - policy.flood_window
    recent = sorted(min(t, now) for t in map(_as_utc, times) if t > window_start)
    if len(recent) < policy.flood_limit:
        return None
    must_expire = recent[len(recent) - policy.flood_limit]
    return max(must_expire + policy.flood_window - now, timedelta(seconds=1))


# ------------------------------------------------------------------------------ messages

_KIND_TH = {"citizen_id": "เลขประจำตัวประชาชน", "phone": "หมายเลขโทรศัพท์", "email": "อีเมล"}
_KIND_EN = {"citizen_id": "ID number", "phone": "phone number", "email": "e-mail address"}


def _duration(delta: timedelta) -> tuple[str, str]:
    seconds = max(1, math.ceil(delta.total_seconds()))
    if seconds < 90:
        return f"{seconds} วินาที", f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    if minutes < 90:
        return f"{minutes} นาที", f"{minutes} minutes"
    hours = math.ceil(minutes / 60)
    return f"{hours} ชั่วโมง", f"{hours} hours"


def _quoted(findings: Iterable[Finding], reason: Reason) -> str:
    words: list[str] = []
    for f in findings:
        if f.reason == reason and f.text not in words:
            words.append(f.text)
    shown = ", ".join(f"“{w}”" for w in words[:3])
    return shown + (" …" if len(words) > 3 else "")


def _reason_messages(
    reason: Reason,
    findings: list[Finding],
    text: str,
    policy: ScreenPolicy,
    retry_after: timedelta | None,
) -> tuple[str, str]:
    if reason == Reason.EMPTY:
        return (
            "ความคิดเห็นว่างเปล่า โปรดพิมพ์ข้อความก่อนส่ง",
            "The comment is empty. Please write something before submitting.",
        )
    if reason == Reason.TOO_LONG:
        return (
            f"ความคิดเห็นยาว {len(text):,} ตัวอักษร เกินกำหนด {policy.max_length:,} ตัวอักษร "
            "โปรดตัดให้สั้นลงหรือแบ่งเป็นหลายความคิดเห็น",
            f"The comment is {len(text):,} characters long; the limit is "
            f"{policy.max_length:,}. Please shorten it or split it into several comments.",
        )
    if reason == Reason.FLOODING:
        wait_th, wait_en = _duration(retry_after or policy.flood_window)
        window_th, window_en = _duration(policy.flood_window)
        return (
            f"คุณส่งความคิดเห็นถี่เกินไป (เกิน {policy.flood_limit} ครั้งใน {window_th}) "
            f"โปรดรออีกประมาณ {wait_th} แล้วส่งใหม่",
            f"You are submitting too often (more than {policy.flood_limit} in {window_en}). "
            f"Please wait about {wait_en} and submit again.",
        )
    if reason == Reason.DUPLICATE:
        return (
            "คุณส่งความคิดเห็นนี้ไปแล้ว ความคิดเห็นที่ซ้ำกันจะไม่เผยแพร่ซ้ำ",
            "You have already submitted this comment; the same text is not published twice.",
        )
    if reason == Reason.PROFANITY:
        words = _quoted(findings, reason)
        return (
            f"ความคิดเห็นมีถ้อยคำหยาบคาย ({words}) ความคิดเห็นต่อร่างกฎหมายต้องใช้ถ้อยคำสุภาพ "
            "คุณแก้ไขถ้อยคำแล้วส่งใหม่ได้",
            f"The comment contains vulgar language ({words}). Comments on draft laws must be "
            "polite; you can reword it and submit again.",
        )
    if reason == Reason.ABUSE:
        words = _quoted(findings, reason)
        return (
            f"ความคิดเห็นมีถ้อยคำที่อาจเป็นการดูหมิ่น ข่มขู่ หรือโจมตีบุคคล ({words}) "
            "โปรดวิจารณ์ที่เนื้อหาของร่าง ไม่ใช่ตัวบุคคล",
            f"The comment contains words that may insult, threaten or attack a person "
            f"({words}). Please criticise the draft, not people.",
        )
    if reason == Reason.IMPOLITE:
        words = _quoted(findings, reason)
        return (
            f"ความคิดเห็นมีถ้อยคำไม่สุภาพ ({words}) โปรดใช้ถ้อยคำสุภาพ",
            f"The comment contains impolite words ({words}). Please use polite language.",
        )
    if reason == Reason.LINK_SPAM:
        kinds = {f.kind for f in findings if f.reason == reason}
        th: list[str] = []
        en: list[str] = []
        if "too_many_links" in kinds:
            th.append(f"มีลิงก์เกิน {policy.max_links} ลิงก์")
            en.append(f"it has more than {policy.max_links} links")
        if "shortener" in kinds:
            th.append("มีลิงก์ย่อที่ไม่เห็นปลายทาง")
            en.append("it uses a link shortener that hides the destination")
        if "repeated_link" in kinds:
            th.append("มีลิงก์เดียวกันซ้ำ")
            en.append("it repeats the same link")
        return (
            "ความคิดเห็น" + " และ".join(th) + " ผู้ดูแลจะตรวจสอบลิงก์ก่อน",
            "The comment will be checked because " + " and ".join(en) + ".",
        )
    # PERSONAL_DATA
    kinds_found = list(dict.fromkeys(f.kind for f in findings if f.reason == reason))
    return (
        "เพื่อคุ้มครองข้อมูลส่วนบุคคล เราซ่อน"
        + " ".join(_KIND_TH[k] for k in kinds_found)
        + "ในความคิดเห็นของคุณ ส่วนที่ซ่อนแสดงเป็น "
        + " ".join(MASKS[k] for k in kinds_found),
        "To protect personal data we hid the "
        + ", ".join(_KIND_EN[k] + "s" for k in kinds_found)
        + " in your comment; they appear as "
        + " ".join(MASKS[k] for k in kinds_found)
        + ".",
    )


_HEAD = {
    Outcome.REJECT: ("ไม่สามารถรับความคิดเห็นนี้ได้", "This comment could not be accepted."),
    Outcome.HOLD: (
        "ความคิดเห็นของคุณจะเผยแพร่หลังผู้ดูแลตรวจสอบแล้ว",
        "Your comment will be published after a moderator has reviewed it.",
    ),
}


def _compose(
    outcome: Outcome,
    reasons: list[Reason],
    findings: list[Finding],
    text: str,
    policy: ScreenPolicy,
    retry_after: timedelta | None,
) -> tuple[str, str]:
    parts_th: list[str] = []
    parts_en: list[str] = []
    if outcome in _HEAD:
        parts_th.append(_HEAD[outcome][0])
        parts_en.append(_HEAD[outcome][1])
    for reason in reasons:
        if policy.action(reason) == Outcome.PUBLISH and reason != Reason.PERSONAL_DATA:
            continue
        th, en = _reason_messages(reason, findings, text, policy, retry_after)
        parts_th.append(th)
        parts_en.append(en)
    return " ".join(parts_th), " ".join(parts_en)


# -------------------------------------------------------------------------------- screen

_VISIBLE = re.compile(rf"[^\s{_INVISIBLE}]")


def _result(
    text: str,
    masked: str,
    findings: list[Finding],
    policy: ScreenPolicy,
    retry_after: timedelta | None = None,
    duplicate_key: str = "",
) -> ScreenResult:
    present = {f.reason for f in findings}
    reasons = [r for r in _REASONS if r in present]
    outcome = Outcome.PUBLISH
    for reason in reasons:
        action = policy.action(reason)
        if _SEVERITY[action] > _SEVERITY[outcome]:
            outcome = action
    message_th, message_en = _compose(outcome, reasons, findings, text, policy, retry_after)
    return ScreenResult(
        outcome=outcome,
        reasons=reasons,
        masked_text=masked,
        original_text=text,
        findings=findings,
        message_th=message_th,
        message_en=message_en,
        retry_after=retry_after,
        duplicate_key=duplicate_key,
    )


def screen(
    text: str,
    *,
    policy: ScreenPolicy = DEFAULT_POLICY,
    recent_texts_by_author: Sequence[str] = (),
    recent_times_by_author: Sequence[datetime] = (),
    now: datetime | None = None,
    recent_keys_by_author: Sequence[str] = (),
) -> ScreenResult:
    """Screen one submission.

    ``recent_texts_by_author``: the author's recent texts (for DUPLICATE), without the one
    being edited; or, cheaper, ``recent_keys_by_author``: their stored
    ``ScreenResult.duplicate_key`` values. ``recent_times_by_author``: when the author's
    recent submissions were made (for FLOODING); naive datetimes are taken as UTC. Pass none
    of these for bulk imports.
    """
    text = text or ""
    if not _VISIBLE.search(text):
        return _result(text, text, [Finding(Reason.EMPTY, 0, len(text), "", "empty")], policy)
    key = _duplicate_key(text) if len(text) <= policy.max_length else ""

    gate: list[Finding] = []
    if len(text) > policy.max_length:
        gate.append(
            Finding(Reason.TOO_LONG, policy.max_length, len(text), "", "too_long", str(len(text)))
        )
    moment = _as_utc(now) if now is not None else datetime.now(UTC)
    retry_after = _flood_retry_after(recent_times_by_author, moment, policy)
    if retry_after is not None:
        gate.append(Finding(Reason.FLOODING, 0, 0, "", "flooding"))
    if key and (
        key in recent_keys_by_author
        or any(t == text or _duplicate_key(t) == key for t in recent_texts_by_author if t)
    ):
        gate.append(Finding(Reason.DUPLICATE, 0, len(text), "", "duplicate"))
    if any(policy.action(f.reason) == Outcome.REJECT for f in gate):
        masked, _ = mask_personal_data(text)
        return _result(text, masked, gate, policy, retry_after, key)

    masked, personal = mask_personal_data(text)
    findings = gate + personal + _link_spam(text, policy) + find_offensive(text)
    return _result(text, masked, findings, policy, retry_after, key)
