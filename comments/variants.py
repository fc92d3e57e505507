"""A comment's card as live messages carry it: rendered once per *variant*, not per viewer.

Everything a live card shows is the same for every viewer but three things: the language,
whether the viewer may take part (vote and reply forms, or plain counts) and whether the
comment is the viewer's own (an edit link instead of "report", no vote buttons). So a card has
at most six variants, named ``"<lang>:r"`` (reader), ``"<lang>:p"`` (participant) and
``"<lang>:own"``; each connection picks its own. What differs per person beyond that (their
vote on a comment they already see) stays on their page: the page's script keeps it.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from comments.cards import Viewer, render_trees
from comments.models import Comment
from topics.models import Consultation, Phase

READER = "r"
PARTICIPANT = "p"
OWN = "own"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def variant(language: str, *, participant: bool, own: bool = False) -> str:
    return f"{language}:{OWN if own else PARTICIPANT if participant else READER}"


def variants_for(comment: Comment, consultation: Consultation) -> list[str]:
    """The variants some viewer may need: participants only while the consultation is open,
    the author's own only when the comment has an author."""
    open_now = consultation.phase == Phase.OPEN
    out = []
    for language in languages():
        out.append(variant(language, participant=False))
        if open_now:
            out.append(variant(language, participant=True))
        if comment.author_id is not None:
            out.append(variant(language, participant=True, own=True))
    return out


def render(comment: Comment, consultation: Consultation, name: str) -> str:
    """The card (in its ``<article>``, with an empty replies box for a top-level comment)
    as the variant ``name`` shows it. Forms carry no CSRF token: the page's script adds its
    own. Cards are cached in the process (comments.cards), so catch-up after an outage, when
    every page asks at once, renders each card once."""
    language, _sep, who = name.partition(":")
    if language not in languages():
        language = settings.LANGUAGE_CODE
    own = who == OWN and comment.author_id is not None
    participant = who in (PARTICIPANT, OWN)
    viewer = Viewer(
        user_id=comment.author_id if own else None,
        can_vote=participant,
        can_comment=participant,
        language=language,
        here=consultation.get_absolute_url(),
    )
    with translation.override(language):
        return render_trees([comment], viewer=viewer, consultation=consultation, replies={})


def render_many(
    comment: Comment, consultation: Consultation, names: list[str] | None = None
) -> dict[str, str]:
    if names is None:
        names = variants_for(comment, consultation)
    return {name: render(comment, consultation, name) for name in names}
