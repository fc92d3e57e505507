"""Reads for the notification pages."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Follow, Notice, Target


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


def notices(user) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user).order_by("-created_at", "-pk")


def is_following(user, target: str, key: str) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(user=user, target=target, key=str(key), active=True).exists()


def following(user) -> list[dict]:
    """What the person follows, with a name to show for each."""
    from topics.models import Agency, Category, Consultation

    rows = list(Follow.objects.filter(user=user, active=True).order_by("target", "-created_at"))
    ids = {
        t: [int(f.key) for f in rows if f.target == t and f.key.isdigit()]
        for t in (Target.CONSULTATION, Target.AGENCY)
    }
    consultations = Consultation.objects.in_bulk(ids[Target.CONSULTATION])
    agencies = Agency.objects.in_bulk(ids[Target.AGENCY])
    categories = dict(Category.choices)
    out = []
    for f in rows:
        if f.target == Target.CONSULTATION:
            obj = consultations.get(int(f.key)) if f.key.isdigit() else None
            name, url = (obj.title, obj.get_absolute_url()) if obj else (None, "")
        elif f.target == Target.AGENCY:
            obj = agencies.get(int(f.key)) if f.key.isdigit() else None
            name, url = (obj.name, f"/?agency={obj.slug}") if obj else (None, "")
        else:
            name, url = categories.get(f.key), f"/?category={f.key}"
        if name:
            out.append({"follow": f, "name": name, "url": url, "target": f.get_target_display()})
    return out
