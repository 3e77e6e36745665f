from django.contrib import admin

from waypoint.audit.admin import AuditedModelAdmin
from waypoint.crosswalk.models import Specialty


@admin.register(Specialty)
class SpecialtyAdmin(AuditedModelAdmin):
    """Administrators extend and correct the crosswalk; an entry changed here is theirs, and
    the bundled catalogue no longer overwrites it."""

    list_display = ["key", "first_name", "vus", "isco_groups", "is_active", "source"]
    list_filter = ["is_active", "source"]
    search_fields = ["key", "names_ru", "names_en", "vus", "isco_groups"]
    readonly_fields = ["source", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.source = Specialty.Source.ADMIN
        super().save_model(request, obj, form, change)
