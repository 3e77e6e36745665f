from django.contrib import admin

from waypoint.audit.admin import AuditedModelAdmin
from waypoint.training.models import Cohort, Enrolment, Programme, Provider


@admin.register(Provider)
class ProviderAdmin(AuditedModelAdmin):
    list_display = ["organisation", "kind", "licence_number"]
    search_fields = ["organisation__name", "licence_number"]


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(AuditedModelAdmin):
    list_display = ["title", "provider", "region", "format", "is_active"]
    list_filter = ["format", "payer", "is_active"]
    search_fields = ["title"]
    raw_id_fields = ["skills", "occupations"]
    inlines = [CohortInline]


@admin.register(Enrolment)
class EnrolmentAdmin(AuditedModelAdmin):
    list_display = ["veteran", "cohort", "status", "updated_at"]
    list_filter = ["status"]
    readonly_fields = ["history"]
