from django.contrib import admin

from waypoint.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the admin can look, never add, change or delete."""

    list_display = ["at", "actor_username", "action", "subject_type", "subject_id", "veteran_id"]
    list_filter = ["action", "subject_type"]
    search_fields = ["actor_username", "action", "subject_id", "request_id"]
    date_hierarchy = "at"
    actions = None

    def get_queryset(self, request):
        return AuditEvent.objects.visible_to(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
