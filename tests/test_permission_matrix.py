"""Who may do what, for every page and every API operation.

Each row names a route, how to call it, and the status each persona gets; personas not named
get the row's default. A route missing from these tables fails `test_matrix_covers_every_route`.
The target is a veteran in Moscow coordinated by `coordinator`; `other_coordinator` works in
Sverdlovsk and must never reach it.
"""

import json
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.appeals.world import appeals_world
from tests.cases.records_world import records_world
from tests.conftest import PERSONAS, make_veteran
from tests.leadership.world import leadership_world
from tests.wellbeing.world import wellbeing_world
from waypoint.accounts.services import issue_api_token
from waypoint.api.urls import api
from waypoint.audit.models import AuditEvent
from waypoint.orientation import plans
from waypoint.orientation import services as orientation
from waypoint.people import services
from waypoint.people.import_models import ImportJob
from waypoint.people.models import Consent, WorkLimitation
from waypoint.taxonomy.models import Occupation, Skill

ANONYMOUS = "anonymous"
EVERYONE = (ANONYMOUS, *PERSONAS)
# Who can see the Moscow veteran, and who can edit them.
SEE = ("admin", "coordinator", "counsellor", "operator", "clinician")
EDIT = ("admin", "coordinator", "counsellor")
CONSENTS = ("admin", "coordinator", "operator")
# Who sees the Moscow veteran's job application, and who acts on it on the veteran's side.
JOBS_SEE = (*SEE, "employer")
JOBS_ACT = (*EDIT, "employer")
VACANCY_BODY = {"title": "Кладовщик", "region": "77", "openings": 1}
TRAINING_VIEW = (
    "admin",
    "coordinator",
    "other_coordinator",
    "counsellor",
    "provider",
    "veteran_user",
)


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    path: str  # with {veteran}, {part}, {organisation}, {event} placeholders
    default: int
    expect: dict[str, int] = field(default_factory=dict)
    body: dict | None = None

    def status_for(self, persona: str) -> int:
        return self.expect.get(persona, self.default)


def each(personas, status):
    return dict.fromkeys(personas, status)


def page(name, path, default, expect, method="GET", body=None, anonymous=302):
    return Row(name, method, path, default, {ANONYMOUS: anonymous, **expect}, body)


PAGES = [
    page("web:home", "/", 200, {}),
    Row("web:login", "GET", "/login/", 302, {ANONYMOUS: 200}),
    Row("web:logout", "POST", "/logout/", 302),
    page("web:second_factor", "/account/second-factor/", 200, {}),
    Row("web:healthz", "GET", "/healthz", 200),
    page("people:veteran_list", "/veterans/", 403, each((*SEE, "other_coordinator"), 200)),
    page(
        "people:veteran_export",
        "/veterans/export.csv",
        403,
        each(("admin", "coordinator", "other_coordinator"), 200),
    ),
    page(
        "people:intake",
        "/veterans/new/",
        403,
        each(("admin", "coordinator", "other_coordinator", "operator"), 200),
    ),
    page(
        "people:duplicate_check",
        "/veterans/duplicates/?phone=%2B79160000001",
        403,
        each(("admin", "coordinator", "other_coordinator", "operator"), 200),
    ),
    page("people:veteran_detail", "/veterans/{veteran}/", 404, each(SEE, 200)),
    page("people:veteran_edit", "/veterans/{veteran}/edit/", 404, each(EDIT, 200)),
    page(
        "people:assign_coordinator",
        "/veterans/{veteran}/coordinator/",
        403,
        {"admin": 200, "coordinator": 200, "other_coordinator": 404},
    ),
    page(
        "people:limitation_edit",
        "/veterans/{veteran}/limitations/",
        404,
        {"admin": 200, "coordinator": 200, "clinician": 200, "counsellor": 403},
    ),
    page("people:preferences_edit", "/veterans/{veteran}/preferences/", 404, each(EDIT, 200)),
    page(
        "people:consent_give",
        "/veterans/{veteran}/consents/give/",
        404,
        {**each(CONSENTS, 302), "counsellor": 403, "clinician": 403},
        method="POST",
        body={"purpose": "contact", "channel": "phone"},
    ),
    page(
        "people:consent_withdraw",
        "/veterans/{veteran}/consents/share_training/withdraw/",
        404,
        {**each(CONSENTS, 302), "counsellor": 403, "clinician": 403},
        method="POST",
    ),
    page(
        "people:skill_confirm",
        "/veterans/{veteran}/skill/{skill}/confirm/",
        403,
        {**each(EDIT, 302), "other_coordinator": 404},
        method="POST",
    ),
    page("people:part_add", "/veterans/{veteran}/service/add/", 404, each(EDIT, 200)),
    page("people:part_edit", "/veterans/{veteran}/service/{service}/edit/", 404, each(EDIT, 200)),
    page(
        "people:part_delete", "/veterans/{veteran}/service/{service}/delete/", 404, each(EDIT, 200)
    ),
    Row("people:self_register", "GET", "/register/", 302, {ANONYMOUS: 200}),
    page(
        "people:import", "/import/", 403, each(("admin", "coordinator", "other_coordinator"), 200)
    ),
    # An import is seen only by whoever started it (here `coordinator`), among those who import.
    page(
        "people:import_job",
        "/import/{import_job}/",
        403,
        {"admin": 404, "coordinator": 200, "other_coordinator": 404},
    ),
    page(
        "people:import_progress",
        "/import/{import_job}/progress/",
        403,
        {"admin": 404, "coordinator": 200, "other_coordinator": 404},
    ),
    page(
        "people:part_occupation",
        "/veterans/{veteran}/service/{service}/occupation/",
        403,
        {**each(EDIT, 200), "other_coordinator": 404},
    ),
    page("audit:event_list", "/audit/", 403, each(("admin", "auditor"), 200)),
    page("audit:event_export", "/audit/export.csv", 403, each(("admin", "auditor"), 200)),
    page("orientation:veteran", "/veterans/{veteran}/orientation/", 404, each(EDIT, 200)),
    page("orientation:run", "/veterans/{veteran}/orientation/run/", 404, each(EDIT, 302), "POST"),
    page(
        "orientation:feedback",
        "/veterans/{veteran}/orientation/feedback/",
        404,
        each(EDIT, 302),
        "POST",
        {"occupation": "{occupation}", "decision": "accepted"},
    ),
    page("orientation:add", "/veterans/{veteran}/orientation/add/?q=driver", 404, each(EDIT, 200)),
    page("orientation:plan", "/veterans/{veteran}/plan/", 404, each(EDIT, 200)),
    page("orientation:plan_pdf", "/veterans/{veteran}/plan.pdf?lang=ru", 404, each(EDIT, 200)),
    page("orientation:plan_save", "/veterans/{veteran}/plan/save/", 404, each(EDIT, 302), "POST"),
    page("training:catalogue", "/training/", 403, each(TRAINING_VIEW, 200)),
    page("training:programme", "/training/programmes/{programme}/", 403, each(TRAINING_VIEW, 200)),
    page("training:programme_new", "/training/programmes/new/", 403, {"provider": 200}),
    page(
        "training:cohort_new",
        "/training/programmes/{programme}/cohorts/new/",
        403,
        {"provider": 302},
        "POST",
        {"start_date": "2030-01-10", "seats": 5},
    ),
    page(
        "training:enrol",
        "/training/cohorts/{cohort2}/enrol/",
        403,
        each((*EDIT, "other_coordinator"), 302),
        "POST",
        {"veteran": "{veteran}"},
    ),
    page("training:enrolments", "/training/enrolments/", 403, each(TRAINING_VIEW, 200)),
    page(
        "training:enrolment_move",
        "/training/enrolments/{enrolment}/applied/",
        404,
        {**each(EDIT, 302), "provider": 403, "operator": 403, "clinician": 403},
        "POST",
    ),
    # Vacancies are public job offers for everyone signed in.
    page("employment:vacancies", "/vacancies/?region=77", 200, {}),
    page("employment:vacancy", "/vacancies/{vacancy}/", 200, {}),
    page("employment:own_vacancies", "/vacancies/mine/", 403, {"employer": 200}),
    page("employment:vacancy_new", "/vacancies/new/", 403, {"employer": 200}),
    page("employment:vacancy_edit", "/vacancies/{vacancy}/edit/", 403, {"employer": 200}),
    page(
        "employment:apply",
        "/vacancies/{vacancy}/apply/",
        403,
        each((*EDIT, "other_coordinator"), 302),
        "POST",
        {"veteran": "{veteran}"},
    ),
    page(
        "employment:candidates",
        "/vacancies/{vacancy}/candidates/",
        403,
        each((*EDIT, "other_coordinator", "employer"), 200),
    ),
    page(
        "employment:veteran_vacancies",
        "/veterans/{veteran}/vacancies/",
        404,
        {**each(EDIT, 200), "operator": 403, "clinician": 403},
    ),
    page("employment:applications", "/applications/", 200, {}),
    # Employers see candidates for their own vacancies; staff see their veterans'.
    page("employment:application", "/applications/{application}/", 404, each(JOBS_SEE, 200)),
    page(
        "employment:hire",
        "/applications/{application}/hire/",
        404,
        {**each(JOBS_ACT, 302), "operator": 403, "clinician": 403},
        "POST",
        {"start_date": "2026-01-10", "salary": 70000},
    ),
    page(
        "employment:application_move",
        "/applications/{application}/interview/",
        404,
        {**each(SEE, 403), "employer": 302},
        "POST",
    ),
    page("employment:placement", "/placements/{placement}/", 404, each(SEE, 200)),
    page("employment:follow_ups_due", "/follow-ups/", 403, each((*EDIT, "other_coordinator"), 200)),
    page(
        "employment:follow_up",
        "/follow-ups/{follow_up}/",
        403,
        {**each(EDIT, 302), "other_coordinator": 404},
        "POST",
        {"still_employed": "yes", "same_employer": "yes"},
    ),
    # The taxonomy is public reference data for everyone signed in.
    page("taxonomy:browse", "/taxonomy/?q=driver", 200, {}),
    page("taxonomy:suggest", "/taxonomy/suggest/?q=водитель", 200, {}),
    page("taxonomy:occupation", "/taxonomy/occupations/{occupation}/", 200, {}),
    page("taxonomy:skill", "/taxonomy/skills/{taxonomy_skill}/", 200, {}),
]

