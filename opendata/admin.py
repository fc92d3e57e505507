from django.contrib import admin

from opendata.models import AgencyDataSettings


@admin.register(AgencyDataSettings)
class AgencyDataSettingsAdmin(admin.ModelAdmin):
    list_display = ("agency", "licence")
