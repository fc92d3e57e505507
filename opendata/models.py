"""Per-agency open-data settings: the licence its packages are published under."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from topics.models import Agency

LICENCES: dict[str, tuple[str, str]] = {
    # SPDX id -> (title, address)
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC0-1.0": (
        "Creative Commons Zero 1.0 (public domain)",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution-ShareAlike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "ODC-By-1.0": (
        "Open Data Commons Attribution License 1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
}
DEFAULT_LICENCE = "CC-BY-4.0"


class AgencyDataSettings(models.Model):
    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="data_settings")
    licence = models.CharField(
        _("licence of open data"),
        max_length=20,
        choices=[(key, title) for key, (title, _url) in LICENCES.items()],
        default=DEFAULT_LICENCE,
    )

    class Meta:
        verbose_name = _("agency open-data settings")
        verbose_name_plural = _("agency open-data settings")

    def __str__(self) -> str:
        return f"{self.agency.slug}: {self.licence}"


def licence_of(agency_id: int) -> str:
    found = AgencyDataSettings.objects.filter(agency_id=agency_id).values_list("licence", flat=True)
    return next(iter(found), DEFAULT_LICENCE)
