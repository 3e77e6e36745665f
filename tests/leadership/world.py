"""The leadership part of the permission matrix's world, built for the leadership module's rows.

Rows are written directly (as the services would have left them) to keep the matrix fast:
three Moscow tracks (open; selection with a cohort under way; selection with an approved
candidate awaiting the shortlist), candidacies of veterans coordinated by `coordinator` at
the stage each row needs, one of them the `veteran_user`'s own, and an open council meeting
where `coordinator` sits, with minutes and a vote cast.
"""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from tests.conftest import make_veteran
from waypoint.accounts.models import User
from waypoint.employment.models import Employer
from waypoint.leadership.models import Candidacy, CouncilMeeting, CouncilVote, Score, Track

S = Candidacy.Stage


def leadership_world(persona: Callable[[str], User]) -> dict:
    """`persona(name)` gives the persona `name` (a fixture, or one of a module's world)."""
    coordinator = persona("coordinator")
    veteran_user = persona("veteran_user")
    today, now = timezone.localdate(), timezone.now()

    def track(status: str) -> Track:
        made = Track.objects.create(
            title=f"Управленческий резерв ({status})",
            region_id="77",
            cohort_size=2,
            applications_open=today - timedelta(days=10),
            applications_close=today + timedelta(days=10),
            status=status,
            created_by=coordinator,
        )
        made.tests.create(name="Тест", max_score=100, pass_mark=50, weight=60)
        return made

    def candidacy(on: Track, veteran, stage: str, **values) -> Candidacy:
        made = Candidacy.objects.create(
            track=on,
            veteran=veteran,
            route=Candidacy.Route.NOMINATED,
            stage=stage,
            has_disqualifying_record=False,
            attested_at=now,
            eligibility={"eligible": True, "checks": []},
            history=[[stage, now.isoformat(), coordinator.pk]],
            **values,
        )
        if stage != S.APPLIED:
            Score.objects.create(candidacy=made, test=on.tests.get(), score=80, entered_at=now)
        return made

    open_track, running, awaiting = (track(s) for s in ("open", "selection", "selection"))
    first, second, third = (make_veteran(coordinator=coordinator) for _ in range(3))
    own = make_veteran(coordinator=coordinator, account=veteran_user)
    interviewed = {"interview_score": 8, "interview_held_on": today, "interview_panel": "Орлова"}
    meeting = CouncilMeeting.objects.create(
        track=open_track, held_on=today, minutes="Протокол № 1", created_by=coordinator
    )
    meeting.members.set([coordinator])
    before_council = candidacy(open_track, third, S.INTERVIEWED, **interviewed)
    CouncilVote.objects.create(
        meeting=meeting,
        candidacy=before_council,
        member=coordinator,
        vote="for",
        recorded_at=now,
    )
    employer = Employer.objects.create(
        legal_name="Управа района Хамовники", inn="7704034436", region_id="77", sector="municipal"
    )
    return {
        "lead_track": open_track.pk,
        "lead_selection": running.pk,
        "lead_publish": awaiting.pk,
        "lead_test": open_track.tests.get().pk,
        "lead_applied": candidacy(open_track, first, S.APPLIED).pk,
        "lead_own": candidacy(open_track, own, S.ELIGIBLE).pk,
        "lead_tested": candidacy(open_track, second, S.TESTED).pk,
        "lead_interviewed": before_council.pk,
        "lead_meeting": meeting.pk,
        "lead_member": coordinator.pk,
        "lead_cohort": candidacy(running, first, S.COHORT, rank=1, **interviewed).pk,
        "lead_shortlisted": candidacy(running, second, S.SHORTLISTED, rank=2, **interviewed).pk,
        "lead_approved": candidacy(awaiting, third, S.APPROVED, **interviewed).pk,
        "lead_employer": employer.pk,
    }
