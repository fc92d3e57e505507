from __future__ import annotations

from django import template

from notifications import selectors

register = template.Library()


@register.simple_tag
def is_following(user, target: str, key) -> bool:
    return selectors.is_following(user, target, str(key))
