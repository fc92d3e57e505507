from django.contrib import admin

from accounts.models import AuditEntry, Consent, IdentityVerification, Profile
from consult.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_label", "action", "object_repr", "agency"]
    list_filter = ["action", "agency"]
    search_fields = ["object_repr", "actor_label", "reason"]
    date_hierarchy = "created_at"

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("accounts.view_audit_log")


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "notice_version", "given", "language"]
    list_filter = ["notice_version", "given"]


@admin.register(IdentityVerification)
class IdentityVerificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "provider", "verified_at"]
    exclude = ["id_hash"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "name_kind"]
