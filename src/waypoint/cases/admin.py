"""Administrators configure tracks, stages, task types and the production calendar here."""

from django.contrib import admin

from waypoint.audit.admin import AuditedModelAdmin
from waypoint.cases.models import Case, Holiday, Referral, Stage, Task, TaskType, Track


@admin.register(Track)
class TrackAdmin(AuditedModelAdmin):
    list_display = ["code", "name_en", "name_ru", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(Stage)
class StageAdmin(AuditedModelAdmin):
    list_display = ["code", "name_en", "name_ru", "position", "is_closed", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(TaskType)
class TaskTypeAdmin(AuditedModelAdmin):
    list_display = ["code", "name_en", "name_ru", "days", "working_days", "priority", "grace_days"]
    list_editable = ["days", "working_days", "priority", "grace_days"]


@admin.register(Holiday)
class HolidayAdmin(AuditedModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(Case)
class CaseAdmin(AuditedModelAdmin):
    list_display = ["pk", "veteran", "coordinator", "stage", "track", "opened_at", "closed_at"]
    list_filter = ["stage", "track"]
    raw_id_fields = ["veteran", "coordinator", "organisation", "created_by"]


@admin.register(Task)
class TaskAdmin(AuditedModelAdmin):
    list_display = ["title", "type", "assignee", "queue", "status", "due_at", "overdue_since"]
    list_filter = ["status", "type"]
    raw_id_fields = ["case", "assignee", "queue", "escalated_to", "created_by"]


@admin.register(Referral)
class ReferralAdmin(AuditedModelAdmin):
    """Notes and documents stay out of the admin: their visibility levels are enforced only
    on the case pages."""

    list_display = ["pk", "case", "receiver", "status", "due_at"]
    list_filter = ["status"]
    raw_id_fields = ["case"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
