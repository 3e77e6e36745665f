"""Who may see and do what on the leadership track. The only module that decides it: pages,
API, services, the template tag and the demo ask here.

Read gates: `<things>_visible_to(user)` for every model a person can read (missing and
forbidden both answer 404). Predicates: one `may_*` per action of a track, a candidacy's
stages, the council and the end of selection. Projections: what the candidate sees of a
candidacy (`candidacy_as_seen_by_candidate`) and what selection staff see
(`candidacy_as_seen_by_staff`); `candidacy_for` picks the reader's, for pages and API alike.
"""

from django.db.models import Q, QuerySet

from waypoint.accounts.models import User
from waypoint.leadership.models import (
    COUNCIL,
    MANAGE,
    VIEW_CANDIDACY,
    VIEW_TRACK,
    Candidacy,
    CouncilMeeting,
    CouncilVote,
    Score,
    Track,
    TrackTest,
)
from waypoint.people.access import SELF_SERVICE, is_own_record, may_act_for, veterans_visible_to
from waypoint.people.models import Veteran

S = Candidacy.Stage
# Interviewed, and every stage the council's decision leads to.
BEFORE_COUNCIL_AND_AFTER = (
    S.INTERVIEWED,
    S.APPROVED,
    S.REJECTED,
    S.SHORTLISTED,
    S.COHORT,
    S.RESERVE,
    S.PLACED,
)


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


# Read gates


def tracks_run_by(user) -> QuerySet[Track]:
    """Tracks this selection officer runs: those of their organisation's region, and
    nationwide ones too when their scope is everything."""
    if not _active(user) or not user.has_perm(MANAGE):
        return Track.objects.none()
    if user.effective_scope == User.Scope.ALL:
        return Track.objects.all()
    if user.organisation_id:
        return Track.objects.filter(region_id=user.organisation.region_id)
    return Track.objects.none()


def tracks_visible_to(user) -> QuerySet[Track]:
    """Tracks are the programme's public offer: whoever may see the track sees them all."""
    if _active(user) and user.has_perm(VIEW_TRACK):
        return Track.objects.all()
    return tracks_run_by(user)


def tests_visible_to(user) -> QuerySet[TrackTest]:
    """A track's tests, scales and pass marks are part of its public offer."""
    return TrackTest.objects.filter(track__in=tracks_visible_to(user))


def candidacies_visible_to(user) -> QuerySet[Candidacy]:
    """The one read gate for candidacies: the veteran their own; staff who may see
    candidacies, those of veterans in their scope; selection officers, those of the
    tracks they run; council members, those who come before the council of a track they
    sit on, and what became of them. Nobody else sees any."""
    if not _active(user):
        return Candidacy.objects.none()
    allowed = Q(pk__in=[])
    if user.has_perm(SELF_SERVICE):
        allowed |= Q(veteran__account=user)
    if user.has_perm(VIEW_CANDIDACY):
        allowed |= Q(veteran__in=veterans_visible_to(user))
    if user.has_perm(MANAGE):
        allowed |= Q(track__in=tracks_run_by(user))
    if user.has_perm(COUNCIL):
        allowed |= Q(
            track__in=Track.objects.filter(meetings__members=user),
            stage__in=BEFORE_COUNCIL_AND_AFTER,
        )
    return Candidacy.objects.filter(allowed)


def scores_visible_to(user) -> QuerySet[Score]:
    """A test score is read with its candidacy."""
    return Score.objects.filter(candidacy__in=candidacies_visible_to(user))


def meetings_visible_to(user) -> QuerySet[CouncilMeeting]:
    """A council meeting: its members, and the selection officers who run the track."""
    if not _active(user):
        return CouncilMeeting.objects.none()
    allowed = Q(pk__in=[])
    if user.has_perm(COUNCIL):
        sits = CouncilMeeting.members.through.objects.filter(user=user)
        allowed |= Q(pk__in=sits.values("councilmeeting_id"))
    if user.has_perm(MANAGE):
        allowed |= Q(track__in=tracks_run_by(user))
    return CouncilMeeting.objects.filter(allowed)