V = "/api/v1/veterans"
PART_BODIES = {
    "service": {
        "branch": "ground",
        "specialty": "сапёр",
        "rank": "private",
        "start_date": "2015-01-01",
        "end_date": "2019-01-01",
    },
    "education": {"level": "bachelor", "institution": "УрФУ"},
    "job": {"title": "водитель", "start_year": 2010, "end_year": 2012},
    "skill": {"name": "вождение", "level": "basic"},
    "language": {"language": "de", "level": "A2"},
}

# A second language must differ from the first (one row per language).
NEW_PART_BODIES = {"language": {"language": "fr", "level": "B1"}}


def endpoint(method, path, default, expect, body=None):
    return Row(f"{method} {path}", method, path, default, {ANONYMOUS: 401, **expect}, body)


def _part_rows(kind: str) -> list[Row]:
    path = f"{V}/{{veteran}}/{kind}"
    return [
        endpoint("GET", path, 404, each(SEE, 200)),
        endpoint("POST", path, 404, each(EDIT, 201), NEW_PART_BODIES.get(kind, PART_BODIES[kind])),
        endpoint("PATCH", f"{path}/{{{kind}}}", 404, each(EDIT, 200), {}),
        endpoint("DELETE", f"{path}/{{{kind}}}", 404, each(EDIT, 204)),
    ]


