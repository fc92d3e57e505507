from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Public record"

    def ready(self) -> None:
        from datetime import timedelta

        from django.conf import settings

        from consult import periodic
        from records import receivers, tasks

        receivers.connect()
        periodic.register(
            "records.checkpoint",
            every=timedelta(seconds=settings.RECORDS_CHECKPOINT_SECONDS),
            task=tasks.sign_checkpoint,
        )
