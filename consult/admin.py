from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from consult.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Public", {"fields": ["display_name"]}),)