API = [
    endpoint("GET", "/api/v1/me", 200, {}),
    endpoint("GET", "/api/v1/regions", 200, {}),
    endpoint("GET", "/api/v1/organisations", 200, {"veteran_user": 403}),
    endpoint(
        "GET",
        "/api/v1/organisations/{organisation}",
        404,
        {
            **each(
                (
                    "admin",
                    "coordinator",
                    "counsellor",
                    "operator",
                    "clinician",
                    "analyst",
                    "auditor",
                ),
                200,
            ),
            "veteran_user": 403,
        },
    ),
    endpoint("GET", V, 200, {}),
    endpoint(
        "POST",
        V,
        403,
        each(("admin", "coordinator", "other_coordinator", "operator"), 201),
        {
            "last_name": "Новиков",
            "first_name": "Олег",
            "birth_date": "1980-01-01",
            "sex": "m",
            "phone": "+79035550000",
            "region": "77",
            "consents": [{"purpose": "personal_data", "channel": "phone"}],
        },
    ),
    endpoint(
        "GET",
        f"{V}/duplicates",
        403,
        each(("admin", "coordinator", "other_coordinator", "operator"), 200),
    ),
    endpoint("GET", f"{V}/{{veteran}}", 404, each(SEE, 200)),
    endpoint("PATCH", f"{V}/{{veteran}}", 404, each(EDIT, 200), {"address": "Тверская, 5"}),
    endpoint(
        "POST",
        f"{V}/{{veteran}}/coordinator",
        403,
        {"admin": 200, "coordinator": 200, "other_coordinator": 404},
        {"coordinator_id": None},
    ),
    *[row for kind in PART_BODIES for row in _part_rows(kind)],
    endpoint(
        "POST",
        f"{V}/{{veteran}}/skill/{{skill}}/confirm",
        403,
        {**each(EDIT, 200), "other_coordinator": 404},
    ),
    endpoint(
        "GET",
        f"{V}/{{veteran}}/work-limitation",
        404,
        each(("admin", "coordinator", "counsellor", "clinician"), 200),
    ),
    endpoint(
        "PUT",
        f"{V}/{{veteran}}/work-limitation",
        404,
        {**each(("admin", "coordinator", "clinician"), 200), "counsellor": 403},
        {"disability_group": "3", "restrictions": ["no_night_shifts"]},
    ),
    endpoint("PUT", f"{V}/{{veteran}}/preferences", 404, each(EDIT, 200), {"regions": ["77"]}),
    endpoint("GET", f"{V}/{{veteran}}/consents", 404, each(SEE, 200)),
    endpoint(
        "POST",
        f"{V}/{{veteran}}/consents",
        404,
        {**each(CONSENTS, 201), "counsellor": 403, "clinician": 403},
        {"purpose": "contact", "channel": "phone"},
    ),
    endpoint(
        "POST",
        f"{V}/{{veteran}}/consents/{{purpose}}/withdraw",
        404,
        {**each(CONSENTS, 200), "counsellor": 403, "clinician": 403},
    ),
    *[
        endpoint(
            "PUT",
            f"{V}/{{veteran}}/{kind}/{{{kind}}}/occupation",
            403,
            {**each(EDIT, 200), "other_coordinator": 404},
            {"occupation_id": None},
        )
        for kind in ("service", "job")
    ],
    endpoint("GET", "/api/v1/taxonomy/search?q=driver", 200, {}),
    endpoint("GET", "/api/v1/taxonomy/occupations/{occupation}", 200, {}),
    endpoint("GET", "/api/v1/taxonomy/skills/{taxonomy_skill}", 200, {}),
    endpoint("POST", "/api/v1/taxonomy/normalize", 200, {}, {"texts": ["сапёр"]}),
    endpoint("POST", "/api/v1/taxonomy/extract-skills", 200, {}, {"texts": ["first aid"]}),
    endpoint("GET", f"{V}/{{veteran}}/orientation", 404, each(EDIT, 200)),
    endpoint("POST", f"{V}/{{veteran}}/orientation", 404, each(EDIT, 201)),
    endpoint("GET", f"{V}/{{veteran}}/orientation/runs", 404, each(EDIT, 200)),
    endpoint("GET", f"{V}/{{veteran}}/orientation/runs/{{run}}", 404, each(EDIT, 200)),
    endpoint("GET", f"{V}/{{veteran}}/orientation/feedback", 404, each(EDIT, 200)),
    endpoint(
        "POST",
        f"{V}/{{veteran}}/orientation/feedback",
        404,
        each(EDIT, 200),
        {"occupation_id": "{occupation}", "decision": "accepted"},
    ),
    endpoint("GET", f"{V}/{{veteran}}/plans", 404, each(EDIT, 200)),
    endpoint("POST", f"{V}/{{veteran}}/plans", 404, each(EDIT, 200)),
    endpoint("GET", f"{V}/{{veteran}}/plans/1", 404, each(EDIT, 200)),
    endpoint("GET", f"{V}/{{veteran}}/plans/1/pdf", 404, each(EDIT, 200)),
    endpoint(
        "POST",
        "/api/v1/orientation/what-if",
        403,
        each(("admin", "coordinator", "other_coordinator", "counsellor"), 200),
        {"profile": {"military_specialties": ["связист"]}},
    ),
    endpoint("GET", "/api/v1/training/programmes", 403, each(TRAINING_VIEW, 200)),
    endpoint("GET", "/api/v1/training/programmes/{programme}", 403, each(TRAINING_VIEW, 200)),
    endpoint(
        "POST",
        "/api/v1/training/programmes",
        403,
        {"provider": 201},
        {
            "title": "Сварщик",
            "duration_weeks": 8,
            "format": "on_site",
            "region": "77",
            "payer": "fund",
        },
    ),
    endpoint(
        "GET", "/api/v1/training/programmes/{programme}/cohorts", 403, each(TRAINING_VIEW, 200)
    ),
    endpoint(
        "POST",
        "/api/v1/training/programmes/{programme}/cohorts",
        403,
        {"provider": 201},
        {"start_date": "2030-01-10", "seats": 5},
    ),
    endpoint("GET", "/api/v1/training/enrolments", 403, each(TRAINING_VIEW, 200)),
    endpoint(
        "POST",
        "/api/v1/training/enrolments",
        422,
        {**each(EDIT, 201), "operator": 403, "clinician": 403},
        {"veteran_id": "{veteran}", "cohort_id": "{cohort2}"},
    ),
    endpoint(
        "POST",
        "/api/v1/training/enrolments/{enrolment}/move",
        404,
        {**each(EDIT, 200), "provider": 403, "operator": 403, "clinician": 403},
        {"status": "applied"},
    ),
    endpoint("GET", "/api/v1/vacancies", 200, {}),
    endpoint("GET", "/api/v1/vacancies/{vacancy}", 200, {}),
    endpoint("POST", "/api/v1/vacancies", 403, {"employer": 201}, VACANCY_BODY),
    endpoint(
        "PUT", "/api/v1/vacancies/{vacancy}", 403, {"employer": 200, "admin": 404}, VACANCY_BODY
    ),
    endpoint(
        "GET",
        "/api/v1/vacancies/{vacancy}/candidates",
        403,
        each((*EDIT, "other_coordinator", "employer"), 200),
    ),
    endpoint(
        "GET",
        "/api/v1/veterans/{veteran}/vacancies",
        404,
        {**each(EDIT, 200), "operator": 403, "clinician": 403},
    ),
    endpoint("GET", "/api/v1/applications", 200, {}),
    endpoint("GET", "/api/v1/applications/{application}", 404, each(JOBS_SEE, 200)),
    endpoint(
        "POST",
        "/api/v1/applications",
        422,
        {**each(EDIT, 201), "operator": 403, "clinician": 403},
        {"veteran_id": "{veteran}", "vacancy_id": "{vacancy2}"},
    ),
    endpoint(
        "POST",
        "/api/v1/applications/{application}/move",
        404,
        {**each(SEE, 403), "employer": 200},
        {"status": "interview"},
    ),
    endpoint(
        "POST",
        "/api/v1/applications/{application}/hire",
        404,
        {**each(JOBS_ACT, 422), "operator": 403, "clinician": 403},
        {"start_date": "2026-11-01", "salary": 70000},
    ),
    endpoint("GET", "/api/v1/placements", 200, {}),
    endpoint("GET", "/api/v1/placements/{placement}", 404, each(SEE, 200)),
    endpoint(
        "PUT",
        "/api/v1/placements/{placement}/follow-ups/3",
        403,
        {**each(EDIT, 200), "other_coordinator": 404},
        {"still_employed": True, "same_employer": True},
    ),
    endpoint("GET", "/api/v1/audit-events", 403, each(("admin", "auditor"), 200)),
    endpoint("GET", "/api/v1/audit-events/{event}", 403, each(("admin", "auditor"), 200)),
]


