from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and privacy")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from datetime import timedelta

        from accounts import signals, tasks  # noqa: F401
        from consult import periodic

        # IP addresses and audit entries past their retention, daily, without an outside cron
        periodic.register(
            "accounts.purge_personal_data", every=timedelta(days=1), task=tasks.purge_personal_data
        )
