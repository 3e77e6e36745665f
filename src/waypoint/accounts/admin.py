from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from waypoint.accounts.models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name"]


@admin.register(User)
class WaypointUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "scope", "is_active"]
    list_filter = ["groups", "scope", "is_active", "organisation__kind"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Waypoint", {"fields": ("organisation", "scope", "supervisor", "totp_enabled")}),
    )
    readonly_fields = ["last_login", "date_joined"]
