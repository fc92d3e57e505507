"""Admin: moderation policies can be edited; the log, screenings, flags and appeals are
read-only here (changes go through the services, which log them)."""

from __future__ import annotations

from django.contrib import admin

from consult.admin import ReadOnlyAdmin
from moderation.models import (
    Appeal,
    Flag,
    LogEntry,
    ModerationPolicy,
    QueueItem,
    Screening,
    Suspension,
)


@admin.register(ModerationPolicy)
class ModerationPolicyAdmin(admin.ModelAdmin):
    list_display = ("consultation", "mode", "flag_threshold", "retention_days")
    list_filter = ("mode",)
    raw_id_fields = ("consultation",)


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "action", "actor", "consultation", "comment", "reason")
    list_filter = ("action",)
    date_hierarchy = "created_at"


@admin.register(Screening)
class ScreeningAdmin(ReadOnlyAdmin):
    list_display = ("comment", "outcome", "created_at", "purge_after", "purged_at")
    list_filter = ("outcome",)
    exclude = ("original_text",)  # personal data: shown only on the moderator's review page


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ("comment", "reason", "user", "created_at", "resolved")
    list_filter = ("reason", "resolved")


@admin.register(QueueItem)
class QueueItemAdmin(ReadOnlyAdmin):
    list_display = ("comment", "kind", "reason", "state", "claimed_by", "created_at")
    list_filter = ("kind", "state")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("comment", "state", "created_at", "decided_by")


@admin.register(Suspension)
class SuspensionAdmin(ReadOnlyAdmin):
    list_display = ("user", "until", "reason", "created_by", "lifted_at")
