"""Text handling for comment analytics: language detection, normalisation, tokenisation.

Thai and English, including both in one comment. Pure Python, no Django.

Thai word segmentation uses nlpO3 (the Rust implementation of PyThaiNLP's ``newmm`` dictionary
maximal matching) with the word list bundled inside the ``pythainlp`` package, read from disk:
nothing is downloaded at run time. Measured on the 126,095 Thai runs of the Wisesight messages
(``bench/themes_speed.py --engines``, one core): nlpO3 0.93 s, PyThaiNLP ``newmm`` 4.96 s, a 5.3x
speed-up, with identical segmentation on 100% of the runs. ``newmm`` is used only if nlpO3
cannot be imported. Large batches are tokenised in worker processes (``map_chunks``).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Literal, TypeVar

# PyThaiNLP must never reach the network or write outside the project.
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
if "PYTHAINLP_DATA" not in os.environ:  # the newer name; PyThaiNLP refuses both being set
    os.environ.setdefault(
        "PYTHAINLP_DATA_DIR", str(Path(__file__).resolve().parent.parent / "var" / "pythainlp-data")
    )

__all__ = [
    "ENGLISH_STOPWORDS",
    "Language",
    "detect_language",
    "engine",
    "map_chunks",
    "pool_size",
    "normalize",
    "segment_thai",
    "stem_english",
    "thai_stopwords",
    "tokenize",
    "tokenize_many",
    "words",
]

Language = Literal["th", "en", "other"]

# --- character classes --------------------------------------------------------------------

_THAI_LETTER = re.compile(r"[\u0E01-\u0E3A\u0E40-\u0E45\u0E47-\u0E4E]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]")
_OTHER_LETTER = re.compile(r"[^\W\d_\u0E00-\u0E7FA-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]")


def detect_language(text: str) -> Language:
    """Script-based language of ``text``: the script with most letters wins.

    Thai letters (consonants, vowels, tone marks) count for ``"th"``, Latin letters for
    ``"en"``, any other letter (CJK, Cyrillic, ...) for ``"other"``. Digits, punctuation,
    emoji and spaces do not count; a text with no letters is ``"other"``. A tie between Thai
    and Latin goes to Thai, the platform's first language.
    """
    if not text:
        return "other"
    text = _strip_links(text)
    thai = len(_THAI_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    other = len(_OTHER_LETTER.findall(text))
    if thai == 0 and latin == 0:
        return "other"
    if other > thai and other > latin:
        return "other"
    return "th" if thai >= latin else "en"


# --- normalisation ------------------------------------------------------------------------

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_THAI_DIGIT = re.compile("[\u0e50-\u0e59]")
_INVISIBLE = re.compile("[\u200c\u200d\u2060\ufeff\u00ad]")

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MENTION = re.compile(r"(?<![\w@])@\w+")
_TLD = r"\.(?:com|net|org|info|io|ly|me|co|th|gov|edu)\b"
_DOMAIN_HINT = re.compile(_TLD, re.IGNORECASE)
_DOMAIN = re.compile(r"(?<![\w.])[a-z0-9-]+(?:\.[a-z0-9-]+)*" + _TLD + r"(?:/\S*)?", re.IGNORECASE)
_EMOJI = re.compile(
    "["
    "\U0001f000-\U0001faff"  # pictographs, emoticons, transport, flags, symbols & pictographs
    "\U00002600-\U000027bf"  # miscellaneous symbols, dingbats
    "\U00002300-\U000023ff"  # miscellaneous technical (watch, hourglass, ...)
    "\U00002b00-\U00002bff"  # arrows, stars
    "\U0000fe00-\U0000fe0f"  # variation selectors
    "\U000020e3"  # combining keycap
    "\U000e0020-\U000e007f"  # tag characters (subdivision flags)
    "\u2190-\u21ff"  # arrows
    "\u25a0-\u25ff"  # geometric shapes
    "\u3030\u303d\u3297\u3299\u00a9\u00ae\u2122"
    "]+"
)
# Laughter: "555", "5555+", "ถถถ" (5 typed on the Thai keyboard layout), "haha", "lol".
_LAUGH_DIGITS = re.compile(r"(?<![\d.,])5{3,}\+*(?![\d.,])|ถ{3,}")
_LAUGH_WORDS = re.compile(r"\b(?:a?ha(?:ha)+h?|hehe(?:he)*|lo+l|lmao|rofl)\b")
_LAUGH_HINTS = ("haha", "hehe", "lol", "lool", "lmao", "rofl")
# Thai typing variants, fixed in one pass: "เเ" typed for "แ", "ํา" (nikhahit + sara aa) for
# "ำ", a tone mark typed before an upper or lower vowel.
_THAI_VARIANT = re.compile(
    "(\u0e40\u0e40)|\u0e4d([\u0e48-\u0e4b]?)\u0e32|([\u0e48-\u0e4c])([\u0e31\u0e34-\u0e3a\u0e47])"
)
# Any character but a digit or a space, repeated: collapsed in one pass (see _collapse).
_REPEAT = re.compile(r"([^\d\s])\1+")
# the same for ASCII: a letter three or more times, punctuation twice or more
_REPEAT_ASCII = re.compile(r"([a-z])\1{2,}|([^\w\s])\2+")
_THAI_MARKS = frozenset(
    chr(c) for c in (*range(0x0E30, 0x0E3B), *range(0x0E40, 0x0E46), *range(0x0E47, 0x0E4F))
)
_THAI_CONSONANTS = frozenset(chr(c) for c in range(0x0E01, 0x0E2F))
_THAI_CHARS = frozenset(chr(c) for c in range(0x0E01, 0x0E4F))


def _fix_thai_variant(m: re.Match[str]) -> str:
    if m.group(1):
        return "\u0e41"
    if m.group(3):
        return m.group(4) + m.group(3)
    return m.group(2) + "\u0e33"


def _collapse(m: re.Match[str]) -> str:
    """A run of one repeated character -> what it stands for."""
    run = m.group(0)
    ch = run[0]
    if ch in _THAI_MARKS:  # a vowel or tone mark is never doubled in Thai spelling
        return ch
    if ch in _THAI_CONSONANTS:
        if len(run) >= 3:
            return ch
        # a doubled final consonant ("มากก") is a typing habit; ร is not ("สรร", "กรร")
        following = m.string[m.end() : m.end() + 1]
        return ch if ch != "\u0e23" and following not in _THAI_CHARS else run
    if ch.isalpha():  # Latin and other letters: at most two ("good" stays, "sooo" -> "soo")
        return run[:2]
    return ch  # punctuation and symbols: one


_MAI_YAMOK = re.compile("\\s*\u0e46+")
_HASH = re.compile(r"#(?=\w)")


def normalize(text: str) -> str:
    """Canonical form of a comment for hashing, deduplication and tokenisation.

    - Unicode NFC; zero-width characters dropped (a zero-width space becomes a space);
    - URLs, e-mail addresses and @mentions removed; ``#`` of hashtags dropped, word kept;
    - emoji and pictographic symbols removed;
    - Thai digits become Arabic digits (``๒๕๖๗`` -> ``2567``);
    - laughter removed: ``555``, ``5555+``, ``ถถถ``, ``haha``, ``lol``;
    - Thai typing variants fixed: ``เเ`` -> ``แ``, ``ํา`` -> ``ำ``, tone mark typed before an
      upper/lower vowel reordered;
    - repeated characters collapsed: a Thai vowel or tone mark repeated (``ค่ะะะ`` -> ``ค่ะ``),
      a Thai consonant three or more times (``มากกกก`` -> ``มาก``) and a doubled final
      consonant (``มากก`` -> ``มาก``, but never ``รร``); a Latin letter three or more times
      becomes two (``sooooo`` -> ``soo``, ``good`` stays); repeated punctuation becomes one;
    - ``ๆ`` (repeat the previous word) removed: emphasis carries no new content;
    - Latin letters lower-cased, whitespace collapsed, ends stripped.
    """
    if not text:
        return ""
    if text.isascii():  # most English comments: no Thai, emoji or invisible characters
        return _normalize_ascii(text)
    text = unicodedata.normalize("NFC", text)
    if "\u200b" in text:
        text = text.replace("\u200b", " ")
    text = _strip_links(_INVISIBLE.sub("", text))
    if "#" in text:
        text = _HASH.sub("", text)
    text = _EMOJI.sub(" ", text)
    if _THAI_DIGIT.search(text):
        text = text.translate(_THAI_DIGITS)
    text = text.lower()
    if "555" in text or "ถถถ" in text:
        text = _LAUGH_DIGITS.sub(" ", text)
    if _THAI_LETTER.search(text):
        text = _THAI_VARIANT.sub(_fix_thai_variant, text)
        if "\u0e46" in text:
            text = _MAI_YAMOK.sub(" ", text)
    text = _REPEAT.sub(_collapse, text)
    if any(hint in text for hint in _LAUGH_HINTS):
        text = _LAUGH_WORDS.sub(" ", text)
    return " ".join(text.split())


def _normalize_ascii(text: str) -> str:
    """``normalize`` for pure ASCII text (same result, fewer passes)."""
    text = _strip_links(text)
    if "#" in text:
        text = _HASH.sub("", text)
    text = text.lower()
    if "555" in text:
        text = _LAUGH_DIGITS.sub(" ", text)
    text = _REPEAT_ASCII.sub(_collapse_ascii, text)
    if any(hint in text for hint in _LAUGH_HINTS):
        text = _LAUGH_WORDS.sub(" ", text)
    return " ".join(text.split())


def _collapse_ascii(m: re.Match[str]) -> str:
    return m.group(1) * 2 if m.group(1) else m.group(2)


def _strip_links(text: str) -> str:
    """Remove URLs, bare domains, e-mail addresses and @mentions."""
    if "://" in text or "www." in text or "WWW." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub(" ", _EMAIL.sub(" ", text))
    if "." in text and _DOMAIN_HINT.search(text):
        text = _DOMAIN.sub(" ", text)
    return text


# --- Thai segmentation --------------------------------------------------------------------

_NLPO3_DICT_NAME = "consult_analytics_words_th"
_engine: str | None = None


def _load_engine() -> str:
    """Load the segmenter once per process: nlpO3 with PyThaiNLP's bundled word list."""
    global _engine
    if _engine is not None:
        return _engine
    try:
        import nlpo3

        resource = files("pythainlp.corpus").joinpath("words_th.txt")
        with as_file(resource) as path:  # a real file inside site-packages: no copy is made
            message, ok = nlpo3.load_dict(str(path), _NLPO3_DICT_NAME)
        if not ok and "already" not in message.lower():
            raise RuntimeError(message)
        _engine = "nlpo3"
    except ImportError:  # pragma: no cover - nlpo3 is a pinned dependency
        _engine = "newmm"
    return _engine


