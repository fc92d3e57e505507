from django.contrib import admin

from comments.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "consultation", "status", "stance", "channel", "created_at"]
    list_filter = ["status", "stance", "channel"]
    raw_id_fields = ["consultation", "section", "parent", "root", "author"]
    readonly_fields = ["agree_count", "disagree_count", "pass_count", "reply_count"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # comments are never hard-deleted; moderation changes their status
