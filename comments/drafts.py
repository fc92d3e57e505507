"""A comment typed before a refusal is kept in the person's session, per consultation.

Whatever stops a post (sign-in, sign-up and e-mail verification, consent, assurance level,
rate limit, screening) keeps what was typed here; the consultation page puts it back into the
form, with its stance, section and reply target, until the comment is posted. The session
survives sign-in (Django keeps its data when it cycles the key), so the draft follows the
person through sign-up and verification in the same browser.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

SESSION_KEY = "comment_drafts"
# A session holds a few drafts at most (the most recent consultations).
MAX_DRAFTS = 5
FIELDS = ("body", "stance", "section", "parent", "consent")


def save(request: HttpRequest, consultation_id: int, data: Any) -> None:
    """Keep the posted fields (a QueryDict or dict) for this consultation."""
    body = str(data.get("body", "") or "")[: settings.COMMENT_MAX_LENGTH * 2]
    if not body.strip():
        return
    draft = {
        "body": body,
        "stance": str(data.get("stance", "") or "")[:20],
        "section": str(data.get("section", "") or "")[:20],
        "parent": str(data.get("parent", "") or "")[:20],
        "consent": str(data.get("consent", "") or "")[:5],
    }
    before = request.session.get(SESSION_KEY)
    # What ``clear`` restores when the post goes through (no session write for nothing).
    request._draft_before = (consultation_id, before, request.session.modified)  # type: ignore[attr-defined]
    drafts = dict(before or {})
    drafts.pop(str(consultation_id), None)
    drafts[str(consultation_id)] = draft
    while len(drafts) > MAX_DRAFTS:
        drafts.pop(next(iter(drafts)))
    request.session[SESSION_KEY] = drafts


def load(request: HttpRequest, consultation_id: int) -> dict[str, str] | None:
    drafts = request.session.get(SESSION_KEY) or {}
    draft = drafts.get(str(consultation_id))
    if not isinstance(draft, dict):
        return None
    return {name: str(draft.get(name, "")) for name in FIELDS}


def clear(request: HttpRequest, consultation_id: int) -> None:
    saved = getattr(request, "_draft_before", None)
    if saved is not None and saved[0] == consultation_id:
        _cid, before, was_modified = saved
        if not before or str(consultation_id) not in before:
            # Saved by this request only: put the session back as it was loaded.
            if before is None:
                request.session.pop(SESSION_KEY, None)
            else:
                request.session[SESSION_KEY] = before
            request.session.modified = was_modified
            return
    drafts = request.session.get(SESSION_KEY)
    if drafts and str(consultation_id) in drafts:
        drafts = dict(drafts)
        del drafts[str(consultation_id)]
        request.session[SESSION_KEY] = drafts