def votes_visible_to(user) -> QuerySet[CouncilVote]:
    """Named votes: at a meeting the reader may see, on a candidacy they may see. Never the
    candidate's: a candidate sees the council's decision, not who voted how."""
    return CouncilVote.objects.filter(
        meeting__in=meetings_visible_to(user), candidacy__in=candidacies_visible_to(user)
    )


# Tracks


def may_run_track(user, track: Track) -> bool:
    return tracks_run_by(user).filter(pk=track.pk).exists()


def may_run_region(user, region_id: str | None) -> bool:
    """A selection officer runs tracks of their organisation's region; a nationwide track
    (no region) needs one whose scope is the whole country."""
    if not _active(user) or not user.has_perm(MANAGE):
        return False
    if user.effective_scope == User.Scope.ALL:
        return True
    return (
        bool(region_id)
        and user.organisation_id is not None
        and region_id == user.organisation.region_id
    )


def may_create_track(user) -> bool:
    return _active(user) and user.has_perm(MANAGE)


def may_edit_track(user, track: Track) -> bool:
    return may_run_track(user, track)


def may_change_track_status(user, track: Track) -> bool:
    return may_run_track(user, track)


def sees_candidacies_of(user, track: Track) -> bool:
    """Who sees a track's candidates and the numbers at each stage, not just its offer."""
    return user.has_perm(VIEW_CANDIDACY) or may_run_track(user, track)


# A candidacy's stages


def may_apply(user, veteran: Veteran) -> bool:
    """The veteran for themself, or staff running selection who may edit the veteran's
    record (a nomination)."""
    return may_act_for(user, veteran, MANAGE)


def may_nominate(user) -> bool:
    """Offer to nominate veterans at all; each nomination still needs `may_apply`."""
    return _active(user) and user.has_perm(MANAGE)


def is_officer_for(user, candidacy: Candidacy) -> bool:
    """A selection officer who may see this candidacy: the one who decides its stages."""
    return (
        _active(user)
        and user.has_perm(MANAGE)
        and candidacies_visible_to(user).filter(pk=candidacy.pk).exists()
    )


def may_recheck_eligibility(user, candidacy: Candidacy) -> bool:
    return is_officer_for(user, candidacy)


def may_decide_eligibility(user, candidacy: Candidacy) -> bool:
    return is_officer_for(user, candidacy)


def may_record_score(user, candidacy: Candidacy) -> bool:
    return is_officer_for(user, candidacy)


def may_decide_tests(user, candidacy: Candidacy) -> bool:
    return is_officer_for(user, candidacy)


def may_record_interview(user, candidacy: Candidacy) -> bool:
    return is_officer_for(user, candidacy)


def may_place(user, candidacy: Candidacy) -> bool:
    return is_officer_for(user, candidacy)


def may_withdraw(user, candidacy: Candidacy) -> bool:
    """The veteran themself, or a selection officer for them."""
    return is_own_record(user, candidacy.veteran) or is_officer_for(user, candidacy)


# The council


def may_sit_on_council(person) -> bool:
    """Who may be named a member of a council meeting."""
    return bool(person.is_active and person.has_perm(COUNCIL))


def people_who_may_sit_on_council() -> QuerySet[User]:
    """`may_sit_on_council` as a query: active, and holding the permission directly, by a
    role, or as a superuser."""
    app, codename = COUNCIL.split(".")
    direct = Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app)
    by_role = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app,
    )
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | direct | by_role)
        .distinct()
    )


def sits_on(user, meeting: CouncilMeeting) -> bool:
    return _active(user) and user.has_perm(COUNCIL) and meeting.members.filter(pk=user.pk).exists()


def may_open_meeting(user, track: Track) -> bool:
    return may_run_track(user, track)


def may_keep_record(user, meeting: CouncilMeeting) -> bool:
    """Who keeps the meeting's record (minutes, decisions, closing): its members, and the
    officers running the track."""
    return sits_on(user, meeting) or may_run_track(user, meeting.track)


def may_write_minutes(user, meeting: CouncilMeeting) -> bool:
    return may_keep_record(user, meeting)


def may_record_decision(user, meeting: CouncilMeeting) -> bool:
    return may_keep_record(user, meeting)


def may_close_meeting(user, meeting: CouncilMeeting) -> bool:
    return may_keep_record(user, meeting)


