from django.contrib import admin

from waypoint.audit.admin import AuditedModelAdmin
from waypoint.employment.models import Application, Employer, FollowUp, Placement, Vacancy


@admin.register(Employer)
class EmployerAdmin(AuditedModelAdmin):
    list_display = ["legal_name", "inn", "ogrn", "region", "sector", "is_partner"]
    list_filter = ["sector", "is_partner"]
    search_fields = ["legal_name", "inn", "ogrn"]


@admin.register(Vacancy)
class VacancyAdmin(AuditedModelAdmin):
    list_display = ["title", "employer", "region", "salary_min", "salary_max", "openings"]
    list_filter = ["schedule", "employment_type", "is_civil_service"]
    search_fields = ["title", "source_id"]
    raw_id_fields = ["employer", "occupation"]


@admin.register(Application)
class ApplicationAdmin(AuditedModelAdmin):
    list_display = ["vacancy", "veteran", "status", "updated_at"]
    list_filter = ["status"]
    raw_id_fields = ["veteran", "vacancy", "created_by"]


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


@admin.register(Placement)
class PlacementAdmin(AuditedModelAdmin):
    list_display = ["veteran", "employer", "start_date", "salary", "ended_on"]
    raw_id_fields = ["application", "veteran", "employer", "recorded_by"]
    inlines = [FollowUpInline]