# The leadership track. Tracks are open to those who may see them; a candidacy only to the
# candidate (`veteran_user` owns {lead_own}) and to selection staff in scope, where others
# get 404. The tracks are Moscow's: `other_coordinator`, a selection officer in Sverdlovsk,
# does not run them.
LEAD_VIEW = ("admin", "coordinator", "other_coordinator", "counsellor", "veteran_user")
SELECTION_STAFF = ("admin", "coordinator", "other_coordinator")
LEAD_RUN = ("admin", "coordinator")
LEAD_OWN = (*LEAD_RUN, "veteran_user")
LEAD_OFFICER_ROW = {**each(LEAD_RUN, 302), "other_coordinator": 404}
LEAD_TRACK_BODY = {
    "title": "Резерв управленческих кадров",
    "region": "77",
    "cohort_size": 2,
    "applications_open": "2026-01-01",
    "applications_close": "2030-12-31",
}
L = "/leadership"
PAGES += [
    page("leadership:tracks", f"{L}/", 403, each(LEAD_VIEW, 200)),
    # The administrator holds every people permission, self-service included.
    page("leadership:mine", f"{L}/mine/", 403, each(("admin", "veteran_user"), 200)),
    page("leadership:track_new", f"{L}/tracks/new/", 403, each(SELECTION_STAFF, 200)),
    page("leadership:track", f"{L}/tracks/{{lead_track}}/", 403, each(LEAD_VIEW, 200)),
    page("leadership:track_edit", f"{L}/tracks/{{lead_track}}/edit/", 403, each(LEAD_RUN, 200)),
    page(
        "leadership:track_status",
        f"{L}/tracks/{{lead_track}}/status/selection/",
        403,
        each(LEAD_RUN, 302),
        "POST",
    ),
    page(
        "leadership:apply",
        f"{L}/tracks/{{lead_track}}/apply/",
        403,
        each(("admin", "veteran_user"), 302),
        "POST",
        {"has_disqualifying_record": "no"},
    ),
    page(
        "leadership:nominate",
        f"{L}/tracks/{{lead_track}}/nominate/",
        403,
        each(SELECTION_STAFF, 302),
        "POST",
        {"veteran": "{veteran}", "has_disqualifying_record": "no"},
    ),
    page(
        "leadership:shortlist",
        f"{L}/tracks/{{lead_selection}}/shortlist/",
        403,
        each(LEAD_RUN, 200),
    ),
    page(
        "leadership:shortlist_publish",
        f"{L}/tracks/{{lead_publish}}/shortlist/publish/",
        403,
        each(LEAD_RUN, 302),
        "POST",
    ),
    page(
        "leadership:cohort",
        f"{L}/tracks/{{lead_selection}}/cohort/",
        403,
        each(LEAD_RUN, 302),
        "POST",
    ),
    page(
        "leadership:meeting_new",
        f"{L}/tracks/{{lead_track}}/meetings/new/",
        403,
        each(LEAD_RUN, 200),
    ),
    page("leadership:candidacy", f"{L}/candidacies/{{lead_own}}/", 404, each(LEAD_OWN, 200)),
    page(
        "leadership:eligibility",
        f"{L}/candidacies/{{lead_applied}}/eligibility/",
        403,
        LEAD_OFFICER_ROW,
        "POST",
        {"decision": "eligible"},
    ),
    page(
        "leadership:recheck",
        f"{L}/candidacies/{{lead_applied}}/recheck/",
        403,
        LEAD_OFFICER_ROW,
        "POST",
    ),
    page(
        "leadership:scores", f"{L}/candidacies/{{lead_own}}/scores/", 403, LEAD_OFFICER_ROW, "POST"
    ),
    page(
        "leadership:tests",
        f"{L}/candidacies/{{lead_own}}/tests/",
        403,
        LEAD_OFFICER_ROW,
        "POST",
        {"decision": "passed"},
    ),
    page(
        "leadership:interview",
        f"{L}/candidacies/{{lead_tested}}/interview/",
        403,
        LEAD_OFFICER_ROW,
        "POST",
        {"score": 7, "held_on": "2025-06-01", "panel": "Орлова"},
    ),
    page(
        "leadership:place",
        f"{L}/candidacies/{{lead_cohort}}/place/",
        403,
        LEAD_OFFICER_ROW,
        "POST",
        {"employer": "{lead_employer}", "post_title": "советник", "start_date": "2030-01-10"},
    ),
    page(
        "leadership:withdraw",
        f"{L}/candidacies/{{lead_own}}/withdraw/",
        404,
        each(LEAD_OWN, 302),
        "POST",
    ),
    page("leadership:meeting", f"{L}/meetings/{{lead_meeting}}/", 404, each(LEAD_RUN, 200)),
    page(
        "leadership:minutes",
        f"{L}/meetings/{{lead_meeting}}/minutes/",
        404,
        each(LEAD_RUN, 302),
        "POST",
        {"minutes": "Протокол № 1"},
    ),
    page(
        "leadership:vote",
        f"{L}/meetings/{{lead_meeting}}/vote/",
        404,
        each(LEAD_RUN, 302),
        "POST",
        {"candidacy": "{lead_interviewed}", "member": "{lead_member}", "vote": "for"},
    ),
    page(
        "leadership:decide",
        f"{L}/meetings/{{lead_meeting}}/decide/{{lead_interviewed}}/",
        404,
        each(LEAD_RUN, 302),
        "POST",
    ),
    page(
        "leadership:meeting_close",
        f"{L}/meetings/{{lead_meeting}}/close/",
        404,
        each(LEAD_RUN, 302),
        "POST",
    ),
]
LA = "/api/v1/leadership"
LEAD_OFFICER_API = {**each(LEAD_RUN, 200), "other_coordinator": 404}
API += [
    endpoint("GET", f"{LA}/tracks", 403, each(LEAD_VIEW, 200)),
    endpoint("GET", f"{LA}/tracks/{{lead_track}}", 403, each(LEAD_VIEW, 200)),
    endpoint(
        "POST",
        f"{LA}/tracks",
        403,
        {**each(LEAD_RUN, 201), "other_coordinator": 422},
        LEAD_TRACK_BODY,
    ),
    endpoint("PUT", f"{LA}/tracks/{{lead_track}}", 403, each(LEAD_RUN, 200), LEAD_TRACK_BODY),
    endpoint(
        "POST",
        f"{LA}/tracks/{{lead_track}}/status",
        403,
        each(LEAD_RUN, 200),
        {"status": "selection"},
    ),
    endpoint(
        "POST",
        f"{LA}/tracks/{{lead_track}}/candidacies",
        422,
        {**each(LEAD_RUN, 201), **each(("counsellor", "operator", "clinician"), 403)},
        {"veteran_id": "{veteran}", "has_disqualifying_record": False},
    ),
    endpoint("GET", f"{LA}/candidacies", 200, {}),
    endpoint("GET", f"{LA}/candidacies/{{lead_own}}", 404, each(LEAD_OWN, 200)),
    endpoint(
        "POST",
        f"{LA}/candidacies/{{lead_applied}}/eligibility",
        403,
        LEAD_OFFICER_API,
        {"decision": "eligible"},
    ),
    endpoint(
        "PUT",
        f"{LA}/candidacies/{{lead_own}}/scores/{{lead_test}}",
        403,
        LEAD_OFFICER_API,
        {"score": 70},
    ),
    endpoint(
        "POST",
        f"{LA}/candidacies/{{lead_own}}/tests",
        403,
        LEAD_OFFICER_API,
        {"decision": "passed"},
    ),
    endpoint(
        "POST",
        f"{LA}/candidacies/{{lead_tested}}/interview",
        403,
        LEAD_OFFICER_API,
        {"score": 7, "held_on": "2025-06-01", "panel": "Орлова"},
    ),
    endpoint(
        "POST",
        f"{LA}/candidacies/{{lead_cohort}}/placement",
        403,
        LEAD_OFFICER_API,
        {"employer_id": "{lead_employer}", "post_title": "советник", "start_date": "2030-01-10"},
    ),
    endpoint("POST", f"{LA}/candidacies/{{lead_own}}/withdraw", 404, each(LEAD_OWN, 200)),
    # A list of member ids cannot take a placeholder: the empty list answers 422 (members).
    endpoint(
        "POST",
        f"{LA}/tracks/{{lead_track}}/meetings",
        403,
        each(LEAD_RUN, 422),
        {"held_on": "2030-01-10", "member_ids": []},
    ),
    endpoint("GET", f"{LA}/meetings/{{lead_meeting}}", 404, each(LEAD_RUN, 200)),
    endpoint(
        "PUT",
        f"{LA}/meetings/{{lead_meeting}}/minutes",
        404,
        each(LEAD_RUN, 200),
        {"minutes": "Протокол № 1"},
    ),
    endpoint(
        "POST",
        f"{LA}/meetings/{{lead_meeting}}/votes",
        404,
        each(LEAD_RUN, 200),
        {"candidacy_id": "{lead_interviewed}", "member_id": "{lead_member}", "vote": "for"},
    ),
    endpoint(
        "POST",
        f"{LA}/meetings/{{lead_meeting}}/decisions",
        404,
        each(LEAD_RUN, 200),
        {"candidacy_id": "{lead_interviewed}"},
    ),
    endpoint("POST", f"{LA}/meetings/{{lead_meeting}}/close", 404, each(LEAD_RUN, 200)),
    endpoint("GET", f"{LA}/tracks/{{lead_selection}}/shortlist", 403, each(LEAD_RUN, 200)),
    endpoint("POST", f"{LA}/tracks/{{lead_publish}}/shortlist", 403, each(LEAD_RUN, 200)),
    endpoint("POST", f"{LA}/tracks/{{lead_selection}}/cohort", 403, each(LEAD_RUN, 200)),
]