def may_record_vote(user, meeting: CouncilMeeting, member) -> bool:
    """A member records their own vote; an officer running the track records any member's,
    as the meeting's secretary."""
    return (user.pk == member.pk and sits_on(user, meeting)) or may_run_track(user, meeting.track)


# The end of selection


def may_see_shortlist(user, track: Track) -> bool:
    return may_run_track(user, track)


def may_publish_shortlist(user, track: Track) -> bool:
    return may_run_track(user, track)


def may_form_cohort(user, track: Track) -> bool:
    return may_run_track(user, track)


# Projections of a candidacy


def sees_as_staff(user, candidacy: Candidacy) -> bool:
    """Selection staff: whoever may see candidacies in their scope, and the officers
    deciding this one. Everyone else who may read it (the candidate, a council member who
    runs no selection) sees what the candidate sees."""
    return user.has_perm(VIEW_CANDIDACY) or is_officer_for(user, candidacy)


def candidacy_as_seen_by_candidate(candidacy: Candidacy) -> dict:
    """The candidate's own facts, scores and the council's decision; never the interview
    panel's score and notes, the council's votes, the standing, or who moved each stage."""
    meeting = candidacy.council_meeting
    return {
        "audience": "candidate",
        "id": candidacy.pk,
        "track_id": candidacy.track_id,
        "veteran_id": candidacy.veteran_id,
        "veteran_name": candidacy.veteran.full_name,
        "route": candidacy.route,
        "stage": candidacy.stage,
        "has_disqualifying_record": candidacy.has_disqualifying_record,
        "eligible_proposed": bool(candidacy.eligibility.get("eligible")),
        # The system's checks as it stored them: rule, outcome and the figures it used.
        "eligibility_checks": list(candidacy.eligibility.get("checks", [])),
        "eligibility_note": candidacy.eligibility_note,
        "scores": [
            {
                "test_id": score.test_id,
                "test": score.test.name,
                "score": score.score,
                "max_score": score.test.max_score,
                "pass_mark": score.test.pass_mark,
            }
            for score in candidacy.scores.select_related("test")
        ],
        "tests_note": candidacy.tests_note,
        "interview_held_on": candidacy.interview_held_on,
        # Once the council decided, anything but "not approved" means it approved.
        "council_decision": (S.REJECTED if candidacy.stage == S.REJECTED else S.APPROVED).value
        if meeting
        else None,
        "council_met_on": meeting.held_on if meeting else None,
        "placement": {
            "vacancy_id": candidacy.placement_vacancy_id,
            "employer_id": candidacy.placement_employer_id,
            "employer": str(candidacy.placement_employer),
            "post": candidacy.placement_post,
            "start_date": candidacy.placement_start,
        }
        if candidacy.placement_employer_id
        else None,
        "withdrawal_reason": candidacy.withdrawal_reason,
        # When each stage happened, not who moved it.
        "history": [entry[:2] for entry in candidacy.history],
        "created_at": candidacy.created_at,
        "updated_at": candidacy.updated_at,
        "interview_score": None,
        "interview_panel": None,
        "interview_notes": None,
        "vote_tally": None,
        "composite": None,
        "rank": None,
        "council_meeting_id": None,
    }


def candidacy_as_seen_by_staff(candidacy: Candidacy) -> dict:
    """Everything the candidate sees, and the interview, the votes' tally, the standing and
    who moved each stage."""
    return candidacy_as_seen_by_candidate(candidacy) | {
        "audience": "staff",
        "history": [list(entry) for entry in candidacy.history],
        "interview_score": candidacy.interview_score,
        "interview_panel": candidacy.interview_panel,
        "interview_notes": candidacy.interview_notes,
        "vote_tally": candidacy.vote_tally or None,
        "composite": candidacy.composite,
        "rank": candidacy.rank,
        "council_meeting_id": candidacy.council_meeting_id,
    }


def candidacy_for(user, candidacy: Candidacy) -> dict:
    """The reader's projection of a candidacy they may see."""
    if sees_as_staff(user, candidacy):
        return candidacy_as_seen_by_staff(candidacy)
    return candidacy_as_seen_by_candidate(candidacy)
