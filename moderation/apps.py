from datetime import timedelta

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from consult import periodic, signals
        from moderation import tasks

        # unmasked originals go when their retention ends, without an outside cron
        periodic.register(
            "moderation.purge_originals", every=timedelta(days=1), task=tasks.purge_originals
        )
        signals.comments_detached.connect(
            _erase_originals, dispatch_uid="moderation.erase_originals_of_deleted_account"
        )


def _erase_originals(sender, comment_ids: list[int], **kwargs) -> None:
    """An account was deleted: the unmasked originals of its comments go at once."""
    from moderation.services import originals_erase_for

    originals_erase_for(comment_ids=comment_ids)