# Cases: staff who work cases see those in their scope; the case's team changes them.
CASE_STAFF = ("admin", "coordinator", "other_coordinator", "counsellor")
CASE_TEAM = ("admin", "coordinator", "counsellor")
PAGES += [
    page("cases:caseload", "/cases/", 403, each(CASE_STAFF, 200)),
    page("cases:supervision", "/cases/supervision/", 403, {"admin": 200}),
    page(
        "cases:case_open",
        "/cases/open/{veteran}/",
        403,
        {**each(CASE_TEAM, 302), "other_coordinator": 404},
        "POST",
    ),
    page("cases:case", "/cases/{case}/", 403, {**each(CASE_TEAM, 200), "other_coordinator": 404}),
    page(
        "cases:case_move",
        "/cases/{case}/move/",
        403,
        {**each(CASE_TEAM, 302), "other_coordinator": 404},
        "POST",
        {"track": "{track}"},
    ),
    page(
        "cases:task_new",
        "/cases/{case}/tasks/new/",
        403,
        {**each(CASE_TEAM, 302), "other_coordinator": 404},
        "POST",
        {"type": "{task_type}", "title": "План", "queue": "{organisation}"},
    ),
    page(
        "cases:task_status",
        "/tasks/{task}/in_progress/",
        404,
        each(CASE_TEAM, 302),
        "POST",
    ),
]
# Notifications: everyone signed in reads and marks read their own, and only those.
PAGES += [
    page("cases:notifications", "/notifications/", 200, {}),
    page("cases:notification_read", "/notifications/read/", 302, {}, "POST"),
]
API += [
    endpoint("GET", "/api/v1/cases", 403, each(CASE_STAFF, 200)),
    endpoint(
        "POST",
        "/api/v1/cases",
        403,
        each(("admin", "coordinator", "counsellor", "other_coordinator"), 422),
        {"veteran_id": "{veteran}"},
    ),
    endpoint(
        "GET", "/api/v1/cases/{case}", 403, {**each(CASE_TEAM, 200), "other_coordinator": 404}
    ),
    endpoint(
        "POST",
        "/api/v1/cases/{case}/move",
        403,
        {**each(CASE_TEAM, 200), "other_coordinator": 404},
        {"track": "self_employment"},
    ),
    endpoint(
        "GET",
        "/api/v1/cases/{case}/tasks",
        403,
        {**each(CASE_TEAM, 200), "other_coordinator": 404},
    ),
    endpoint(
        "POST",
        "/api/v1/cases/{case}/tasks",
        403,
        {**each(CASE_TEAM, 201), "other_coordinator": 404},
        {"type": "plan", "title": "План", "queue_id": "{organisation}"},
    ),
    endpoint("GET", "/api/v1/tasks", 200, {}),
    endpoint(
        "POST",
        "/api/v1/tasks/{task}/status",
        404,
        each(CASE_TEAM, 200),
        {"status": "in_progress"},
    ),
]

# Hotline appeals. {appeal} is about the Moscow veteran, waiting in `coordinator`'s branch's
# queue; its staff take and answer it, coordinators and administrators in scope see it, and
# the operator who logged it does not. {appeal_psych} (psychological help) is the clinic's
# alone: not even the administrator reaches it. The status check is public.
APPEAL_SEE = ("admin", "coordinator", "counsellor")
APPEAL_QUEUE = ("coordinator", "counsellor")
APPEAL_LISTS = ("admin", "coordinator", "other_coordinator", "counsellor", "clinician")
APPEAL_WORK_ROW = {"admin": 403, "other_coordinator": 404, "clinician": 404}
APPEAL_CLOSE_ROW = {"admin": 302, "coordinator": 302, "other_coordinator": 404, "clinician": 404}
APPEAL_ANSWER = {"outcome_kind": "explained", "outcome": "Разъяснён порядок постановки на учёт."}
APPEAL_BODY = {
    "caller_kind": "veteran",
    "veteran_id": "{veteran}",
    "topic": "employment",
    "description": "Ищет работу водителем.",
    "contact_channel": "phone",
}
APPEAL_CHECK = "reference={appeal_reference}&phone={appeal_phone}"
NO_SUCH_APPEAL = {"reference": "A-2000-000001", "phone": "+79160000000"}
AP = "/api/v1/appeals"
PAGES += [
    page("appeals:list", "/appeals/?shown=all", 403, each(APPEAL_LISTS, 200)),
    page("appeals:log", "/appeals/new/", 403, each(("admin", "operator"), 200)),
    page(
        "appeals:veteran_search",
        "/appeals/new/veterans/?q=Иванов",
        403,
        each(("admin", "operator"), 200),
    ),
    page("appeals:status", f"/appeals/status/?{APPEAL_CHECK}", 200, {}, anonymous=200),
    page(
        "appeals:status",
        "/appeals/status/",
        200,
        {},
        "POST",
        NO_SUCH_APPEAL,
        anonymous=200,
    ),
    page("appeals:reports", "/appeals/reports/", 403, each(("admin", "analyst"), 200)),
    page("appeals:report_csv", "/appeals/reports.csv", 403, each(("admin", "analyst"), 200)),
    page("appeals:routing", "/appeals/routing/", 403, {"admin": 200}),
    page(
        "appeals:rule_delete", "/appeals/routing/{appeal_rule}/delete/", 403, {"admin": 302}, "POST"
    ),
    page("appeals:detail", "/appeals/{appeal}/", 404, each(APPEAL_SEE, 200)),
    page("appeals:detail", "/appeals/{appeal_psych}/", 404, {"clinician": 200}),
    page(
        "appeals:take",
        "/appeals/{appeal}/take/",
        403,
        {**each(APPEAL_QUEUE, 302), **APPEAL_WORK_ROW},
        "POST",
    ),
    page(
        "appeals:answer",
        "/appeals/{appeal}/answer/",
        403,
        {**each(APPEAL_QUEUE, 302), **APPEAL_WORK_ROW},
        "POST",
        APPEAL_ANSWER,
    ),
    page("appeals:close", "/appeals/{appeal_answered}/close/", 403, APPEAL_CLOSE_ROW, "POST"),
]
API += [
    endpoint("POST", AP, 403, each(("admin", "operator"), 201), APPEAL_BODY),
    endpoint("GET", AP, 403, each(APPEAL_LISTS, 200)),
    endpoint("GET", f"{AP}/status?{APPEAL_CHECK}", 200, {ANONYMOUS: 200}),
    endpoint("POST", f"{AP}/status", 200, {ANONYMOUS: 200}, NO_SUCH_APPEAL),
    endpoint("GET", f"{AP}/{{appeal}}", 404, each(APPEAL_SEE, 200)),
    endpoint("GET", f"{AP}/{{appeal_psych}}", 404, {"clinician": 200}),
    endpoint("POST", f"{AP}/{{appeal}}/take", 403, {**each(APPEAL_QUEUE, 200), **APPEAL_WORK_ROW}),
    endpoint(
        "POST",
        f"{AP}/{{appeal}}/answer",
        403,
        {**each(APPEAL_QUEUE, 200), **APPEAL_WORK_ROW},
        APPEAL_ANSWER,
    ),
    endpoint(
        "POST",
        f"{AP}/{{appeal_answered}}/close",
        403,
        {key: 200 if value == 302 else value for key, value in APPEAL_CLOSE_ROW.items()},
    ),
]


