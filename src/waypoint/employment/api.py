"""/api/v1/vacancies, /applications, /placements: vacancies, candidates, hires and follow-ups."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Status
from ninja.pagination import paginate

from waypoint.accounts.access import requires, signed_in
from waypoint.employment import access, matching, selectors, services
from waypoint.employment.models import FollowUp
from waypoint.kit.api import Id, Schema
from waypoint.kit.numbers import MAX_INTEGER
from waypoint.people.access import veterans_visible_to
from waypoint.people.selectors import veteran_for
from waypoint.regions.models import Region
from waypoint.taxonomy.models import Occupation, Skill

router = Router(tags=["employment"])


class VacancyOut(Schema):
    id: int
    source: str
    source_id: str
    title: str
    employer_id: int
    employer: str
    employer_inn: str
    occupation_id: int | None
    skill_ids: list[int]
    region: str = Field(validation_alias="region_id")
    address: str
    salary_min: int | None
    salary_max: int | None
    openings: int
    veteran_quota: int
    schedule: str
    employment_type: str
    education: str
    experience_years: int | None
    accessible_for: list[str]
    is_civil_service: bool
    is_municipal: bool
    published_on: date | None
    closes_on: date | None

    @staticmethod
    def resolve_employer(vacancy) -> str:
        return vacancy.employer.legal_name

    @staticmethod
    def resolve_employer_inn(vacancy) -> str:
        return vacancy.employer.inn

    @staticmethod
    def resolve_skill_ids(vacancy) -> list[int]:
        return [skill.pk for skill in vacancy.skills.all()]


class VacancyIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    occupation_id: Id | None = None
    skill_ids: list[Id] = []
    region: str
    address: str = Field("", max_length=300)
    salary_min: int | None = Field(None, ge=0, le=MAX_INTEGER)
    salary_max: int | None = Field(None, ge=0, le=MAX_INTEGER)
    schedule: str = ""
    employment_type: str = ""
    openings: int = Field(1, ge=1, le=100_000)
    veteran_quota: int = Field(0, ge=0, le=MAX_INTEGER)
    education: str = Field("", max_length=100)
    experience_years: int | None = Field(None, ge=0, le=60)
    accessible_for: list[str] = []
    is_civil_service: bool = False
    is_municipal: bool = False
    published_on: date | None = None
    closes_on: date | None = None


class ApplicationIn(Schema):
    veteran_id: Id
    vacancy_id: Id


class ApplicationMoveIn(Schema):
    status: str
    note: str = ""


class HireIn(Schema):
    start_date: date
    salary: int = Field(ge=0, le=MAX_INTEGER)


class FollowUpIn(Schema):
    still_employed: bool
    same_employer: bool | None = None
    note: str = ""
    done_on: date | None = None


class ApplicationRow(Schema):
    id: int
    vacancy_id: int
    status: str
    updated_at: datetime
    veteran_id: int | None  # None for an employer once the veteran withdrew consent
    candidate_name: str | None


class ApplicationOut(Schema):
    id: int
    vacancy_id: int
    status: str
    note: str
    history: list
    updated_at: datetime
    veteran_id: int | None
    candidate: dict | None  # the hiring profile; None when the veteran withdrew consent


class MatchOut(Schema):
    vacancy_id: int
    veteran_id: int
    score: float
    terms: dict[str, float]
    matched: list[str]
    missing: list[str]
    location: str | None


class FollowUpOut(Schema):
    id: int
    months: int
    due_on: date
    done_on: date | None
    still_employed: bool | None
    same_employer: bool | None
    note: str


class PlacementOut(Schema):
    id: int
    application_id: int
    veteran_id: int
    employer_id: int
    start_date: date
    salary: int
    ended_on: date | None
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_follow_ups(placement) -> list:
        return list(placement.follow_ups.all())


@router.get("/vacancies", response=list[VacancyOut], summary="Open vacancies")
@signed_in
@paginate
def vacancy_list(request, q: str = "", region: str = "", occupation: Id | None = None):
    return selectors.vacancies(q=q, region=region, occupation=occupation).prefetch_related("skills")


@router.get("/vacancies/{vacancy_id}", response=VacancyOut, summary="One vacancy")
@signed_in
def vacancy_detail(request, vacancy_id: Id):
    return get_object_or_404(selectors.vacancies(), pk=vacancy_id)


def _vacancy_values(payload: VacancyIn) -> tuple[dict, list | None]:
    values = payload.dict()
    skill_ids = values.pop("skill_ids")
    occupation_id = values.pop("occupation_id")
    region = Region.objects.filter(code=values["region"]).first()
    if region is None:
        raise ValidationError({"region": ["no federal subject has this code"]})
    values["region"] = region
    if occupation_id is not None:
        occupation = Occupation.objects.filter(pk=occupation_id).first()
        if occupation is None:
            raise ValidationError({"occupation_id": ["no such occupation"]})
        values["occupation"] = occupation
    skills = list(Skill.objects.filter(pk__in=skill_ids))
    if len(skills) != len(set(skill_ids)):
        raise ValidationError({"skill_ids": ["no such skill"]})
    return values, skills


@router.post("/vacancies", response={201: VacancyOut}, summary="An employer publishes a vacancy")
@requires(access.OWN)
def vacancy_create(request, payload: VacancyIn):
    employer = access.employer_of(request.user)
    if employer is None:
        raise PermissionDenied("no employer profile for this organisation")
    values, skills = _vacancy_values(payload)
    vacancy = services.save_vacancy(
        actor=request.user, employer=employer, values=values, skills=skills
    )
    return Status(201, vacancy)


@router.put("/vacancies/{vacancy_id}", response=VacancyOut, summary="An employer edits a vacancy")
@requires(access.OWN)
def vacancy_update(request, vacancy_id: Id, payload: VacancyIn):
    employer = access.employer_of(request.user)
    vacancy = get_object_or_404(access.vacancies_editable_by(request.user), pk=vacancy_id)
    values, skills = _vacancy_values(payload)
    return services.save_vacancy(
        actor=request.user, employer=employer, values=values, vacancy=vacancy, skills=skills
    )


def _application_out(request, application) -> dict:
    candidate = selectors.candidate_read(request.user, application)
    return {
        "id": application.pk,
        "vacancy_id": application.vacancy_id,
        "status": application.status,
        "note": application.note,
        "history": application.history,
        "updated_at": application.updated_at,
        "veteran_id": application.veteran_id if candidate is not None else None,
        "candidate": candidate,
    }


@router.get(
    "/applications",
    response=list[ApplicationRow],
    summary="Applications you may see (employers: candidates for their vacancies)",
)
@signed_in
@paginate
def application_list(request, status: str = "", vacancy_id: Id | None = None):
    found = selectors.applications_for(request.user)
    if status:
        found = found.filter(status=status)
    if vacancy_id is not None:
        found = found.filter(vacancy_id=vacancy_id)
    return [
        {
            "id": application.pk,
            "vacancy_id": application.vacancy_id,
            "status": application.status,
            "updated_at": application.updated_at,
            "veteran_id": application.veteran_id if name is not None else None,
            "candidate_name": name,
        }
        for application in found
        for name in [access.candidate_name_for(request.user, application)]
    ]


@router.get("/applications/{application_id}", response=ApplicationOut, summary="One application")
@signed_in
def application_detail(request, application_id: Id):
    application = get_object_or_404(selectors.applications_for(request.user), pk=application_id)
    return _application_out(request, application)


@router.post(
    "/applications",
    response={201: ApplicationOut},
    summary="A veteran applies, or their coordinator proposes them (needs their consent)",
)
@signed_in
def application_create(request, payload: ApplicationIn):
    veteran = veterans_visible_to(request.user).filter(pk=payload.veteran_id).first()
    if veteran is None:
        raise ValidationError({"veteran_id": ["no veteran with this number in your scope"]})
    vacancy = access.vacancies_visible_to(request.user).filter(pk=payload.vacancy_id).first()
    if vacancy is None:
        raise ValidationError({"vacancy_id": ["no such vacancy"]})
    application = services.apply(actor=request.user, veteran=veteran, vacancy=vacancy)
    found = selectors.applications_for(request.user).get(pk=application.pk)
    return Status(201, _application_out(request, found))


@router.post(
    "/applications/{application_id}/move",
    response=ApplicationOut,
    summary="One step: interview, offer, rejection (employer); withdrawal (veteran's side)",
)
@signed_in
def application_move(request, application_id: Id, payload: ApplicationMoveIn):
    application = get_object_or_404(selectors.applications_for(request.user), pk=application_id)
    services.move(actor=request.user, application=application, to=payload.status, note=payload.note)
    return _application_out(
        request, selectors.applications_for(request.user).get(pk=application_id)
    )


@router.post(
    "/applications/{application_id}/hire",
    response={201: PlacementOut},
    summary="Record the hire: start date and salary; follow-ups at 3, 6, 12 months",
)
@signed_in
def application_hire(request, application_id: Id, payload: HireIn):
    application = get_object_or_404(selectors.applications_for(request.user), pk=application_id)
    placement = services.hire(actor=request.user, application=application, **payload.dict())
    return Status(201, placement)


@router.get("/placements", response=list[PlacementOut], summary="Placements of your veterans")
@signed_in
@paginate
def placement_list(request):
    return selectors.placements_for(request.user).prefetch_related("follow_ups")


@router.get("/placements/{placement_id}", response=PlacementOut, summary="One placement")
@signed_in
def placement_detail(request, placement_id: Id):
    placement = selectors.placement_for(request.user, placement_id)
    if placement is None:
        raise Http404("no such placement")
    return placement


@router.put(
    "/placements/{placement_id}/follow-ups/{months}",
    response=FollowUpOut,
    summary="Record a follow-up call: still employed, same employer",
)
@requires(access.MANAGE)
def follow_up_record(
    request,
    placement_id: Id,
    payload: FollowUpIn,
    months: int = Path(ge=min(FollowUp.MONTHS), le=max(FollowUp.MONTHS), description="3, 6 or 12"),
):
    placement = get_object_or_404(selectors.placements_for(request.user), pk=placement_id)
    follow_up = get_object_or_404(FollowUp, placement=placement, months=months)
    return services.record_follow_up(
        actor=request.user,
        follow_up=follow_up,
        still_employed=payload.still_employed,
        same_employer=payload.same_employer,
        note=payload.note,
        on=payload.done_on,
    )


@router.get(
    "/veterans/{veteran_id}/vacancies",
    response=list[MatchOut],
    summary="The vacancies that suit a veteran best, explained",
)
@signed_in
def veteran_vacancies(request, veteran_id: Id, k: int = Query(matching.TOP, ge=1, le=100)):
    veteran = veteran_for(request.user, veteran_id)
    if not access.may_see_matches(request.user, veteran):
        raise PermissionDenied(access.MANAGE)
    return matching.vacancies_for(veteran, k=k)


@router.get(
    "/vacancies/{vacancy_id}/candidates",
    response=list[MatchOut],
    summary="Consenting veterans who suit a vacancy best (coordinators: in their scope)",
)
@signed_in
def vacancy_candidates(request, vacancy_id: Id, k: int = Query(matching.TOP, ge=1, le=100)):
    vacancy = get_object_or_404(selectors.vacancies(), pk=vacancy_id)
    among = access.candidate_scope(request.user, vacancy)
    return matching.candidates_for(vacancy, k=k, among=among)
