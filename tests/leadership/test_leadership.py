"""The leadership track: eligibility with reasons, every stage and the illegal ones, the
council's majority, the composite score and its tie-break, the cohort and its reserve,
placements, the audit trail, and what a candidate may see."""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import make_organisation, make_user, make_veteran
from waypoint.accounts.models import Organisation, User
from waypoint.audit.models import AuditEvent
from waypoint.employment.models import Employer, Vacancy
from waypoint.leadership import access, scoring, selectors, services
from waypoint.leadership.models import Candidacy, Track
from waypoint.leadership.services import cohort, council
from waypoint.people.models import CivilianJob, Education, ServiceRecord

S = Candidacy.Stage
TODAY = timezone.localdate()
TESTS = [
    {"name": "Государственное управление", "max_score": 100, "pass_mark": 50, "weight": 40},
    {"name": "Право", "max_score": 50, "pass_mark": 25, "weight": 20},
]


def make_track(actor, tests=TESTS, **overrides) -> Track:
    values = {
        "title": "Управленческий резерв: Москва",
        "region": None,
        "cohort_size": 2,
        "applications_open": TODAY - timedelta(days=10),
        "applications_close": TODAY + timedelta(days=10),
        "min_education": 6,
        "min_management_years": 2,
        "requires_clean_record": True,
        "interview_max_score": 10,
        "interview_weight": 40,
    }
    values.update(overrides)
    if values["region"] is None and "region" not in overrides:
        from waypoint.regions.models import Region

        values["region"] = Region.objects.get(code="77")
    return services.save_track(actor=actor, values=values, tests=tests)


def qualify(veteran, *, level="bachelor", rank="lieutenant", years=4):
    Education.objects.create(veteran=veteran, level=level)
    ServiceRecord.objects.create(
        veteran=veteran,
        branch="ground",
        specialty="командир взвода",
        rank=rank,
        start_date=date(2012, 1, 1),
        end_date=date(2012, 1, 1) + timedelta(days=round(365.25 * years)),
    )
    return veteran


def candidate(coordinator, **overrides):
    return qualify(make_veteran(coordinator=coordinator, **overrides))


def to_interviewed(officer, candidacy, scores=(80, 30), interview=7):
    services.decide_eligibility(actor=officer, candidacy=candidacy, eligible=True)
    for test, score in zip(candidacy.track.tests.all(), scores, strict=True):
        services.record_score(actor=officer, candidacy=candidacy, test=test, score=score)
    services.decide_tests(actor=officer, candidacy=candidacy, passed=True, note="решение комиссии")
    return services.record_interview(
        actor=officer, candidacy=candidacy, score=interview, held_on=TODAY, panel="Орлова, Белов"
    )


def approve(officer, meeting, candidacies):
    council.save_minutes(actor=officer, meeting=meeting, minutes="Протокол № 1")
    for candidacy in candidacies:
        for member in meeting.members.all():
            council.record_vote(
                actor=officer, meeting=meeting, candidacy=candidacy, member=member, vote="for"
            )
        council.decide(actor=officer, meeting=meeting, candidacy=candidacy)


@pytest.fixture
def track(coordinator):
    return make_track(coordinator)


def test_eligibility_names_each_failed_rule_and_decides_nothing(coordinator, track):
    veteran = make_veteran(coordinator=coordinator, region_id="77")
    Education.objects.create(veteran=veteran, level="vocational_specialist")
    ServiceRecord.objects.create(
        veteran=veteran,
        branch="ground",
        specialty="командир отделения",
        rank="sergeant",
        start_date=date(2020, 1, 1),
        end_date=date(2020, 12, 31),
    )
    CivilianJob.objects.create(veteran=veteran, title="менеджер по продажам", start_year=2021)
    Track.objects.filter(pk=track.pk).update(min_management_years=3)
    track.refresh_from_db()
    candidacy = services.apply(
        actor=coordinator, track=track, veteran=veteran, has_disqualifying_record=True
    )
    assert candidacy.stage == S.APPLIED  # the system proposes; nobody has decided yet
    assert candidacy.route == Candidacy.Route.NOMINATED
    checks = {item["rule"]: item for item in candidacy.eligibility["checks"]}
    assert candidacy.eligibility["eligible"] is False
    assert checks["region"]["passed"] is True
    assert checks["education"] == {"rule": "education", "passed": False, "required": 6, "found": 5}
    # The squad leader's year counts as a command post; a sales "manager" does not.
    assert checks["management"]["found"] == 1.0
    assert [p["why"] for p in checks["management"]["periods"]] == ["command_post"]
    assert checks["record"]["passed"] is False
    from waypoint.leadership.eligibility import explain

    reasons = [explain(item) for item in candidacy.eligibility["checks"] if not item["passed"]]
    assert reasons == [
        "education: the highest recorded level is ISCED 5; the track asks for 6 or higher",
        "management or command experience: only 1.0 years counted; the track asks for at least 3",
        "declared a disqualifying record (an unexpunged criminal conviction or another bar to "
        "public service)",
    ]


