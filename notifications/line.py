"""LINE Messaging API (an Official Account): webhook signature and push messages.

Configured by environment variables only (``LINE_CHANNEL_SECRET``,
``LINE_CHANNEL_ACCESS_TOKEN``; ``LINE_API_BASE`` for a test double); off when not configured.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid

from django.conf import settings


def enabled() -> bool:
    return bool(settings.LINE_CHANNEL_SECRET and settings.LINE_CHANNEL_ACCESS_TOKEN)


def signature(body: bytes, secret: str) -> str:
    """``X-Line-Signature``: base64 of the HMAC-SHA256 of the request body, keyed with the
    channel secret (LINE Messaging API reference, "Verify webhook signature")."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signature_valid(body: bytes, header: str) -> bool:
    secret = settings.LINE_CHANNEL_SECRET
    if not secret or not header:
        return False
    return hmac.compare_digest(signature(body, secret), header.strip())


class PushError(Exception):
    pass


def push(line_user_id: str, text: str, *, retry_key: str) -> None:
    """Push one text message. ``retry_key`` (a UUID) makes a retried push a no-op at LINE when
    the first one arrived (``X-Line-Retry-Key``). Raises :class:`PushError`."""
    from linebot.v3.messaging import (
        ApiClient,
        Configuration,
        MessagingApi,
        PushMessageRequest,
        TextMessage,
    )
    from linebot.v3.messaging.exceptions import ApiException

    configuration = Configuration(
        host=settings.LINE_API_BASE, access_token=settings.LINE_CHANNEL_ACCESS_TOKEN
    )
    configuration.retries = 0
    try:
        with ApiClient(configuration) as client:
            MessagingApi(client).push_message(
                PushMessageRequest(to=line_user_id, messages=[TextMessage(text=text[:4900])]),
                x_line_retry_key=retry_key,
                _request_timeout=10,
            )
    except ApiException as exc:
        if exc.status == 409:  # already accepted with this retry key: it was delivered
            return
        raise PushError(f"LINE answered {exc.status}") from exc
    except Exception as exc:  # network errors
        raise PushError(f"LINE unreachable: {exc.__class__.__name__}") from exc


def retry_key(delivery_id: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/delivery/{delivery_id}"))
