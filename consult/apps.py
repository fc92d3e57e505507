from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _count_failure(sender: Any, task_result: Any, **kwargs: Any) -> None:
    from django_tasks.base import TaskResultStatus

    from consult import metrics

    if task_result.status == TaskResultStatus.FAILED:
        metrics.TASK_FAILURES.labels(task=task_result.task.name).inc()


class ConsultConfig(AppConfig):
    name = "consult"
    verbose_name = "Consult"

    def ready(self) -> None:
        from django.core.signals import request_finished
        from django_tasks.signals import task_finished

        from consult import logs

        task_finished.connect(_count_failure, dispatch_uid="consult.count_task_failures")
        request_finished.connect(logs.request_done, dispatch_uid="consult.request_id_done")