def test_a_regional_track_and_years_in_civilian_management(admin, other_coordinator, track):
    veteran = make_veteran(coordinator=other_coordinator, region_id="66")
    Education.objects.create(veteran=veteran, level="master")
    CivilianJob.objects.create(
        veteran=veteran, title="Начальник участка", start_year=2015, end_year=2018
    )
    candidacy = services.apply(
        actor=admin, track=track, veteran=veteran, has_disqualifying_record=False
    )
    checks = {item["rule"]: item for item in candidacy.eligibility["checks"]}
    assert checks["management"]["passed"] is True
    assert checks["management"]["found"] == 3.0
    assert checks["region"] == {"rule": "region", "passed": False, "required": "77", "found": "66"}


def test_a_person_decides_and_must_say_why_against_the_proposal(coordinator, track):
    veteran = make_veteran(coordinator=coordinator)  # no education recorded: proposed ineligible
    candidacy = services.apply(
        actor=coordinator, track=track, veteran=veteran, has_disqualifying_record=False
    )
    assert candidacy.eligibility["eligible"] is False
    with pytest.raises(ValidationError) as error:
        services.decide_eligibility(actor=coordinator, candidacy=candidacy, eligible=True)
    assert error.value.message_dict == {
        "note": ["give the reason for deciding against the system's proposal"]
    }
    Education.objects.create(veteran=veteran, level="specialist")
    services.recheck_eligibility(actor=coordinator, candidacy=candidacy)
    candidacy.refresh_from_db()
    assert {i["rule"]: i["passed"] for i in candidacy.eligibility["checks"]}["education"]
    candidacy = services.decide_eligibility(
        actor=coordinator,
        candidacy=candidacy,
        eligible=True,
        note="стаж командира подтверждён справкой военкомата",
    )
    assert candidacy.stage == S.ELIGIBLE
    assert candidacy.eligibility_decided_by == coordinator