def engine() -> str:
    """Name of the Thai word segmentation engine in use (``"nlpo3"`` or ``"newmm"``)."""
    return _load_engine()


@lru_cache(maxsize=200_000)
def segment_thai(run: str) -> tuple[str, ...]:
    """Segment a run of Thai characters into words (cached: comments repeat a lot)."""
    if _load_engine() == "nlpo3":
        import nlpo3

        return tuple(nlpo3.segment(run, _NLPO3_DICT_NAME))
    from pythainlp.tokenize import word_tokenize  # pragma: no cover

    return tuple(word_tokenize(run, engine="newmm", keep_whitespace=False))  # pragma: no cover


# --- stop words ---------------------------------------------------------------------------

ENGLISH_STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each either else etc even ever every few for from further
    get gets got had hadn't has hasn't have haven't having he he'd he'll he's her here here's
    hers herself him himself his how how's however i i'd i'll i'm i've ie if in into is isn't
    it it's its itself just let's like ll may me might more most much must mustn't my myself
    need no nor not now of off often on once one only or other ought our ours ourselves out
    over own please put quite rather re really said same say says shall shan't she she'd
    she'll she's should shouldn't since so some still such than that that's the their theirs
    them themselves then there there's these they they'd they'll they're they've thing things
    this those though through thus to too under until up upon us ve very via was wasn't we we'd
    we'll we're we've were weren't what what's when when's where where's whether which while
    who who's whom whose why why's will with within without won't would wouldn't yes yet you
    you'd you'll you're you've your yours yourself yourselves
    """.split()
)

# Thai fillers and polite particles missing from PyThaiNLP's list, as people type them.
_THAI_EXTRA_STOPWORDS = frozenset(
    """
    คับ ครัช คะ ค่า ค้า คร้าบ ครับผม นะคะ นะครับ นะค่ะ จ้ะ จ๊ะ จ้า จ๋า อ่ะ อะ อ่า เนอะ ล่ะ
    หรอ เหรอ ป่ะ ปะ มั้ย ไหม เถอะ ซิ สิ เลย แหละ เอง นี่ นั่น โน่น ผม ดิฉัน ฉัน หนู เค้า เขา
    พวกเรา กระผม ข้าพเจ้า ท่าน คุณ อืม เออ โอเค ก็ได้ ด้วย ค่ะ ครับ
    """.split()
)


@lru_cache(maxsize=1)
def thai_stopwords() -> frozenset[str]:
    """PyThaiNLP's Thai stop words (bundled, read from disk) plus common chat particles."""
    from pythainlp.corpus import thai_stopwords as pythainlp_stopwords

    return frozenset(pythainlp_stopwords()) | _THAI_EXTRA_STOPWORDS


