from django.contrib import admin, messages

from notifications import services
from notifications.models import Delivery, DeliveryState, Follow, LineLink, Notice


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The outbox: failures show here with their last error; "send again" retries them."""

    list_display = (
        "pk",
        "channel",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
    )
    list_filter = ("state", "channel")
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["send_again"]

    @admin.action(description="Send the selected failed deliveries again")
    def send_again(self, request, queryset) -> None:
        n = services.retry_failed(
            ids=queryset.filter(state=DeliveryState.FAILED).values_list("pk", flat=True)
        )
        self.message_user(request, f"{n} queued again", messages.SUCCESS)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("pk", "user", "kind", "key", "created_at", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("user", "consultation")


admin.site.register(Follow)
admin.site.register(LineLink)
