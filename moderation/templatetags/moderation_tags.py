"""Labels for moderation codes in templates."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from moderation.models import Action, AppealState, FlagReason
from moderation.models import reason_label as _reason_label

register = template.Library()


@register.simple_tag
def flag_reasons() -> list[tuple[str, str]]:
    return FlagReason.choices


@register.filter
def reason_label(code: str) -> str:
    """The person-readable label of a reason code (screening, report or decision)."""
    return _reason_label(code)


@register.filter
def action_label(code: str) -> str:
    return str(dict(Action.choices).get(code, code))


@register.filter
def appeal_label(code: str) -> str:
    return str(dict(AppealState.choices).get(code, code))


@register.filter
def duration(value) -> str:
    """A timedelta as hours and minutes (or days and hours)."""
    if value is None:
        return "–"
    seconds = int(value.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)s min") % {"minutes": minutes}