# --- tokenisation -------------------------------------------------------------------------

_RUN = re.compile(
    r"([\u0E01-\u0E4E]+)"  # a Thai run
    r"|([a-z\u00e0-\u00f6\u00f8-\u024f][a-z0-9\u00e0-\u00f6\u00f8-\u024f]*"  # a Latin word
    r"(?:\.[0-9]+|['’-][a-z0-9\u00e0-\u00f6\u00f8-\u024f]+)*)"
    r"|([0-9]+(?:[.,][0-9]+)*)"  # a number
)
_THAI_CONSONANT = re.compile("[\u0e01-\u0e2e]")


def words(normalized: str) -> list[str]:
    """Every word of an already normalised text, in order: Thai segments, Latin words, numbers.

    Nothing is removed: this is the view used to recognise copies of the same letter.
    """
    out: list[str] = []
    for thai, latin, number in _RUN.findall(normalized):
        if thai:
            out.extend(segment_thai(thai))
        else:
            out.append(latin.replace("’", "'") if "’" in latin else latin or number)
    return out


def stem_english(word: str) -> str:
    """Harman's "S" stemmer: fold English plurals (``taxes`` -> ``tax``, ``policies`` -> ``policy``)."""
    if len(word) <= 3 or not word.endswith("s"):
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        if word.endswith(("ches", "shes", "sses", "xes", "zes")):
            return word[:-2]
        return word[:-1]
    if word.endswith(("us", "ss", "is")):
        return word
    return word[:-1]