# A case's records, referrals and transfers. {rec_note} and {rec_document} are `coordinator`'s,
# for everyone with access to the case: only the author corrects the note. {rec_referral} is
# addressed to the `employer` persona's company: its staff answer it, the case team sees it
# from the case, and every other organisation gets 404 — even those that answer referrals.
RECORDS_OTHER = {"other_coordinator": 404}
ANSWERERS = (*CASE_STAFF, "provider", "employer", "clinician")
REFERRAL_SEE = (*CASE_TEAM, "employer")
REFERRAL_ANSWER = {
    **each(CASE_TEAM, 403),
    **each(("other_coordinator", "provider", "clinician"), 404),
}
NOTE_BODY = {"text": "Звонок", "visibility": "case"}
C = "/cases/{case}"
PAGES += [
    page("cases:notes", f"{C}/notes/", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}),
    page(
        "cases:notes",
        f"{C}/notes/",
        403,
        {**each(CASE_TEAM, 302), **RECORDS_OTHER},
        "POST",
        NOTE_BODY,
    ),
    page(
        "cases:note_edit",
        f"{C}/notes/{{rec_note}}/edit/",
        403,
        {"coordinator": 200, **RECORDS_OTHER},
    ),
    page("cases:documents", f"{C}/documents/", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}),
    # Without a file the upload is refused (with a message) after the permission checks.
    page(
        "cases:documents",
        f"{C}/documents/",
        403,
        {**each(CASE_TEAM, 302), **RECORDS_OTHER},
        "POST",
        {"visibility": "case"},
    ),
    page(
        "cases:document_download",
        f"{C}/documents/{{rec_document}}/download/",
        403,
        {**each(CASE_TEAM, 200), **RECORDS_OTHER},
    ),
    page("cases:timeline", f"{C}/timeline/", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}),
    page("cases:case_referrals", f"{C}/referrals/", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}),
    page(
        "cases:referral_new",
        f"{C}/referrals/new/",
        403,
        {**each(CASE_TEAM, 302), **RECORDS_OTHER},
        "POST",
        {"receiver": "{rec_receiver}", "purpose": "Постановка на учёт"},
    ),
    page("cases:transfer", f"{C}/transfer/", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}),
    page(
        "cases:transfer",
        f"{C}/transfer/",
        403,
        {**each(CASE_TEAM, 302), **RECORDS_OTHER},
        "POST",
        {"coordinator": "{rec_coordinator}"},
    ),
    page("cases:reassign", "/cases/reassign/", 403, {"admin": 200}),
    page(
        "cases:reassign",
        "/cases/reassign/",
        403,
        {"admin": 302},
        "POST",
        {"source": "{rec_leaving}", "target": "{rec_coordinator}"},
    ),
    page("cases:referrals", "/referrals/", 403, each(ANSWERERS, 200)),
    page("cases:referral", "/referrals/{rec_referral}/", 404, each(REFERRAL_SEE, 200)),
    page(
        "cases:referral_accept",
        "/referrals/{rec_referral}/accept/",
        403,
        {**REFERRAL_ANSWER, "employer": 302},
        "POST",
    ),
    page(
        "cases:referral_decline",
        "/referrals/{rec_referral}/decline/",
        403,
        {**REFERRAL_ANSWER, "employer": 302},
        "POST",
        {"reason": "Нет мест"},
    ),
]
CA = "/api/v1/cases/{case}"
API += [
    endpoint("GET", f"{CA}/notes", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}),
    endpoint("POST", f"{CA}/notes", 403, {**each(CASE_TEAM, 201), **RECORDS_OTHER}, NOTE_BODY),
    endpoint(
        "PATCH",
        f"{CA}/notes/{{rec_note}}",
        403,
        {"coordinator": 200, **RECORDS_OTHER},
        {"text": "Звонок, исправлено"},
    ),
    endpoint("GET", f"{CA}/documents", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}),
    # A JSON body carries no file: 422 (file) once the permission checks have passed.
    endpoint("POST", f"{CA}/documents", 403, {**each(CASE_TEAM, 422), **RECORDS_OTHER}),
    endpoint(
        "GET",
        f"{CA}/documents/{{rec_document}}",
        403,
        {**each(CASE_TEAM, 200), **RECORDS_OTHER},
    ),
    endpoint("GET", f"{CA}/timeline", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}),
    endpoint("GET", f"{CA}/referrals", 403, {**each(CASE_TEAM, 200), **RECORDS_OTHER}),
    endpoint(
        "POST",
        f"{CA}/referrals",
        403,
        {**each(CASE_TEAM, 201), **RECORDS_OTHER},
        {"receiver_id": "{rec_receiver}", "purpose": "Постановка на учёт"},
    ),
    endpoint("GET", "/api/v1/referrals", 403, each(ANSWERERS, 200)),
    endpoint("GET", "/api/v1/referrals/{rec_referral}", 404, each(REFERRAL_SEE, 200)),
    endpoint(
        "POST",
        "/api/v1/referrals/{rec_referral}/accept",
        403,
        {**REFERRAL_ANSWER, "employer": 200},
    ),
    endpoint(
        "POST",
        "/api/v1/referrals/{rec_referral}/decline",
        403,
        {**REFERRAL_ANSWER, "employer": 200},
        {"reason": "Нет мест"},
    ),
    endpoint(
        "POST",
        f"{CA}/transfer",
        403,
        {**each(CASE_TEAM, 200), **RECORDS_OTHER},
        {"coordinator_id": "{rec_coordinator}"},
    ),
]


