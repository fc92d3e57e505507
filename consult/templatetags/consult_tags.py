"""Template filters available in every template (registered as builtins)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consult.dates import format_date
from moderation.sanitize import markdown_links_to_text, render_rich_text, render_user_text

register = template.Library()


@register.filter
def user_text(value: str) -> SafeString:
    return render_user_text(value)


@register.filter
def number(value: object) -> str:
    """A whole number with thousands separators (12,345); anything else as it is."""
    try:
        return f"{int(value):,}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "" if value is None else str(value)


@register.filter
def plain_links(value: str) -> str:
    """Markdown links as "text (address)" where only plain text is shown (escaped as usual)."""
    return markdown_links_to_text(value)


@register.filter
def rich_text(value: str) -> SafeString:
    return render_rich_text(value)


@register.filter
def local_date(value: datetime | None) -> str:
    return format_date(value)


@register.filter
def local_datetime(value: datetime | None) -> str:
    return format_date(value, with_time=True)


@register.filter
def time_left(value: datetime | None) -> str:
    """'3 days left' / 'closes in 5 hours' for a closing time; empty when past."""
    if value is None:
        return ""
    delta = value - timezone.now()
    seconds = int(delta.total_seconds())
    if seconds <= 0:
        return ""
    days = seconds // 86400
    if days >= 1:
        return ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days}
    hours = max(1, seconds // 3600)
    return ngettext("%(n)s hour left", "%(n)s hours left", hours) % {"n": hours}


@register.filter
def starts_in(value: datetime | None) -> str:
    if value is None:
        return ""
    days = (value - timezone.now()).days
    if days >= 1:
        return ngettext("opens in %(n)s day", "opens in %(n)s days", days) % {"n": days}
    return _("opens today")


@register.filter
def get_item(mapping: dict, key: object) -> object:
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@register.filter
def vote_buttons(comment) -> list[tuple[int, str, int]]:
    return [
        (1, _("Agree"), comment.agree_count),
        (-1, _("Disagree"), comment.disagree_count),
        (0, _("Pass"), comment.pass_count),
    ]


@register.simple_tag(takes_context=True)
def form_token(context: template.Context) -> str:
    """A fresh token for a form that creates something (kept when the form is shown again
    after an error): a retry of the same submission creates it once (consult/idempotency.py)."""
    from consult.idempotency import TOKEN_FIELD, fresh_token, valid_token

    request = context.get("request")
    sent = request.POST.get(TOKEN_FIELD, "") if request is not None else ""
    return sent if valid_token(sent) else fresh_token()


@register.simple_tag
def live_origins() -> str:
    """Other addresses serving the live WebSockets (``LIVE_WEBSOCKET_ORIGINS``), space-separated
    for the page's script."""
    from django.conf import settings

    return " ".join(getattr(settings, "LIVE_WEBSOCKET_ORIGINS", []))
