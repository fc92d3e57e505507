"""Shared base pieces: the user model."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person. Signs in with an e-mail address; shown publicly by display name."""

    display_name = models.CharField(_("display name"), max_length=80, blank=True)

    def public_name(self) -> str:
        return self.display_name or _("Participant %(id)s") % {"id": self.pk}


def user_display(user: User) -> str:
    return user.display_name or user.email or str(user.pk)
