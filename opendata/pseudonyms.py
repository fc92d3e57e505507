"""Participant ids for open data: keyed hashes, one key per consultation.

The key is derived from ``SECRET_KEY`` and the consultation's id, so the same person has
unrelated ids in two consultations, and without the secret no id can be traced back to an
account. Ids are integers below 2**53 (JavaScript-safe), because Polis's layout wants numbers.

The id of a user is ``HMAC-SHA-256(key, "u:<user id>")``, of an imported voter
``HMAC-SHA-256(key, "x:<voter id>")``: the first 8 bytes, big-endian, modulo 2**53. PostgreSQL
computes the same with its ``sha256()`` (``Pseudonyms.postgres``), for exports done in the
database.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

_LIMIT = 2**53
_BLOCK = 64  # SHA-256's block size, the HMAC key's padded length


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
        # Keyed by the int or the str itself (they never compare equal): no text built per call.
        subject: int | str
        if user_id is not None:
            subject = user_id
        elif external:
            subject = external
        else:
            return None
        known = self._cache.get(subject)
        if known is None:
            text = f"u:{user_id}" if user_id is not None else f"x:{external}"
            digest = hmac.new(self._key, text.encode(), hashlib.sha256).digest()
            known = int.from_bytes(digest[:8], "big") % _LIMIT
            if len(self._cache) >= 200_000:
                self._cache.clear()
            self._cache[subject] = known
        return known

    def postgres(self, subject: str) -> tuple[str, dict[str, bytes]]:
        """A PostgreSQL expression of the participant id of ``subject`` (an SQL text expression
        giving ``u:<user id>`` or ``x:<voter id>``), with its named parameters: HMAC-SHA-256
        spelled out as ``sha256((K xor opad) || sha256((K xor ipad) || m))``, then the low 53
        bits of the first 8 bytes."""
        key = self._key if len(self._key) <= _BLOCK else hashlib.sha256(self._key).digest()
        key = key.ljust(_BLOCK, b"\0")
        params = {
            "pseudonym_ipad": bytes(b ^ 0x36 for b in key),
            "pseudonym_opad": bytes(b ^ 0x5C for b in key),
        }
        digest = (
            "sha256(%(pseudonym_opad)s::bytea"
            f" || sha256(%(pseudonym_ipad)s::bytea || convert_to({subject}, 'UTF8')))"
        )
        expression = (
            f"(('x' || encode(substr({digest}, 1, 8), 'hex'))::bit(64)::bigint & {_LIMIT - 1})"
        )
        return expression, params
