"""Read-only: every write of the leadership track goes through its services, which check the
rules and write the audit log; the admin can look, never add, change or delete."""

from django.contrib import admin

from waypoint.leadership.models import (
    Candidacy,
    CouncilMeeting,
    CouncilVote,
    Score,
    Track,
    TrackTest,
)


class ReadOnly:
    actions = None

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TrackTestInline(ReadOnly, admin.TabularInline):
    model = TrackTest
    extra = 0


@admin.register(Track)
class TrackAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "region", "status", "applications_open", "applications_close"]
    list_filter = ["status"]
    search_fields = ["title"]
    inlines = [TrackTestInline]


class ScoreInline(ReadOnly, admin.TabularInline):
    model = Score
    extra = 0


@admin.register(Candidacy)
class CandidacyAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["veteran", "track", "stage", "route", "updated_at"]
    list_filter = ["stage", "route", "track"]
    search_fields = ["veteran__last_name", "veteran__first_name"]
    list_select_related = ["veteran", "track"]
    inlines = [ScoreInline]


class CouncilVoteInline(ReadOnly, admin.TabularInline):
    model = CouncilVote
    extra = 0


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["track", "held_on", "status"]
    list_filter = ["status"]
    inlines = [CouncilVoteInline]