@lru_cache(maxsize=1)
def _english_stopwords() -> frozenset[str]:
    return ENGLISH_STOPWORDS | frozenset(w.replace("'", "") for w in ENGLISH_STOPWORDS)


_latin_seen: dict[str, str] = {}  # Latin word -> its token, "" when it is not informative


def _latin_token(word: str) -> str:
    token = _latin_seen.get(word)
    if token is not None:
        return token
    token = word.replace("’", "'")
    if token.endswith("'s"):
        token = token[:-2]
    stop = _english_stopwords()
    if len(token) < 2 or token in stop:
        token = ""
    else:
        token = stem_english(token)
        if token in stop:
            token = ""
    if len(_latin_seen) >= 500_000:  # bounded: a million comments carry many typos
        _latin_seen.clear()
    _latin_seen[word] = token
    return token


@lru_cache(maxsize=200_000)
def _thai_tokens(run: str) -> tuple[str, ...]:
    """Informative words of a Thai run: no stop words, no single characters, no lone marks."""
    stop = thai_stopwords()
    return tuple(
        t for t in segment_thai(run) if len(t) > 1 and t not in stop and _THAI_CONSONANT.search(t)
    )


def _informative(normalized: str) -> list[str]:
    out: list[str] = []
    for thai, latin, _ in _RUN.findall(normalized):
        if thai:
            out.extend(_thai_tokens(thai))
        elif latin:  # numbers carry no theme
            token = _latin_token(latin)
            if token:
                out.append(token)
    return out


