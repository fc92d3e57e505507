"""Participant ids for open data: keyed hashes, one key per consultation.

The key is derived from ``SECRET_KEY`` and the consultation's id, so the same person has
unrelated ids in two consultations, and without the secret no id can be traced back to an
account. Ids are integers below 2**53 (JavaScript-safe), because Polis's layout wants numbers.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

_LIMIT = 2**53


def consultation_key(consultation_id: int) -> bytes:
    return hmac.new(
        settings.SECRET_KEY.encode(),
        f"opendata-participant-key:{consultation_id}".encode(),
        hashlib.sha256,
    ).digest()


class Pseudonyms:
    """Maps a user id (or an imported voter id) to its open-data id in one consultation."""

    def __init__(self, consultation_id: int) -> None:
        self._key = consultation_key(consultation_id)
        # Bounded, so a package of millions of participants stays small in memory.
        self._cache: dict[int | str, int] = {}

    def of(self, user_id: int | None, external: str = "") -> int | None:
        """The participant id; ``None`` for a vote whose person deleted their account."""
        subject: int | str
        if user_id is not None:
            subject, text = user_id, f"u:{user_id}"
        elif external:
            subject, text = f"x:{external}", f"x:{external}"
        else:
            return None
        known = self._cache.get(subject)
        if known is None:
            digest = hmac.new(self._key, text.encode(), hashlib.sha256).digest()
            known = int.from_bytes(digest[:8], "big") % _LIMIT
            if len(self._cache) >= 200_000:
                self._cache.clear()
            self._cache[subject] = known
        return known
