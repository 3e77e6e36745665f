"""Administrators configure tracks, stages, task types and the production calendar here."""

from django.contrib import admin

from waypoint.cases.models import Case, Holiday, Referral, Stage, Task, TaskType, Track


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ru", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ru", "position", "is_closed", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(TaskType)
class TaskTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ru", "days", "working_days", "priority", "grace_days"]
    list_editable = ["days", "working_days", "priority", "grace_days"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["pk", "veteran", "coordinator", "stage", "track", "opened_at", "closed_at"]
    list_filter = ["stage", "track"]
    raw_id_fields = ["veteran", "coordinator", "organisation", "created_by"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "assignee", "queue", "status", "due_at", "overdue_since"]
    list_filter = ["status", "type"]
    raw_id_fields = ["case", "assignee", "queue", "escalated_to", "created_by"]


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    """Notes and documents stay out of the admin: their visibility levels are enforced only
    on the case pages."""

    list_display = ["pk", "case", "receiver", "status", "due_at"]
    list_filter = ["status"]
    raw_id_fields = ["case"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
