"""Routing rules are edited here as well as on their page, audited either way. Appeals are
listed read-only through their read gate and without their words (the caller's request, the
answer, the caller's contacts): reading those happens on the appeal's page, where it is
audited."""

from django.contrib import admin

from waypoint.appeals.access import appeals_visible_to
from waypoint.appeals.models import Appeal, RoutingRule
from waypoint.appeals.services import RULE_FIELDS
from waypoint.audit.admin import AuditedModelAdmin


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedModelAdmin):
    list_display = ["topic", "region", "organisation", "updated_at"]
    list_filter = ["topic"]
    list_select_related = ["region", "organisation"]
    fields = RULE_FIELDS


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    actions = None
    list_display = ["reference", "topic", "status", "organisation", "region", "logged_at", "due_at"]
    list_filter = ["status", "topic", "urgency"]
    search_fields = ["reference"]
    fields = [
        "reference",
        "topic",
        "urgency",
        "status",
        "region",
        "organisation",
        "route",
        "logged_at",
        "due_at",
        "taken_at",
        "answered_at",
        "outcome_kind",
        "closed_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return appeals_visible_to(request.user).select_related("organisation", "region")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
