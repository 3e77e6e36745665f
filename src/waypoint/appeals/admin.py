"""Routing rules are edited here as well as on their page, audited either way. Appeals are
listed read-only through their read gate and without their words (the caller's request, the
answer, the caller's contacts): reading those happens on the appeal's page, where it is
audited."""

from django.contrib import admin
from django.db import transaction

from waypoint.appeals.models import Appeal, RoutingRule
from waypoint.appeals.services import RULE_FIELDS
from waypoint.audit.services import diff, record, snapshot


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["topic", "region", "organisation", "updated_at"]
    list_filter = ["topic"]
    list_select_related = ["region", "organisation"]
    fields = RULE_FIELDS

    def save_model(self, request, obj, form, change):
        before = snapshot(RoutingRule.objects.get(pk=obj.pk), RULE_FIELDS) if change else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(
                actor=request.user,
                action="appeals.rule.save",
                subject=obj,
                changes=diff(before, snapshot(obj, RULE_FIELDS)),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(
                actor=request.user,
                action="appeals.rule.delete",
                subject=obj,
                changes=diff(snapshot(obj, RULE_FIELDS), {}),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for rule in queryset:
            self.delete_model(request, rule)


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
        return Appeal.objects.visible_to(request.user).select_related("organisation", "region")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
