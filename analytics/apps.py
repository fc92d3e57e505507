from __future__ import annotations

from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from datetime import timedelta

        from analytics import schedule, tasks
        from consult import periodic

        schedule.connect()
        periodic.register(
            "analytics.abandon_stale_runs",
            every=timedelta(minutes=1),
            task=tasks.abandon_stale_runs,
        )