# Well-being: only `clinician` (the care team) reaches answers, scores and tiers; a commander
# only the notices to their unit; the staff who see the veteran only derived facts.
WB = "/api/v1/wellbeing"
WB_TODAY = timezone.localdate().isoformat()
WB_LATER = (timezone.localdate() + timedelta(days=60)).isoformat()
CARE = each(("clinician",), 200)
PAGES += [
    page("wellbeing:home", "/wellbeing/", 403, CARE),
    page("wellbeing:on_duty", "/wellbeing/on-duty/", 403, {"clinician": 302}, method="POST"),
    page(
        "wellbeing:acknowledge",
        "/wellbeing/alerts/{wb_alert}/acknowledge/",
        403,
        {"clinician": 302},
        method="POST",
    ),
    page("wellbeing:person", "/wellbeing/veterans/{veteran}/", 403, CARE),
    page(
        "wellbeing:start",
        "/wellbeing/veterans/{veteran}/start/",
        403,
        {"clinician": 302},
        method="POST",
    ),
    page(
        "wellbeing:enrol",
        "/wellbeing/veterans/{veteran}/enrol/",
        403,
        {"clinician": 302},
        method="POST",
        body={"programme": "counselling", "starts_on": WB_TODAY},
    ),
    page(
        "wellbeing:schedule",
        "/wellbeing/veterans/{veteran}/schedule/",
        403,
        {"clinician": 302},
        method="POST",
        body={"due_on": WB_LATER},
    ),
    page(
        "wellbeing:notify",
        "/wellbeing/veterans/{veteran}/notify/",
        403,
        {"clinician": 302},
        method="POST",
    ),
    page(
        "wellbeing:end_enrolment",
        "/wellbeing/enrolments/{wb_enrolment}/end/",
        403,
        {"clinician": 302},
        method="POST",
    ),
    page("wellbeing:screening", "/wellbeing/screenings/{wb_screening}/", 403, CARE),
    page("wellbeing:answer", "/wellbeing/screenings/{wb_screening}/answer/", 404, CARE),
    page("wellbeing:correct", "/wellbeing/responses/{wb_response}/correct/", 403, CARE),
    page("wellbeing:response_fhir", "/wellbeing/responses/{wb_response}/fhir/", 403, CARE),
    page("wellbeing:questionnaire", "/wellbeing/instruments/phq9/fhir/", 200, {}),
    page("wellbeing:mine", "/me/wellbeing/", 403, {}),
    page("wellbeing:consent", "/me/wellbeing/consent/", 403, {}, method="POST"),
    page("wellbeing:notices", "/command/notices/", 403, each(("commander",), 200)),
    # Only the clinical record keeper (no persona of the matrix; see tests/wellbeing).
    page("wellbeing:records", "/wellbeing/records/", 403, {}),
    page("wellbeing:kept_record", "/wellbeing/records/{veteran}/", 403, {}),
]
WB_FHIR = {
    "resourceType": "QuestionnaireResponse",
    "status": "completed",
    "questionnaire": "urn:waypoint:instrument:gad2",
    "item": [
        {"linkId": "1", "answer": [{"valueInteger": 0}]},
        {"linkId": "2", "answer": [{"valueInteger": 1}]},
    ],
}
API += [
    endpoint(
        "POST", f"{WB}/score", 200, {}, {"instrument": "phq2", "answers": [1, 2], "sex": None}
    ),
    endpoint("GET", f"{WB}/instruments", 200, {}),
    endpoint("GET", f"{WB}/instruments/phq9/fhir", 200, {}),
    endpoint("GET", f"{WB}/veterans/{{veteran}}", 404, {**CARE, ANONYMOUS: 401}),
    endpoint("GET", f"{WB}/veterans/{{veteran}}/facts", 404, {**each(SEE, 200), ANONYMOUS: 401}),
    endpoint(
        "POST",
        f"{WB}/screenings/{{wb_screening}}/responses",
        404,
        {"clinician": 201, ANONYMOUS: 401},
        {"instrument": "gad2", "answers": [0, 1]},
    ),
    endpoint(
        "POST",
        f"{WB}/screenings/{{wb_screening}}/fhir-responses",
        404,
        {"clinician": 201, ANONYMOUS: 401},
        WB_FHIR,
    ),
    endpoint(
        "POST",
        f"{WB}/responses/{{wb_response}}/corrections",
        403,
        {"clinician": 201},
        {"answers": [3, 3], "reason": "Ошибка ввода с бумажного бланка"},
    ),
    endpoint("GET", f"{WB}/responses/{{wb_response}}/fhir", 404, {**CARE, ANONYMOUS: 401}),
    endpoint("GET", f"{WB}/queue", 403, CARE),
    endpoint("POST", f"{WB}/alerts/{{wb_alert}}/acknowledge", 403, {"clinician": 204}),
    endpoint(
        "POST",
        f"{WB}/screenings/{{wb_screening}}/review",
        403,
        {"clinician": 201},
        {"outcome": "support", "plan": "Консультирование"},
    ),
    endpoint(
        "POST",
        f"{WB}/veterans/{{veteran}}/enrolments",
        403,
        {"clinician": 201},
        {"programme": "counselling", "starts_on": WB_TODAY},
    ),
    endpoint(
        "POST",
        f"{WB}/veterans/{{veteran}}/command-notices",
        403,
        {"clinician": 201},
        {
            "command_id": "{wb_command}",
            "standard": "harm_to_mission",
            "limitations": ["no_night_duty"],
            "until": WB_LATER,
            "support": "Без ночных смен",
        },
    ),
    endpoint("GET", f"{WB}/command-notices", 403, each(("commander",), 200)),
]


# Analytics: aggregates for the analyst (all regions), fund management (admin) and the
# regional branches (coordinators, held to their region); nobody else.
ANALYSTS = each(("admin", "coordinator", "other_coordinator", "analyst"), 200)
PAGES += [
    page("analytics:home", "/analytics/", 403, ANALYSTS),
    page("analytics:drill", "/analytics/drill/?region=77&group=8", 403, ANALYSTS),
    page("analytics:drill_outcomes", "/analytics/drill/outcomes/?key=77", 403, ANALYSTS),
    page("analytics:export", "/analytics/export/shortage.csv", 403, ANALYSTS),
]
API += [
    # Everyone signed in may ask which tables they may read (nobody else gets any).
    endpoint("GET", "/api/v1/analytics/tables", 200, {}),
    endpoint("GET", "/api/v1/analytics/tables/{name}", 403, ANALYSTS),
]


# The administrator's own pages (accounts app, /manage/): administrators only. {account} is
# `coordinator`'s account; the writes leave it as it was (same roles, already active).
PAGES += [
    page("accounts:manage", "/manage/", 403, {"admin": 200}),
    page("accounts:user_list", "/manage/users/?q=coordinator", 403, {"admin": 200}),
    page("accounts:user_new", "/manage/users/new/", 403, {"admin": 200}),
    page("accounts:user_detail", "/manage/users/{account}/", 403, {"admin": 200}),
    page(
        "accounts:user_roles",
        "/manage/users/{account}/roles/",
        403,
        {"admin": 302},
        "POST",
        {"r-roles": "coordinator"},
    ),
    page(
        "accounts:user_active",
        "/manage/users/{account}/active/",
        403,
        {"admin": 302},
        "POST",
        {"active": "1"},
    ),
    page(
        "accounts:user_reset_second_factor",
        "/manage/users/{account}/second-factor/",
        403,
        {"admin": 302},
        "POST",
    ),
    page("accounts:role_list", "/manage/roles/", 403, {"admin": 200}),
    page("accounts:organisation_list", "/manage/organisations/", 403, {"admin": 200}),
    page("accounts:organisation_new", "/manage/organisations/new/", 403, {"admin": 200}),
    page(
        "accounts:organisation_edit", "/manage/organisations/{organisation}/", 403, {"admin": 200}
    ),
]


@pytest.fixture
def world(coordinator, other_coordinator, moscow_branch, provider, employer):
    veteran = make_veteran(
        coordinator=coordinator,
        recorded_by=coordinator,
        consents=(
            Consent.Purpose.PERSONAL_DATA,
            Consent.Purpose.HEALTH_DATA,
            Consent.Purpose.SHARE_TRAINING,
            Consent.Purpose.SHARE_EMPLOYERS,
        ),
    )
    WorkLimitation.objects.create(
        veteran=veteran,
        disability_group="3",
        restrictions=["no_heavy_lifting"],
        recorded_by=coordinator,
    )
    values = {
        "service": PART_BODIES["service"]
        | {"start_date": date(2015, 1, 1), "end_date": date(2019, 1, 1)},
        **{kind: body for kind, body in PART_BODIES.items() if kind != "service"},
    }
    parts = {
        kind: services.save_part(actor=coordinator, veteran=veteran, kind=kind, values=body).pk
        for kind, body in values.items()
    }
    event = AuditEvent.objects.first()
    run = orientation.orient_one(veteran)
    training_world = _training_world(provider, coordinator, veteran)
    employment_world = _employment_world(employer, coordinator, veteran)
    cases_world = _cases_world(coordinator, veteran)
    plans.save_plan(actor=coordinator, veteran=veteran)
    return {
        "run": run.pk,
        **training_world,
        **employment_world,
        **cases_world,
        "occupation": Occupation.objects.filter(taxonomy__code="starter").first().pk,
        "taxonomy_skill": Skill.objects.filter(taxonomy__code="starter").first().pk,
        "veteran": veteran.pk,
        "organisation": moscow_branch.pk,
        "event": event.pk,
        "import_job": ImportJob.objects.create(started_by=coordinator, filename="v.csv").pk,
        "purpose": "share_training",
        **parts,
    }