def test_the_whole_way_to_a_post_every_stage_dated_and_audited(
    client, admin, coordinator, veteran_user, own_veteran, track
):
    qualify(own_veteran)
    candidacy = services.apply(
        actor=veteran_user, track=track, veteran=own_veteran, has_disqualifying_record=False
    )
    assert candidacy.route == Candidacy.Route.SELF
    to_interviewed(coordinator, candidacy)
    meeting = council.open_meeting(
        actor=coordinator, track=track, held_on=TODAY, members=[coordinator, admin]
    )
    approve(coordinator, meeting, [candidacy])
    services.set_track_status(actor=coordinator, track=track, to="selection")
    ranking = cohort.publish_shortlist(actor=coordinator, track=track)
    assert [s.candidacy.pk for s in ranking] == [candidacy.pk]
    assert cohort.form_cohort(actor=coordinator, track=track) == {"cohort": 1, "reserve": 0}
    employer = Employer.objects.create(
        legal_name="Администрация района Хамовники",
        inn="7704034436",
        region_id="77",
        sector="municipal",
    )
    candidacy = cohort.place(
        actor=coordinator,
        candidacy=candidacy,
        employer=employer,
        post_title="заместитель главы управы",
        start_date=TODAY + timedelta(days=30),
    )
    assert [step[0] for step in candidacy.history] == [
        "applied",
        "eligible",
        "tested",
        "interviewed",
        "approved",
        "shortlisted",
        "cohort",
        "placed",
    ]
    assert candidacy.composite == Decimal("72.00")
    assert candidacy.rank == 1
    actions = list(
        AuditEvent.objects.filter(veteran_id=own_veteran.pk, action__startswith="leadership.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "leadership.candidacy.apply",
        "leadership.candidacy.eligibility",
        "leadership.score.record",
        "leadership.score.record",
        "leadership.candidacy.tests",
        "leadership.candidacy.interview",
        "leadership.council.vote",
        "leadership.council.vote",
        "leadership.council.decision",
        "leadership.candidacy.shortlist",
        "leadership.candidacy.cohort",
        "leadership.candidacy.place",
    ]
    decision = AuditEvent.objects.get(action="leadership.council.decision")
    assert decision.changes["stage"] == ["interviewed", "approved"]
    assert decision.changes["vote_tally"][1] == {
        "for": 2,
        "against": 0,
        "abstain": 0,
        "members": 2,
    }
    # Closing needs every candidacy out of selection: this one is placed.
    services.set_track_status(actor=coordinator, track=track, to="closed")


def test_illegal_steps_are_refused_naming_the_field_and_the_rule(coordinator, track):
    candidacy = services.apply(
        actor=coordinator,
        track=track,
        veteran=candidate(coordinator),
        has_disqualifying_record=False,
    )
    test = track.tests.first()

    def refused(call, **kwargs) -> dict:
        with pytest.raises(ValidationError) as error:
            call(actor=coordinator, candidacy=candidacy, **kwargs)
        return error.value.message_dict

    assert "stage" in refused(services.record_score, test=test, score=10)
    assert refused(services.decide_tests, passed=True) == {
        "stage": [
            "a candidacy cannot go from “applied” to “passed the tests: awaiting the interview”"
        ]
    }
    assert "stage" in refused(services.record_interview, score=5, held_on=TODAY, panel="Орлова")
    assert "stage" in refused(cohort.place, employer=None, vacancy=None, start_date=TODAY)
    services.decide_eligibility(actor=coordinator, candidacy=candidacy, eligible=True)
    assert "stage" in refused(services.decide_eligibility, eligible=True)
    assert refused(services.record_score, test=test, score=101) == {
        "score": ["a whole number from 0 to 100 is expected for Государственное управление"]
    }
    assert "score" in refused(services.record_score, test=test, score=-1)
    services.record_score(actor=coordinator, candidacy=candidacy, test=test, score=40)
    assert refused(services.decide_tests, passed=True) == {"scores": ["no score yet for: Право"]}
    services.record_score(actor=coordinator, candidacy=candidacy, test=track.tests.last(), score=30)
    # 40 is below the pass mark of 50: passing needs a reason.
    assert selectors.tests_proposal(candidacy).passed is False
    assert "note" in refused(services.decide_tests, passed=True)
    services.decide_tests(actor=coordinator, candidacy=candidacy, passed=False)
    candidacy.refresh_from_db()
    assert candidacy.stage == S.NOT_PASSED
    assert "stage" in refused(services.withdraw)
    other = services.apply(
        actor=coordinator,
        track=track,
        veteran=candidate(coordinator),
        has_disqualifying_record=False,
    )
    services.withdraw(actor=coordinator, candidacy=other, reason="переезд")
    with pytest.raises(ValidationError) as error:
        services.withdraw(actor=coordinator, candidacy=other)
    assert "stage" in error.value.message_dict
    assert AuditEvent.objects.get(action="leadership.candidacy.withdraw").changes[
        "withdrawn_from"
    ] == [None, "applied"]


def test_track_rules_window_and_status(coordinator, other_coordinator, track):
    veteran = candidate(coordinator)
    with pytest.raises(ValidationError) as error:
        services.set_track_status(actor=coordinator, track=track, to="closed")
    assert "status" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.set_track_status(actor=other_coordinator, track=track, to="selection")
    with pytest.raises(ValidationError) as error:
        make_track(other_coordinator)  # a Moscow track by an officer of Sverdlovsk
    assert "region" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_track(coordinator, region=None)  # nationwide needs a country-wide scope
    assert "region" in error.value.message_dict
    late = make_track(coordinator, applications_close=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        services.apply(
            actor=coordinator, track=late, veteran=veteran, has_disqualifying_record=False
        )
    assert "track" in error.value.message_dict
    services.apply(actor=coordinator, track=track, veteran=veteran, has_disqualifying_record=False)
    with pytest.raises(ValidationError) as error:
        services.apply(
            actor=coordinator, track=track, veteran=veteran, has_disqualifying_record=False
        )
    assert error.value.message_dict == {
        "veteran": ["the veteran is already a candidate on this track"]
    }
    services.set_track_status(actor=coordinator, track=track, to="selection")
    with pytest.raises(ValidationError) as error:
        services.set_track_status(actor=coordinator, track=track, to="closed")
    assert error.value.message_dict["status"][0].startswith("1 candidacies are still in selection")
    with pytest.raises(ValidationError) as error:
        make_track(
            coordinator, tests=[{"name": "Право", "max_score": 10, "pass_mark": 11, "weight": 5}]
        )
    assert error.value.message_dict["tests"] == [
        "Право: the pass mark must be from 0 to the highest score, 10"
    ]


def test_tests_are_frozen_once_a_score_is_entered(coordinator, track):
    candidacy = services.apply(
        actor=coordinator,
        track=track,
        veteran=candidate(coordinator),
        has_disqualifying_record=False,
    )
    services.decide_eligibility(actor=coordinator, candidacy=candidacy, eligible=True)
    services.record_score(
        actor=coordinator, candidacy=candidacy, test=track.tests.first(), score=70
    )
    with pytest.raises(ValidationError) as error:
        services.save_track(actor=coordinator, values={}, tests=TESTS[:1], track=track)
    assert "tests" in error.value.message_dict
    services.save_track(actor=coordinator, values={"cohort_size": 3}, tests=TESTS, track=track)


def test_council_decides_by_majority_of_its_members_with_minutes(coordinator, admin, track):
    # A council member who is no selection officer: votes, sees the candidates, no more.
    third = make_user("career_counsellor", coordinator.organisation)
    third.user_permissions.add(
        Permission.objects.get(codename="sit_on_council", content_type__app_label="leadership")
    )
    third = User.objects.get(pk=third.pk)  # a fresh permission cache
    meeting = council.open_meeting(
        actor=coordinator, track=track, held_on=TODAY, members=[coordinator, admin, third]
    )
    first, second = (
        to_interviewed(
            coordinator,
            services.apply(
                actor=coordinator,
                track=track,
                veteran=candidate(coordinator),
                has_disqualifying_record=False,
            ),
        )
        for _ in range(2)
    )
    council.record_vote(actor=admin, meeting=meeting, candidacy=first, member=admin, vote="for")
    assert set(access.candidacies_visible_to(third)) == {first, second}
    with pytest.raises(PermissionDenied):  # a member votes for themself only
        council.record_vote(actor=third, meeting=meeting, candidacy=first, member=admin, vote="for")
    council.record_vote(actor=third, meeting=meeting, candidacy=first, member=third, vote="abstain")
    with pytest.raises(ValidationError) as error:
        council.decide(actor=admin, meeting=meeting, candidacy=first)
    assert error.value.message_dict == {
        "minutes": ["write the minutes before recording a decision"]
    }
    council.save_minutes(actor=admin, meeting=meeting, minutes="Присутствовали трое.")
    with pytest.raises(ValidationError) as error:
        council.decide(actor=admin, meeting=meeting, candidacy=first)
    assert error.value.message_dict["votes"][0].startswith("not every member has voted yet: ")
    # The secretary (an officer running the track) records a member's vote from the ballot.
    council.record_vote(
        actor=coordinator, meeting=meeting, candidacy=first, member=coordinator, vote="for"
    )
    assert council.decide(actor=admin, meeting=meeting, candidacy=first).stage == S.APPROVED
    for member, choice in [(coordinator, "for"), (admin, "against"), (third, "abstain")]:
        council.record_vote(
            actor=coordinator, meeting=meeting, candidacy=second, member=member, vote=choice
        )
    decided = council.decide(actor=coordinator, meeting=meeting, candidacy=second)
    assert decided.stage == S.REJECTED  # one for of three is no majority
    assert decided.vote_tally == {"for": 1, "against": 1, "abstain": 1, "members": 3}
    with pytest.raises(ValidationError) as error:
        council.record_vote(
            actor=coordinator, meeting=meeting, candidacy=second, member=admin, vote="for"
        )
    assert "candidacy" in error.value.message_dict
    outsider = make_user("coordinator", coordinator.organisation)
    with pytest.raises(ValidationError) as error:
        council.record_vote(
            actor=coordinator, meeting=meeting, candidacy=first, member=outsider, vote="for"
        )
    assert "member" in error.value.message_dict
    council.close_meeting(actor=coordinator, meeting=meeting)
    with pytest.raises(ValidationError) as error:
        council.save_minutes(actor=coordinator, meeting=meeting, minutes="правка")
    assert "meeting" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        council.open_meeting(
            actor=coordinator,
            track=track,
            held_on=TODAY,
            members=[make_user("career_counsellor", coordinator.organisation)],
        )
    assert "members" in error.value.message_dict


def test_composite_score_on_known_numbers():
    result = scoring.composite(
        [
            scoring.Part("Управление", 80, 100, 40),
            scoring.Part("Право", 30, 50, 20),
            scoring.Part("interview", 7, 10, 40),
        ]
    )
    # (40 × 80 + 20 × 60 + 40 × 70) / 100
    assert result.value == 72
    assert [term.contribution for term in result.terms] == [
        Decimal("32.00"),
        Decimal("12.00"),
        Decimal("28.00"),
    ]
    assert scoring.composite([scoring.Part("a", 2, 3, 1)]).shown == Decimal("66.67")
    with pytest.raises(ValueError, match="add up to zero"):
        scoring.composite([scoring.Part("a", 2, 3, 0)])


def test_ties_are_broken_by_interview_then_application_then_number():
    early, late = (
        datetime(2026, 1, 1, tzinfo=UTC),
        datetime(2026, 2, 1, tzinfo=UTC),
    )
    entries = [
        scoring.Entry(5, Fraction(70), Fraction(60), early),
        scoring.Entry(4, Fraction(70), Fraction(80), late),
        scoring.Entry(3, Fraction(70), Fraction(60), late),
        scoring.Entry(2, Fraction(70), Fraction(60), early),
        # 66.666… and 66.67 round alike; the exact values decide.
        scoring.Entry(1, Fraction(6667, 100), Fraction(0), late),
        scoring.Entry(6, Fraction(200, 3), Fraction(100), early),
    ]
    assert [e.key for e in scoring.ranked(entries)] == [4, 2, 5, 3, 1, 6]


@given(
    st.lists(
        st.tuples(st.integers(1, 200), st.integers(0, 100), st.integers(0, 100)).map(
            lambda t: (min(t[1], t[0]), t[0], t[2])
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_composite_stays_within_0_and_100(parts):
    if sum(weight for _, _, weight in parts) == 0:
        return
    value = scoring.composite(
        [scoring.Part(str(n), score, top, weight) for n, (score, top, weight) in enumerate(parts)]
    ).value
    assert 0 <= value <= 100


def test_the_cohort_takes_the_top_and_the_reserve_waits_in_rank_order(coordinator, admin, track):
    scores = [((90, 45), 9), ((60, 30), 6), ((80, 40), 8), ((70, 35), 7)]
    candidacies = [
        to_interviewed(
            coordinator,
            services.apply(
                actor=coordinator,
                track=track,
                veteran=candidate(coordinator),
                has_disqualifying_record=False,
            ),
            tests,
            interview,
        )
        for tests, interview in scores
    ]
    meeting = council.open_meeting(actor=coordinator, track=track, held_on=TODAY, members=[admin])
    approve(admin, meeting, candidacies)
    with pytest.raises(ValidationError) as error:
        cohort.publish_shortlist(actor=coordinator, track=track)
    assert "track" in error.value.message_dict  # applications still open
    services.set_track_status(actor=coordinator, track=track, to="selection")
    with pytest.raises(ValidationError) as error:
        cohort.form_cohort(actor=coordinator, track=track)
    assert "shortlist" in error.value.message_dict
    ranking = cohort.publish_shortlist(actor=coordinator, track=track)
    best, second, third, fourth = (candidacies[i].pk for i in (0, 2, 3, 1))
    assert [s.candidacy.pk for s in ranking] == [best, second, third, fourth]
    assert cohort.form_cohort(actor=coordinator, track=track) == {"cohort": 2, "reserve": 2}
    stages = dict(track.candidacies.values_list("pk", "stage"))
    assert [stages[pk] for pk in (best, second, third, fourth)] == [
        "cohort",
        "cohort",
        "reserve",
        "reserve",
    ]
    services.withdraw(actor=coordinator, candidacy=Candidacy.objects.get(pk=second))
    assert cohort.form_cohort(actor=coordinator, track=track) == {"cohort": 1, "reserve": 0}
    assert Candidacy.objects.get(pk=third).stage == S.COHORT
    assert track.candidacies.filter(stage__in=("cohort", "placed")).count() == track.cohort_size


def test_placement_only_into_civil_or_municipal_posts(coordinator, admin, track):
    candidacy = to_interviewed(
        coordinator,
        services.apply(
            actor=coordinator,
            track=track,
            veteran=candidate(coordinator),
            has_disqualifying_record=False,
        ),
    )
    meeting = council.open_meeting(actor=coordinator, track=track, held_on=TODAY, members=[admin])
    approve(admin, meeting, [candidacy])
    services.set_track_status(actor=coordinator, track=track, to="selection")
    cohort.publish_shortlist(actor=coordinator, track=track)
    cohort.form_cohort(actor=coordinator, track=track)
    private = Employer.objects.create(legal_name="ПАО Сбербанк", inn="7707083893", region_id="77")
    ministry = Employer.objects.create(
        legal_name="Департамент транспорта", inn="7704034436", region_id="77", sector="state"
    )
    shop = Vacancy.objects.create(
        source="test", source_id="1", employer=private, title="Кассир", region_id="77"
    )
    civil = Vacancy.objects.create(
        source="test",
        source_id="2",
        employer=ministry,
        title="Консультант отдела",
        region_id="77",
        is_civil_service=True,
    )

    def refused(**kwargs) -> dict:
        with pytest.raises(ValidationError) as error:
            cohort.place(actor=coordinator, candidacy=candidacy, start_date=TODAY, **kwargs)
        return error.value.message_dict

    assert refused(vacancy=shop) == {
        "vacancy": ["the vacancy is neither in the civil service nor in municipal service"]
    }
    assert "employer" in refused(employer=private, post_title="аналитик")
    assert refused(employer=ministry) == {"post_title": ["name the post"]}
    assert "vacancy" in refused()
    placed = cohort.place(actor=coordinator, candidacy=candidacy, vacancy=civil, start_date=TODAY)
    assert (placed.placement_employer, placed.placement_post) == (ministry, "Консультант отдела")


def test_a_candidate_sees_their_own_status_and_nobody_else(
    client,
    admin,
    coordinator,
    veteran_user,
    own_veteran,
    track,
    employer,
    commander,
    analyst,
    provider,
):
    qualify(own_veteran)
    own = to_interviewed(
        coordinator,
        services.apply(
            actor=veteran_user, track=track, veteran=own_veteran, has_disqualifying_record=False
        ),
    )
    other = to_interviewed(
        coordinator,
        services.apply(
            actor=coordinator,
            track=track,
            veteran=candidate(coordinator, last_name="Сидоров"),
            has_disqualifying_record=False,
        ),
        interview=9,
    )
    Candidacy.objects.filter(pk=own.pk).update(interview_notes="Сильный управленец")
    meeting = council.open_meeting(
        actor=coordinator, track=track, held_on=TODAY, members=[coordinator, admin]
    )
    approve(coordinator, meeting, [own, other])
    client.force_login(veteran_user)
    page = client.get("/leadership/mine/").content.decode()
    assert track.title in page
    assert "approved by the council" in page
    assert "Государственное управление" in page
    assert ">80<" in page
    assert "Сидоров" not in page
    assert str(admin) not in page
    assert "Сильный управленец" not in page
    assert client.get(f"/leadership/candidacies/{own.pk}/").status_code == 200
    assert client.get(f"/leadership/candidacies/{other.pk}/").status_code == 404
    assert client.get(f"/leadership/meetings/{meeting.pk}/").status_code == 404
    data = client.get(f"/api/v1/leadership/candidacies/{own.pk}").json()
    assert data["council_decision"] == "approved"
    assert [s["score"] for s in data["scores"]] == [80, 30]
    assert data["interview_notes"] is None
    assert data["vote_tally"] is None
    assert all(len(step) == 2 for step in data["history"])
    listed = client.get("/api/v1/leadership/candidacies").json()
    assert [item["id"] for item in listed["items"]] == [own.pk]
    assert client.get(f"/api/v1/leadership/candidacies/{other.pk}").status_code == 404
    for outsider in (employer, commander, analyst, provider):
        assert not access.candidacies_visible_to(outsider).exists()
        client.force_login(outsider)
        assert client.get(f"/api/v1/leadership/candidacies/{own.pk}").status_code == 404
    client.force_login(coordinator)
    staff = client.get(f"/api/v1/leadership/candidacies/{own.pk}").json()
    assert staff["interview_notes"] == "Сильный управленец"
    assert staff["vote_tally"] == {"for": 2, "against": 0, "abstain": 0, "members": 2}


def _post(client, path, body, method="post"):
    return client.generic(method.upper(), path, json.dumps(body), content_type="application/json")


def test_api_bad_input_answers_422_naming_the_field(client, coordinator, admin, track):
    client.force_login(coordinator)
    base = "/api/v1/leadership"
    bad = _post(
        client,
        f"{base}/tracks/{track.pk}/candidacies",
        {"veteran_id": 999999, "has_disqualifying_record": False},
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "veteran_id"
    veteran = candidate(coordinator)
    response = _post(
        client,
        f"{base}/tracks/{track.pk}/candidacies",
        {"veteran_id": veteran.pk, "has_disqualifying_record": False},
    )
    assert response.status_code == 201, response.content
    candidacy_id = response.json()["id"]
    assert response.json()["eligible_proposed"] is True
    path = f"{base}/candidacies/{candidacy_id}"
    rechecked = _post(client, f"{path}/recheck", {})
    assert rechecked.status_code == 200, rechecked.content
    assert rechecked.json()["eligible_proposed"] is True
    bad = _post(client, f"{path}/eligibility", {"decision": "maybe"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "decision"
    assert _post(client, f"{path}/eligibility", {"decision": "eligible"}).status_code == 200
    test_id = track.tests.first().pk
    bad = _post(client, f"{path}/scores/{test_id}", {"score": 101}, method="put")
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "score"
    assert _post(client, f"{path}/scores/999999", {"score": 1}, method="put").status_code == 404
    for test, score in zip(track.tests.all(), (80, 40), strict=True):
        ok = _post(client, f"{path}/scores/{test.pk}", {"score": score}, method="put")
        assert ok.status_code == 200
    assert _post(client, f"{path}/tests", {"decision": "passed"}).json()["stage"] == "tested"
    bad = _post(
        client,
        f"{path}/interview",
        {"score": 5, "held_on": (TODAY + timedelta(days=3)).isoformat(), "panel": " "},
    )
    assert bad.status_code == 422
    assert {item["field"] for item in bad.json()["detail"]} == {"held_on", "panel"}
    ok = _post(
        client,
        f"{path}/interview",
        {"score": 8, "held_on": TODAY.isoformat(), "panel": "Орлова, Белов"},
    )
    assert ok.json()["stage"] == "interviewed"
    meeting = _post(
        client,
        f"{base}/tracks/{track.pk}/meetings",
        {"held_on": TODAY.isoformat(), "member_ids": [coordinator.pk]},
    )
    assert meeting.status_code == 201, meeting.content
    meeting_id = meeting.json()["id"]
    bad = _post(
        client,
        f"{base}/meetings/{meeting_id}/votes",
        {"candidacy_id": candidacy_id, "vote": "perhaps"},
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "vote"
    vote = _post(
        client, f"{base}/meetings/{meeting_id}/votes", {"candidacy_id": candidacy_id, "vote": "for"}
    )
    assert vote.json() == {"candidacy_id": candidacy_id, "member_id": coordinator.pk, "vote": "for"}
    bad = _post(client, f"{base}/meetings/{meeting_id}/decisions", {"candidacy_id": candidacy_id})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "minutes"
    _post(client, f"{base}/meetings/{meeting_id}/minutes", {"minutes": "Протокол"}, method="put")
    decided = _post(
        client, f"{base}/meetings/{meeting_id}/decisions", {"candidacy_id": candidacy_id}
    )
    assert decided.json()["stage"] == "approved"
    _post(client, f"{base}/tracks/{track.pk}/status", {"status": "selection"})
    shortlist = _post(client, f"{base}/tracks/{track.pk}/shortlist", {})
    # (40 × 80 + 20 × 80 + 40 × 80) / 100
    assert shortlist.json()[0]["composite"] == "80.00"
    assert client.get(f"{base}/tracks/{track.pk}/shortlist").json()[0]["rank"] == 1
    assert _post(client, f"{base}/tracks/{track.pk}/cohort", {}).json() == {
        "cohort": 1,
        "reserve": 0,
    }
    private = Employer.objects.create(legal_name="ООО Ромашка", inn="7707083893", region_id="77")
    bad = _post(
        client,
        f"{path}/placement",
        {"employer_id": private.pk, "post_title": "директор", "start_date": TODAY.isoformat()},
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "employer"
    bad = _post(
        client,
        f"{base}/tracks",
        {
            "title": "X",
            "region": "999",
            "cohort_size": 5,
            "applications_open": TODAY.isoformat(),
            "applications_close": TODAY.isoformat(),
        },
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "region"
    client.force_login(admin)
    created = _post(
        client,
        f"{base}/tracks",
        {
            "title": "Время героев — 2",
            "cohort_size": 80,
            "applications_open": TODAY.isoformat(),
            "applications_close": TODAY.isoformat(),
            "tests": [{"name": "Тест", "max_score": 100, "pass_mark": 60, "weight": 50}],
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["region"] is None


def test_pages_from_a_new_track_to_a_council_decision(
    client, coordinator, admin, veteran_user, own_veteran
):
    qualify(own_veteran)
    client.force_login(coordinator)
    assert client.get("/leadership/tracks/new/").status_code == 200
    response = client.post(
        "/leadership/tracks/new/",
        {
            "title": "Управленческий резерв",
            "region": "77",
            "cohort_size": 3,
            "applications_open": (TODAY - timedelta(days=1)).isoformat(),
            "applications_close": (TODAY + timedelta(days=20)).isoformat(),
            "min_education": 6,
            "min_management_years": 2,
            "requires_clean_record": "on",
            "interview_max_score": 10,
            "interview_weight": 50,
            "tests-TOTAL_FORMS": 2,
            "tests-INITIAL_FORMS": 0,
            "tests-0-name": "Тест управленческих компетенций",
            "tests-0-max_score": 100,
            "tests-0-pass_mark": 60,
            "tests-0-weight": 50,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    track = Track.objects.get()
    assert list(track.tests.values_list("name", flat=True)) == ["Тест управленческих компетенций"]
    assert client.get(f"/leadership/tracks/{track.pk}/edit/").status_code == 200
    client.force_login(veteran_user)
    assert "Apply" in client.get(f"/leadership/tracks/{track.pk}/").content.decode()
    response = client.post(
        f"/leadership/tracks/{track.pk}/apply/", {"has_disqualifying_record": "no"}
    )
    candidacy = Candidacy.objects.get()
    assert response.url == f"/leadership/candidacies/{candidacy.pk}/"
    page = client.get(response.url).content.decode()
    assert "A selection officer has yet to decide." in page
    assert "Record the decision" not in page
    client.force_login(coordinator)
    url = f"/leadership/candidacies/{candidacy.pk}/"
    assert "Record the decision" in client.get(url).content.decode()
    response = client.post(f"{url}eligibility/", {"decision": "not_eligible", "note": ""})
    assert response.status_code == 200  # against the proposal without a reason
    assert "give the reason for deciding against the system" in response.content.decode()
    client.post(f"{url}eligibility/", {"decision": "eligible"})
    test = track.tests.get()
    response = client.post(f"{url}scores/", {f"test_{test.pk}": 75})
    assert response.status_code == 302
    client.post(f"{url}tests/", {"decision": "passed"})
    response = client.post(
        f"{url}interview/", {"score": 11, "held_on": TODAY.isoformat(), "panel": "Белов"}
    )
    assert "a whole number from 0 to 10 is expected" in response.content.decode()
    client.post(f"{url}interview/", {"score": 9, "held_on": TODAY.isoformat(), "panel": "Белов"})
    candidacy.refresh_from_db()
    assert candidacy.stage == S.INTERVIEWED
    new_meeting = f"/leadership/tracks/{track.pk}/meetings/new/"
    assert client.get(new_meeting).status_code == 200
    response = client.post(new_meeting, {"held_on": TODAY.isoformat(), "members": [coordinator.pk]})
    meeting = track.meetings.get()
    assert response.url == f"/leadership/meetings/{meeting.pk}/"
    client.post(
        f"/leadership/meetings/{meeting.pk}/vote/",
        {"candidacy": candidacy.pk, "member": coordinator.pk, "vote": "for"},
    )
    client.post(f"/leadership/meetings/{meeting.pk}/minutes/", {"minutes": "Решили."})
    client.post(f"/leadership/meetings/{meeting.pk}/decide/{candidacy.pk}/")
    assert "approved by the council" in client.get(response.url).content.decode()
    client.post(f"/leadership/tracks/{track.pk}/status/selection/")
    client.post(f"/leadership/tracks/{track.pk}/shortlist/publish/")
    client.post(f"/leadership/tracks/{track.pk}/cohort/")
    page = client.get(f"/leadership/tracks/{track.pk}/shortlist/").content.decode()
    assert "82.50" in page  # (50 × 75 + 50 × 90) / 100
    assert "in the cohort" in client.get(url).content.decode()
    page = client.get(f"/leadership/tracks/{track.pk}/").content.decode()
    assert own_veteran.full_name in page
    assert client.get("/leadership/").status_code == 200
    client.force_login(veteran_user)
    page = client.get("/leadership/mine/").content.decode()
    assert "in the cohort" in page
    assert "82.50" not in page
    response = client.post(f"{url}withdraw/", {"reason": "семейные обстоятельства"})
    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.stage == S.WITHDRAWN


def test_only_staff_in_scope_act_for_a_veteran(coordinator, other_coordinator, counsellor, track):
    veteran = candidate(coordinator)
    with pytest.raises(PermissionDenied):
        services.apply(
            actor=counsellor, track=track, veteran=veteran, has_disqualifying_record=False
        )
    with pytest.raises(PermissionDenied):
        services.apply(
            actor=other_coordinator, track=track, veteran=veteran, has_disqualifying_record=False
        )
    candidacy = services.apply(
        actor=coordinator, track=track, veteran=veteran, has_disqualifying_record=False
    )
    assert not access.candidacies_visible_to(other_coordinator).filter(pk=candidacy.pk).exists()
    assert not access.candidacies_visible_to(counsellor).exists()
    with pytest.raises(PermissionDenied):
        services.decide_eligibility(actor=other_coordinator, candidacy=candidacy, eligible=True)
    veteran_staff = make_user(
        "employer_staff", make_organisation(name="Мэрия", kind=Organisation.Kind.EMPLOYER)
    )
    assert not access.candidacies_visible_to(veteran_staff).exists()


def test_page_and_api_show_one_projection_per_audience(client, coordinator, admin, track):
    """access.py projects a candidacy once per audience; the page renders the same
    projection the API answers, so both doors hide the same facts from the same people."""
    veteran = candidate(coordinator)
    candidacy = to_interviewed(
        coordinator,
        services.apply(
            actor=coordinator, track=track, veteran=veteran, has_disqualifying_record=False
        ),
    )
    Candidacy.objects.filter(pk=candidacy.pk).update(interview_notes="Сильный управленец")
    meeting = council.open_meeting(
        actor=coordinator, track=track, held_on=TODAY, members=[coordinator, admin]
    )
    approve(coordinator, meeting, [candidacy])
    candidacy.refresh_from_db()
    seen = access.candidacy_as_seen_by_candidate(candidacy)
    assert seen["interview_notes"] is seen["vote_tally"] is seen["rank"] is None
    assert all(len(step) == 2 for step in seen["history"])
    staff = access.candidacy_for(coordinator, candidacy)
    assert staff["audience"] == "staff"
    assert staff["interview_notes"] == "Сильный управленец"
    assert staff["vote_tally"]["for"] == 2
    # A council member who runs no selection reads what the candidate reads, on both doors.
    member = make_user("career_counsellor", coordinator.organisation)
    member.user_permissions.add(
        Permission.objects.get(codename="sit_on_council", content_type__app_label="leadership")
    )
    member = User.objects.get(pk=member.pk)
    council.open_meeting(actor=coordinator, track=track, held_on=TODAY, members=[member])
    assert access.candidacy_for(member, candidacy) == seen
    client.force_login(member)
    answer = client.get(f"/api/v1/leadership/candidacies/{candidacy.pk}").json()
    assert answer["interview_notes"] is None
    assert answer["vote_tally"] is None
    page = client.get(f"/leadership/candidacies/{candidacy.pk}/").content.decode()
    assert "Сильный управленец" not in page
    assert "Орлова, Белов" not in page
    client.force_login(coordinator)
    page = client.get(f"/leadership/candidacies/{candidacy.pk}/").content.decode()
    assert "Сильный управленец" in page
    assert "Орлова, Белов" in page
    reads = AuditEvent.objects.filter(
        action="leadership.candidacy.view", subject_id=str(candidacy.pk)
    )
    assert reads.count() == 3  # each door's read is audited by the one selector


def test_scores_are_saved_all_or_none(coordinator, track):
    candidacy = services.apply(
        actor=coordinator,
        track=track,
        veteran=candidate(coordinator),
        has_disqualifying_record=False,
    )
    services.decide_eligibility(actor=coordinator, candidacy=candidacy, eligible=True)
    first, second = track.tests.all()
    with pytest.raises(ValidationError) as error:
        services.record_scores(
            actor=coordinator, candidacy=candidacy, scores={first: 70, second: 51}
        )
    assert "score" in error.value.message_dict
    assert not candidacy.scores.exists()
    services.record_scores(actor=coordinator, candidacy=candidacy, scores={first: 70, second: 40})
    assert sorted(candidacy.scores.values_list("score", flat=True)) == [40, 70]


def test_access_answers_each_action_for_each_kind_of_person(
    coordinator, other_coordinator, counsellor, veteran_user, own_veteran, track
):
    """One predicate per action, in access.py: the officer running the track decides every
    stage; an officer of another region, none; the candidate only withdraws; a council member
    votes for themself and keeps the meeting's record."""
    qualify(own_veteran)
    candidacy = services.apply(
        actor=veteran_user, track=track, veteran=own_veteran, has_disqualifying_record=False
    )
    stage_actions = (
        access.may_recheck_eligibility,
        access.may_decide_eligibility,
        access.may_record_score,
        access.may_decide_tests,
        access.may_record_interview,
        access.may_place,
    )
    assert all(may(coordinator, candidacy) for may in stage_actions)
    for outsider in (other_coordinator, counsellor, veteran_user):
        assert not any(may(outsider, candidacy) for may in stage_actions)
    assert access.may_withdraw(veteran_user, candidacy)
    assert access.may_withdraw(coordinator, candidacy)
    assert not access.may_withdraw(other_coordinator, candidacy)
    assert access.may_apply(coordinator, own_veteran)
    assert not access.may_apply(other_coordinator, own_veteran)
    assert not access.may_apply(counsellor, own_veteran)
    for may in (access.may_edit_track, access.may_publish_shortlist, access.may_form_cohort):
        assert may(coordinator, track)
        assert not may(other_coordinator, track)
    assert access.sees_as_staff(coordinator, candidacy)
    assert not access.sees_as_staff(veteran_user, candidacy)
    assert list(access.candidacies_visible_to(veteran_user)) == [candidacy]
    assert not access.scores_visible_to(other_coordinator).exists()
    member = make_user("career_counsellor", coordinator.organisation)
    member.user_permissions.add(
        Permission.objects.get(codename="sit_on_council", content_type__app_label="leadership")
    )
    member = User.objects.get(pk=member.pk)
    meeting = council.open_meeting(
        actor=coordinator, track=track, held_on=TODAY, members=[coordinator, member]
    )
    assert access.may_record_vote(member, meeting, member)
    assert not access.may_record_vote(member, meeting, coordinator)
    assert access.may_record_vote(coordinator, meeting, member)  # the secretary
    assert access.may_keep_record(member, meeting)
    assert not access.may_keep_record(other_coordinator, meeting)
    assert set(access.meetings_visible_to(member)) == {meeting}
    assert not access.meetings_visible_to(veteran_user).exists()
