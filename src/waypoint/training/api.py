"""/api/v1/training: the catalogue, cohorts with seats left, and the enrolment pipeline."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Status
from ninja.pagination import paginate

from waypoint.accounts.access import requires, signed_in
from waypoint.kit.api import Id, Schema
from waypoint.kit.numbers import MAX_INTEGER
from waypoint.people.access import veterans_visible_to
from waypoint.regions.models import Region
from waypoint.training import access, selectors, services
from waypoint.training.models import Cohort

router = Router(tags=["training"])
VIEW = access.VIEW


class ProgrammeIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    duration_weeks: int = Field(ge=1, le=520)
    format: str
    location: str = ""
    region: str
    cost: int = Field(0, ge=0, le=MAX_INTEGER)
    payer: str
    language: str = "ru"
    min_education: int | None = Field(None, ge=0, le=8)
    unsuitable_for: list[str] = []
    is_active: bool = True


class ProgrammeOut(Schema):
    id: int
    provider_id: int
    provider: str
    title: str
    description: str
    duration_weeks: int
    format: str
    location: str
    region: str = Field(validation_alias="region_id")
    cost: int
    payer: str
    language: str
    min_education: int | None
    unsuitable_for: list[str]
    is_active: bool

    @staticmethod
    def resolve_provider(programme) -> str:
        return str(programme.provider)


class CohortIn(Schema):
    start_date: date
    seats: int = Field(ge=1, le=10_000)


class CohortOut(Schema):
    id: int
    programme_id: int
    start_date: date
    seats: int
    seats_left: int


class EnrolmentIn(Schema):
    veteran_id: Id
    cohort_id: Id
    status: str = "recommended"


class EnrolmentMoveIn(Schema):
    status: str


class EnrolmentOut(Schema):
    id: int
    veteran_id: int
    veteran_name: str
    cohort_id: int
    status: str
    history: list
    updated_at: datetime

    @staticmethod
    def resolve_veteran_name(enrolment) -> str:
        return enrolment.veteran.full_name


def _cohort_out(cohort: Cohort) -> dict:
    """A cohort annotated by selectors.with_seats_taken."""
    return {
        "id": cohort.pk,
        "programme_id": cohort.programme_id,
        "start_date": cohort.start_date,
        "seats": cohort.seats,
        "seats_left": cohort.seats - cohort.taken,
    }


@router.get("/programmes", response=list[ProgrammeOut], summary="The training catalogue")
@requires(VIEW)
@paginate
def programme_list(request, q: str = "", region: str = ""):
    return selectors.programmes(request.user, q=q, region=region)


@router.get("/programmes/{programme_id}", response=ProgrammeOut, summary="One programme")
@requires(VIEW)
def programme_detail(request, programme_id: Id):
    return get_object_or_404(selectors.programmes(request.user), pk=programme_id)


@router.post(
    "/programmes", response={201: ProgrammeOut}, summary="A provider publishes a programme"
)
@requires("training.manage_own_programmes")
def programme_create(request, payload: ProgrammeIn):
    provider = selectors.provider_of(request.user)
    if provider is None:
        raise PermissionDenied("no training provider profile for this organisation")
    values = payload.dict()
    region = Region.objects.filter(code=values["region"]).first()
    if region is None:
        raise ValidationError({"region": ["no federal subject has this code"]})
    values["region"] = region
    return Status(
        201, services.save_programme(actor=request.user, provider=provider, values=values)
    )


@router.get(
    "/programmes/{programme_id}/cohorts",
    response=list[CohortOut],
    summary="A programme's cohorts with seats left",
)
@requires(VIEW)
def cohort_list(request, programme_id: Id):
    programme = get_object_or_404(selectors.programmes(request.user), pk=programme_id)
    return [_cohort_out(cohort) for cohort in selectors.cohorts_with_seats(programme)]


@router.post(
    "/programmes/{programme_id}/cohorts",
    response={201: CohortOut},
    summary="A provider adds a cohort",
)
@requires("training.manage_own_programmes")
def cohort_create(request, programme_id: Id, payload: CohortIn):
    programme = get_object_or_404(selectors.programmes(request.user), pk=programme_id)
    if not access.is_provider_staff(request.user, programme.provider):
        raise PermissionDenied("not your programme")
    cohort = services.add_cohort(actor=request.user, programme=programme, **payload.dict())
    return Status(201, _cohort_out(selectors.with_seats_taken(Cohort.objects).get(pk=cohort.pk)))


@router.get("/enrolments", response=list[EnrolmentOut], summary="Enrolments you may see")
@requires(VIEW)
@paginate
def enrolment_list(request):
    return selectors.enrolments_for(request.user)


@router.post(
    "/enrolments", response={201: EnrolmentOut}, summary="Put a veteran on a cohort's list"
)
@signed_in
def enrolment_create(request, payload: EnrolmentIn):
    veteran = veterans_visible_to(request.user).filter(pk=payload.veteran_id).first()
    if veteran is None:
        raise ValidationError({"veteran_id": ["no veteran with this number in your scope"]})
    cohort = Cohort.objects.select_related("programme").filter(pk=payload.cohort_id).first()
    if cohort is None:
        raise ValidationError({"cohort_id": ["no such cohort"]})
    enrolment = services.enrol(
        actor=request.user, veteran=veteran, cohort=cohort, status=payload.status
    )
    return Status(201, enrolment)


@router.post(
    "/enrolments/{enrolment_id}/move",
    response=EnrolmentOut,
    summary="One step along the pipeline (a seat is taken at acceptance, never overbooked)",
)
@signed_in
def enrolment_move(request, enrolment_id: Id, payload: EnrolmentMoveIn):
    enrolment = get_object_or_404(selectors.enrolments_for(request.user), pk=enrolment_id)
    return services.move(actor=request.user, enrolment=enrolment, to=payload.status)
