"""Only configuration is in the admin: care teams and risk rules. Screenings, answers, scores,
reviews and notices are not registered, so no administrator reads them here."""

from django.contrib import admin

from waypoint.audit.admin import AuditedModelAdmin
from waypoint.wellbeing import access
from waypoint.wellbeing.models import CareTeam, RiskRule


class ConfigurationAdmin(AuditedModelAdmin):
    def has_module_permission(self, request):
        return access.may_configure(request.user)

    def has_view_permission(self, request, obj=None):
        return access.may_configure(request.user)

    has_change_permission = has_add_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return access.may_configure(request.user)


@admin.register(CareTeam)
class CareTeamAdmin(ConfigurationAdmin):
    list_display = ["organisation", "on_duty", "lead", "escalate_after_minutes"]
    raw_id_fields = ["on_duty", "lead"]


@admin.register(RiskRule)
class RiskRuleAdmin(ConfigurationAdmin):
    list_display = ["name", "instrument", "condition", "value", "tier", "raises_alert", "is_active"]
    list_filter = ["tier", "is_active"]
