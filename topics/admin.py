from django.contrib import admin

from topics.models import Agency, Consultation, Section


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name_th", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "kind", "opens_at", "closes_at", "comment_count"]
    list_filter = ["kind", "category", "agency"]
    search_fields = ["title", "summary"]
    inlines = [SectionInline]
