from datetime import timedelta

from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from comments import events, tasks
        from consult import periodic, signals

        def report_published(sender, consultation, **kwargs) -> None:
            # Open pages show a notice and offer to reload (inside the report's transaction:
            # numbered with the comments' events, sent after commit).
            events.consultation_changed(consultation.pk, "report")

        signals.report_published.connect(
            report_published, dispatch_uid="comments.live.report_published"
        )

        def dates_changed(sender, consultation, **kwargs) -> None:
            # Open pages say the dates changed; each process's hub reads the new dates (who
            # may still vote and comment decides which card a page gets).
            events.consultation_changed(consultation.pk, "dates")

        signals.consultation_extended.connect(dates_changed, dispatch_uid="comments.live.extended")
        signals.consultation_closed.connect(dates_changed, dispatch_uid="comments.live.closed")
        # Live events are kept for catching up, not for ever (a daily periodic job).
        periodic.register(
            "comments.prune_live_events", every=timedelta(days=1), task=tasks.prune_live_events
        )
