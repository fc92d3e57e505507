"""Reading settings from the environment: each helper fails loudly, naming the variable."""

from __future__ import annotations

import os
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false/yes/no/on/off, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, *, schemes: tuple[str, ...]) -> str:
    """A URL variable; empty when unset. A value with a wrong scheme or no host fails."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    parsed = urlparse(raw)
    if parsed.scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must start with one of {', '.join(s + '://' for s in schemes)}, got {raw!r}"
        )
    if parsed.scheme != "sqlite" and not parsed.hostname:
        raise ImproperlyConfigured(f"{name} has no host: {raw!r}")
    return raw


def social_providers_from_env() -> dict:
    """Sign-in providers configured by environment variables (or, when unset, in the admin as
    "Social applications"). A provider with an id but no secret stops start-up."""
    providers: dict = {
        "line": {"SCOPE": ["profile", "openid", "email"]},
        "google": {"SCOPE": ["profile", "email"], "OAUTH_PKCE_ENABLED": True},
        "openid_connect": {"OAUTH_PKCE_ENABLED": True},
    }
    for name, key in (("LINE", "line"), ("GOOGLE", "google")):
        client_id = env_str(f"{name}_CLIENT_ID")
        if client_id:
            secret = env_str(f"{name}_SECRET")
            if not secret:
                raise ImproperlyConfigured(f"{name}_SECRET must be set when {name}_CLIENT_ID is")
            providers[key]["APPS"] = [{"client_id": client_id, "secret": secret}]
    client_id = env_str("THAID_CLIENT_ID")
    if client_id:
        server_url = env_url("THAID_SERVER_URL", schemes=("https", "http"))
        secret = env_str("THAID_SECRET")
        if not server_url or not secret:
            raise ImproperlyConfigured(
                "THAID_SERVER_URL and THAID_SECRET must be set when THAID_CLIENT_ID is"
            )
        providers["openid_connect"]["APPS"] = [
            {
                "provider_id": "thaid",
                "name": env_str("THAID_NAME", "ThaID"),
                "client_id": client_id,
                "secret": secret,
                "settings": {
                    "server_url": server_url,
                    "oauth_pkce_enabled": True,
                    "scope": env_list("THAID_SCOPE", ["openid", "pid", "name"]),
                    # The claim carrying the national ID number: kept only as a keyed hash.
                    "national_id_claim": env_str("THAID_NATIONAL_ID_CLAIM", "pid"),
                },
            }
        ]
    return providers
