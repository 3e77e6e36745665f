from django.contrib import admin

from waypoint.employment.models import Employer, Vacancy


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "inn", "ogrn", "region", "sector", "is_partner"]
    list_filter = ["sector", "is_partner"]
    search_fields = ["legal_name", "inn", "ogrn"]


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "region", "salary_min", "salary_max", "openings"]
    list_filter = ["schedule", "employment_type", "is_civil_service"]
    search_fields = ["title", "source_id"]
    raw_id_fields = ["employer", "occupation"]
