"""Shared base pieces: the user model."""

from __future__ import annotations

import rules
from django.contrib.auth.models import AbstractUser, _user_has_perm
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person. Signs in with an e-mail address; shown publicly by display name."""

    display_name = models.CharField(_("display name"), max_length=80, blank=True)

    def has_perm(self, perm: str, obj=None) -> bool:
        """Superusers do not bypass the rules: a permission defined as predicates in an app's
        rules.py is decided there (the predicates say where admins may act). Django's own model
        permissions (the admin site) keep the usual superuser shortcut."""
        if self.is_active and self.is_superuser and not rules.perm_exists(perm):
            return True
        return _user_has_perm(self, perm, obj)

    def public_name(self) -> str:
        return public_name(self.display_name, self.pk)


def public_name(display_name: str, user_id: int) -> str:
    """How a person is shown publicly: their display name, or "Participant N"."""
    return display_name or _("Participant %(id)s") % {"id": user_id}


def user_display(user: User) -> str:
    return user.display_name or user.email or str(user.pk)


class PeriodicJob(models.Model):
    """When a periodic job (``consult.periodic``) is next due. Workers claim a due job with a
    conditional UPDATE, so several workers enqueue it once."""

    name = models.CharField(max_length=100, primary_key=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class WorkerBeat(models.Model):
    """A worker's sign of life (``manage.py worker`` writes it every few seconds), so a task
    left "running" by a worker that died can be told from one that is still being done."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.worker_id