def _training_world(provider, coordinator, veteran) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from waypoint.regions.models import Region
    from waypoint.training import services as training
    from waypoint.training.models import Provider

    college = Provider.objects.create(
        organisation=provider.organisation, kind="vocational_school", licence_number="Л035-77"
    )
    programme = training.save_programme(
        actor=provider,
        provider=college,
        values={
            "title": "Электромонтёр",
            "duration_weeks": 10,
            "format": "on_site",
            "region": Region.objects.get(code="77"),
            "payer": "fund",
        },
    )
    start = timezone.localdate() + timedelta(days=30)
    cohort = training.add_cohort(actor=provider, programme=programme, start_date=start, seats=5)
    cohort2 = training.add_cohort(actor=provider, programme=programme, start_date=start, seats=5)
    enrolment = training.enrol(actor=coordinator, veteran=veteran, cohort=cohort)
    return {
        "programme": programme.pk,
        "cohort": cohort.pk,
        "cohort2": cohort2.pk,
        "enrolment": enrolment.pk,
    }


def _cases_world(coordinator, veteran) -> dict:
    """The veteran's open case, with a task for their coordinator."""
    from waypoint.cases import services as cases
    from waypoint.cases.models import TaskType, Track

    case = cases.open_case(actor=coordinator, veteran=veteran)
    plan = TaskType.objects.get(code="plan")
    task = cases.add_task(
        actor=coordinator, case=case, task_type=plan, title="План", assignee=coordinator
    )
    return {
        "case": case.pk,
        "task": task.pk,
        "task_type": plan.pk,
        "track": Track.objects.get(code="rapid_employment").pk,
        "name": "shortage",  # an analytics table
    }


def _employment_world(staff, coordinator, veteran) -> dict:
    """A vacancy of the employer persona's company, the veteran proposed for it, and a second
    vacancy where the same veteran was hired a month ago."""
    from datetime import timedelta

    from django.utils import timezone

    from waypoint.employment import services as employment
    from waypoint.employment.models import Employer, Vacancy

    company = Employer.objects.create(
        legal_name="ПАО Сбербанк",
        inn="7707083893",
        region_id="77",
        organisation=staff.organisation,
    )
    vacancy, vacancy2, taken = (
        Vacancy.objects.create(
            source="test", source_id=str(n), employer=company, title=title, region_id="77"
        )
        for n, title in enumerate(["Водитель", "Кладовщик", "Охранник"])
    )
    application = employment.apply(actor=coordinator, veteran=veteran, vacancy=vacancy)
    hired = employment.apply(actor=coordinator, veteran=veteran, vacancy=taken)
    hired = employment.move(actor=staff, application=hired, to="offered")
    placement = employment.hire(
        actor=staff,
        application=hired,
        start_date=timezone.localdate() - timedelta(days=30),
        salary=60_000,
    )
    return {
        "vacancy": vacancy.pk,
        "vacancy2": vacancy2.pk,
        "application": application.pk,
        "placement": placement.pk,
        "follow_up": placement.follow_ups.get(months=3).pk,
    }


def _call(client, row: Row, world: dict):
    path = row.path.format(**world)
    body = {
        key: int(value.format(**world))
        if isinstance(value, str) and value.startswith("{")
        else value
        for key, value in (row.body or {}).items()
    }
    if row.method == "GET":
        return client.get(path)
    if row.method in ("POST",) and row.name.startswith(
        (
            "people:",
            "web:",
            "orientation:",
            "training:",
            "employment:",
            "cases:",
            "leadership:",
            "appeals:",
            "wellbeing:",
            "accounts:",
        )
    ):
        return client.post(path, body)
    return client.generic(row.method, path, json.dumps(body), content_type="application/json")


def row_world(request, row: Row, world: dict) -> dict:
    """The matrix world plus what the row's app needs (built only for the rows that use it)."""
    if "leadership" in row.path:
        world = {**world, **leadership_world(request)}
    if "{rec_" in row.path + json.dumps(row.body or {}):
        world = {**world, **records_world(request, world)}
    if "appeals" in row.path:
        world = {**world, **appeals_world(request, world["veteran"])}
    if "wellbeing" in row.path or "/command/" in row.path:
        world = {**world, **wellbeing_world(request, world["veteran"])}
    return world


def accounts_world(request) -> dict:
    """The administrator's pages need only an account and an organisation, not the records
    the other rows reach (building those for every persona would double the matrix's time)."""
    return {
        "account": request.getfixturevalue("coordinator").pk,
        "organisation": request.getfixturevalue("moscow_branch").pk,
    }


def token_client(user) -> Client:
    """How another agency's system calls the API: a bearer token, no session cookie, and the
    CSRF check as strict as in production."""
    token = issue_api_token(actor=None, user=user, name="permission matrix")
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize("persona", EVERYONE, indirect=True)
@pytest.mark.parametrize("row", PAGES + API, ids=lambda row: row.name)
def test_matrix(db, client, persona, row, request):
    """Pages with a signed-in session; API operations with the persona's bearer token (the
    session path through the API goes through the same gates: tests/api/test_auth.py)."""
    name = request.node.callspec.params["persona"]
    world = row_world(
        request,
        row,
        accounts_world(request)
        if row.name.startswith("accounts:")
        else request.getfixturevalue("world"),
    )
    if persona is not None and row in API:
        client = token_client(persona)
    elif persona is not None:
        client.force_login(persona)
    response = _call(client, row, world)
    assert response.status_code == row.status_for(name), response.content[:300]


def _page_names(resolvers, namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if inner not in {"admin", "api"}:
                yield from _page_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name != "set_language":
            yield f"{namespace}:{entry.name}"


def test_matrix_covers_every_route():
    assert set(_page_names(get_resolver().url_patterns)) == {row.name for row in PAGES}
    api.urls  # noqa: B018
    operations = {
        f"{method} /api/v1{prefix.rstrip('/')}{path}".replace("//", "/").rstrip("/")
        for prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        for method in operation.methods
    }

    def normalised(row: Row) -> str:
        path = row.path.split("?")[0]
        for kind in PART_BODIES:
            path = path.replace(f"{{{kind}}}", "{part_id}")
        replacements = {
            "{veteran}": "{veteran_id}",
            "{skill}": "{part_id}",
            "{organisation}": "{organisation_id}",
            "{event}": "{event_id}",
            "{occupation}": "{occupation_id}",
            "{taxonomy_skill}": "{skill_id}",
            "{run}": "{run_id}",
            "/plans/1": "/plans/{version}",
            "{programme}": "{programme_id}",
            "{cohort2}": "{cohort_id}",
            "{enrolment}": "{enrolment_id}",
            "{vacancy}": "{vacancy_id}",
            "{lead_track}": "{track_id}",
            "{lead_selection}": "{track_id}",
            "{lead_publish}": "{track_id}",
            "{lead_own}": "{candidacy_id}",
            "{lead_applied}": "{candidacy_id}",
            "{lead_tested}": "{candidacy_id}",
            "{lead_cohort}": "{candidacy_id}",
            "{lead_test}": "{test_id}",
            "{lead_meeting}": "{meeting_id}",
            "{appeal}": "{appeal_id}",
            "{appeal_answered}": "{appeal_id}",
            "{appeal_psych}": "{appeal_id}",
            "{vacancy2}": "{vacancy_id}",
            "{application}": "{application_id}",
            "{case}": "{case_id}",
            "{rec_note}": "{note_id}",
            "{rec_document}": "{document_id}",
            "{rec_referral}": "{referral_id}",
            "{task}": "{task_id}",
            "{placement}": "{placement_id}",
            "/follow-ups/3": "/follow-ups/{months}",
            "{wb_screening}": "{screening_id}",
            "{wb_response}": "{response_id}",
            "{wb_alert}": "{alert_id}",
            "/instruments/phq9": "/instruments/{instrument_id}",
        }
        for old, new in replacements.items():
            path = path.replace(old, new)
        return f"{row.method} {path}"

    assert operations == {normalised(row) for row in API}
    assert reverse("people:veteran_list") == "/veterans/"