def tokenize(text: str, *, normalized: bool = False) -> list[str]:
    """Informative words of a comment, Thai and English alike, in order.

    The text is normalised first (unless ``normalized=True``), Thai runs are segmented,
    Latin words are kept with plural ``s`` folded, and stop words, single characters and
    bare numbers are removed.
    """
    return _informative(text if normalized else normalize(text))


def tokenize_many(texts: Iterable[str], *, normalized: bool = False) -> list[list[str]]:
    """``tokenize`` over many texts, segmenting each distinct normalised text once."""
    seen: dict[str, list[str]] = {}
    out: list[list[str]] = []
    for text in texts:
        norm = text if normalized else normalize(text)
        tokens = seen.get(norm)
        if tokens is None:
            tokens = seen[norm] = _informative(norm)
        out.append(tokens)
    return out


PARALLEL_MIN = 20_000  # below this many texts, map_chunks stays in this process
_T = TypeVar("_T")


def workers() -> int:
    """Worker processes for large inputs: the cores this process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def pool_size(n_texts: int, size: int) -> int:
    """Worker processes ``map_chunks`` uses for ``n_texts`` in chunks of ``size`` (1: none).

    Workers are forked: cheap, and they inherit the loaded dictionary and caches. Forking a
    process with other threads running is unsafe (a lock held by another thread stays held in
    the child), and the alternatives (spawn, forkserver) re-import the caller's main module;
    so with other threads about, everything stays in this process.
    """
    if n_texts < PARALLEL_MIN or threading.active_count() > 1:
        return 1
    return max(1, min(workers(), -(-n_texts // size)))


def map_chunks(fn: Callable[[Sequence[str]], _T], texts: Sequence[str], size: int) -> list[_T]:
    """``fn`` over consecutive chunks of ``texts``, results in chunk order.

    From ``PARALLEL_MIN`` texts on, chunks go to a pool of forked worker processes
    (``pool_size``): tokenising is pure Python and the work is split deterministically, so the
    result is the same as in one process. ``fn`` must be a module-level function.
    """
    chunks = [texts[a : a + size] for a in range(0, len(texts), size)]
    n_workers = pool_size(len(texts), size)
    if n_workers < 2:
        return [fn(chunk) for chunk in chunks]
    try:
        with multiprocessing.get_context("fork").Pool(n_workers) as pool:
            return pool.map(fn, chunks, chunksize=1)
    except (AssertionError, OSError):  # e.g. inside a daemonic process: no children allowed
        return [fn(chunk) for chunk in chunks]


def normalize_many(texts: Sequence[str]) -> list[str]:
    """``normalize`` over many texts, computing each distinct raw text once."""
    seen: dict[str, str] = {}
    out: list[str] = []
    for text in texts:
        norm = seen.get(text)
        if norm is None:
            norm = seen[text] = normalize(text)
        out.append(norm)
    return out
