from typing import Any

from django.contrib import admin
from django.db import models, transaction

from waypoint.audit.access import events_visible_to
from waypoint.audit.models import AuditEvent
from waypoint.audit.services import REDACTED, plain, record


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the admin can look, never add, change or delete."""

    list_display = ["at", "actor_username", "action", "subject_type", "subject_id", "veteran_id"]
    list_filter = ["action", "subject_type"]
    search_fields = ["actor_username", "action", "subject_id", "request_id"]
    date_hierarchy = "at"
    actions = None

    def get_queryset(self, request):
        return events_visible_to(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AuditedModelAdmin(admin.ModelAdmin):
    """Every write made in the admin is in the audit log, as every write made elsewhere is.

    The admin wraps each save in a transaction; the event is written inside it. The values
    are those the form changed (old and new); passwords and secrets only by name.
    """

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record(
            actor=request.user,
            action=_action(form.instance, "admin_change" if change else "admin_add"),
            subject=form.instance,
            changes=form_changes(form, change),
        )

    def save_formset(self, request, form, formset, change):
        # Deleted inline rows lose their id when deleted: record them first.
        for doomed in formset.deleted_forms:
            if doomed.instance.pk is not None:
                record(
                    actor=request.user,
                    action=_action(doomed.instance, "admin_delete"),
                    subject=doomed.instance,
                    changes={"deleted": [str(doomed.instance), None]},
                )
        super().save_formset(request, form, formset, change)
        new = {id(obj) for obj in formset.new_objects}
        for inline in formset.forms:
            if inline in formset.deleted_forms or not inline.has_changed():
                continue
            added = id(inline.instance) in new
            record(
                actor=request.user,
                action=_action(inline.instance, "admin_add" if added else "admin_change"),
                subject=inline.instance,
                changes=form_changes(inline, not added),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(
                actor=request.user,
                action=_action(obj, "admin_delete"),
                subject=obj,
                changes={"deleted": [str(obj), None]},
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


def _action(obj: models.Model, verb: str) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}.{verb}"


def _secret(name: str) -> bool:
    return "password" in name or "secret" in name


def _value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk  # as the form's initial values hold foreign keys
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(str(item) for item in value)  # roles and permissions by name
    value = plain(value)
    if value is None or isinstance(value, str | int | float | bool | dict):
        return value
    return str(value)  # a file, a time zone: its name


def form_changes(form, change: bool) -> dict[str, list[Any]]:
    """{field: [old, new]} for what the form changed; a new object lists every field given."""
    changed = {}
    for name in form.changed_data if change else form.cleaned_data:
        if _secret(name):
            changed[name] = [REDACTED, REDACTED]
            continue
        old = _value(form.initial.get(name)) if change else None
        changed[name] = [old, _value(form.cleaned_data.get(name))]
    return changed
