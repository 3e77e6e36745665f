"""Users, roles and organisations, edited in the admin and audited like every other write.

Nobody changes what they themselves may do here (roles, permissions, scope), as on the
product's pages; nor does anyone give themselves access to health data by adding permissions
to a role they have (see health_access_gained).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from waypoint.accounts.access import (
    administrator_ids,
    health_access_gained,
    is_last_administrator,
    would_administer,
)
from waypoint.accounts.models import Organisation, User
from waypoint.audit.admin import AuditedModelAdmin
from waypoint.audit.services import REDACTED, record

# What a person may do; nobody edits these on their own account.
OWN_ACCESS_FIELDS = ("groups", "user_permissions", "is_superuser", "is_staff", "scope")


def _refusal(gained: set[str]) -> forms.ValidationError:
    return forms.ValidationError(
        _(
            "You cannot give yourself access to health data (%(permissions)s): another "
            "administrator must grant it."
        )
        % {"permissions": ", ".join(sorted(gained))},
        code="self_grant",
    )


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name"]


@admin.register(User)
class WaypointUserAdmin(AuditedModelAdmin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "scope", "is_active"]
    list_filter = ["groups", "scope", "is_active", "organisation__kind"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Waypoint", {"fields": ("organisation", "scope", "supervisor", "totp_enabled")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            return form

        class LastAdministratorForm(form):
            """The last active administrator stays one, here as on the product's pages."""

            def clean(self):
                cleaned = super().clean()
                still = would_administer(
                    obj,
                    groups=cleaned.get("groups", obj.groups.all()),
                    permissions=cleaned.get("user_permissions"),
                    is_active=cleaned.get("is_active", obj.is_active),
                    is_superuser=cleaned.get("is_superuser", obj.is_superuser),
                )
                if not still and is_last_administrator(obj):
                    raise forms.ValidationError(
                        _("%(name)s is the last active administrator") % {"name": obj}
                    )
                return cleaned

        if obj.pk != request.user.pk:
            return LastAdministratorForm
        form = LastAdministratorForm

        class OwnAccountForm(form):
            def clean(self):
                cleaned = super().clean()
                gained = health_access_gained(
                    request.user,
                    groups=cleaned.get("groups", obj.groups.all()),
                    permissions=cleaned.get("user_permissions", obj.user_permissions.all()),
                    is_superuser=cleaned.get("is_superuser", obj.is_superuser),
                )
                if gained:
                    raise _refusal(gained)
                # As on the product's pages (services.set_roles, update_user): another
                # administrator changes what a person may do, never the person themself.
                widened = [
                    name
                    for name in OWN_ACCESS_FIELDS
                    if name in self.changed_data and name in cleaned
                ]
                if widened:
                    raise forms.ValidationError(
                        _("you cannot change your own roles: another administrator must"),
                        code="own_access",
                    )
                return cleaned

        return OwnAccountForm

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and administrator_ids() == {obj.pk}:
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                record(
                    actor=request.user,
                    action="accounts.user.admin_set_password",
                    subject=self.get_object(request, unquote(id)),
                    changes={"password": [REDACTED, REDACTED]},
                )
        return response


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(AuditedModelAdmin, GroupAdmin):
    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None or not request.user.groups.filter(pk=obj.pk).exists():
            return form

        class OwnRoleForm(form):
            def clean(self):
                cleaned = super().clean()
                others = request.user.groups.exclude(pk=obj.pk)
                roles = [*others, obj] if "permissions" not in cleaned else list(others)
                extra = list(cleaned.get("permissions", []))
                gained = health_access_gained(
                    request.user,
                    groups=roles,
                    permissions=[*request.user.user_permissions.all(), *extra],
                    is_superuser=request.user.is_superuser,
                )
                if gained:
                    raise _refusal(gained)
                return cleaned

        return OwnRoleForm
