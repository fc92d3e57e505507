"""National ID numbers: hashed with a server key the moment they arrive, never stored.

The identity provider's app (a "social application" of type OpenID Connect) names the claim
that carries the number in its settings as ``national_id_claim`` (ThaID: ``pid``). Before
allauth stores anything, the claim is removed from the claims it keeps and replaced by
``national_id_hmac``; if the provider's subject id *is* the number, the subject id is replaced
by the hash as well.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from django.conf import settings

HASH_FIELD = "national_id_hmac"


def normalise(value: str) -> str:
    """Digits only: '1-2345-67890-12-3' and '1234567890123' are the same person."""
    return re.sub(r"\D", "", str(value))


def national_id_hash(value: str) -> str:
    key = settings.IDENTITY_HASH_KEY.encode()
    return hmac.new(key, normalise(value).encode(), hashlib.sha256).hexdigest()


def national_id_claim(app_settings: dict) -> str:
    return str((app_settings or {}).get("national_id_claim") or "")


def _scrub(data: Any, claim: str) -> tuple[Any, str]:
    """Remove ``claim`` from nested dicts; return the cleaned data and the value found."""
    found = ""
    if isinstance(data, dict):
        cleaned = {}
        for key, value in data.items():
            if key == claim:
                found = found or str(value)
                continue
            cleaned[key], inner = _scrub(value, claim)
            found = found or inner
        return cleaned, found
    if isinstance(data, list):
        items = []
        for value in data:
            cleaned_value, inner = _scrub(value, claim)
            items.append(cleaned_value)
            found = found or inner
        return items, found
    return data, found


def scrub_response(data: dict, claim: str) -> tuple[dict, str]:
    """The provider's response without the national ID claim, plus the keyed hash ('' if the
    claim was absent)."""
    cleaned, raw = _scrub(data, claim)
    if not raw:
        return cleaned, ""
    digest = national_id_hash(raw)
    for part in ("userinfo", "id_token"):
        if isinstance(cleaned.get(part), dict):
            cleaned[part][HASH_FIELD] = digest
    cleaned[HASH_FIELD] = digest
    return cleaned, digest


def wrap_provider(provider) -> None:
    """Make this provider instance hash the national ID before allauth reads or stores it."""
    app = getattr(provider, "app", None)
    claim = national_id_claim(getattr(app, "settings", None) or {})
    if not claim or getattr(provider, "_national_id_wrapped", False):
        return
    original = provider.sociallogin_from_response

    def sociallogin_from_response(request, response):
        raw_uid = ""
        try:
            raw_uid = str(provider.extract_uid(response))
        except (KeyError, TypeError):
            pass
        cleaned, digest = scrub_response(response, claim)
        if digest and raw_uid and normalise(raw_uid) and national_id_hash(raw_uid) == digest:
            # The subject id is the national ID itself: identify the account by the hash.
            uid_field = (app.settings or {}).get("uid_field", "sub")
            for part in ("userinfo", "id_token"):
                if isinstance(cleaned.get(part), dict):
                    cleaned[part][uid_field] = digest
            if uid_field in cleaned:
                cleaned[uid_field] = digest
        return original(request, cleaned)

    provider.sociallogin_from_response = sociallogin_from_response
    provider._national_id_wrapped = True
