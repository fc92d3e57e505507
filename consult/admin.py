from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from consult.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Public", {"fields": ["display_name"]}),)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to admins; nobody adds, changes or deletes through the app (logs, audits)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        return {}  # no bulk delete
