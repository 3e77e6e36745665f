"""/api/v1/veterans: the registry over HTTP, with the same gates as the pages."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from waypoint.accounts.access import requires, signed_in
from waypoint.accounts.models import User
from waypoint.kit.api import Id, Message
from waypoint.kit.numbers import whole_number
from waypoint.people import access, coding, consents, registration, selectors, services
from waypoint.people.models import Consent, Veteran
from waypoint.people.schemas import (
    PART_SCHEMAS,
    ConsentIn,
    ConsentOut,
    CoordinatorIn,
    DuplicateConflict,
    DuplicatesOut,
    OccupationChoice,
    PreferencesIn,
    PreferencesOut,
    VeteranCreate,
    VeteranDetail,
    VeteranItem,
    VeteranPatch,
    WorkLimitationIn,
    WorkLimitationOut,
)
from waypoint.taxonomy.models import Occupation

router = Router(tags=["veterans"])


def _detail(user, veteran: Veteran) -> dict:
    preferences = getattr(veteran, "preferences", None)
    return {
        **{
            field: getattr(veteran, field)
            for field in VeteranItem.model_fields
            if field != "region"
        },
        "region_id": veteran.region_id,
        "address": veteran.address,
        "driving_licences": veteran.driving_licences,
        "branch_id": veteran.branch_id,
        "intake_channel": veteran.intake_channel,
        "service_records": list(veteran.service_records.all()),
        "education": list(veteran.education.all()),
        "civilian_jobs": list(veteran.civilian_jobs.all()),
        "skills": list(veteran.skills.all()),
        "languages": list(veteran.languages.all()),
        "preferences": _preferences(preferences) if preferences else None,
        "consents": list(veteran.consents.filter(withdrawn_at=None)),
        "work_limitation": access.work_limitation_for(user, veteran),
    }


def _preferences(preferences) -> dict:
    return {
        "regions": sorted(preferences.regions.values_list("code", flat=True)),
        **{name: getattr(preferences, name) for name in services.PREFERENCE_FIELDS},
    }


def _visible(request, veteran_id: int, *, audit: bool = False) -> Veteran:
    return selectors.veteran_for(request.user, veteran_id, audit=audit)


@router.get("", response=list[VeteranItem], summary="Veterans within the caller's scope")
@signed_in
@paginate
def list_veterans(
    request,
    q: str = "",
    region: str = "",
    status: str = "",
    coordinator: str = "",
    ordering: str = "name",
):
    if ordering not in selectors.ORDERINGS:
        raise ValidationError(
            {"ordering": ["unknown ordering; use one of " + ", ".join(selectors.ORDERINGS)]}
        )
    coordinator_id = request.user.pk if coordinator == "me" else whole_number(coordinator)
    if coordinator and coordinator_id is None:
        raise ValidationError({"coordinator": ["a user id or 'me'"]})
    return selectors.veterans_for(
        request.user,
        q=q,
        region=region,
        status=status,
        coordinator=coordinator_id,
        ordering=ordering,
    )


@router.post(
    "", response={201: VeteranDetail, 409: DuplicateConflict}, summary="Register a veteran (intake)"
)
@requires("people.add_veteran")
def create_veteran(request, payload: VeteranCreate):
    data = payload.dict()
    given = [registration.ConsentGiven(c["purpose"], c["channel"]) for c in data.pop("consents")]
    confirm = data.pop("confirm_not_duplicate")
    try:
        veteran = registration.intake(
            actor=request.user,
            registration=registration.Registration(**data, consents=given),
            confirm_not_duplicate=confirm,
        )
    except registration.DuplicateSuspected as exc:
        return Status(
            409,
            {
                "detail": exc.messages[0],
                "duplicates": sorted(veteran.pk for veteran in exc.check.visible),
                "hidden_duplicates": exc.check.hidden,
            },
        )
    return Status(201, _detail(request.user, veteran))


@router.get(
    "/duplicates",
    response={200: DuplicatesOut, 429: Message},
    summary="Would this person be a duplicate? (ids only of records you may see; audited, "
    "limited per hour)",
)
@requires("people.add_veteran")
def duplicates(
    request, last_name: str = "", first_name: str = "", birth_date: str = "", phone: str = ""
):
    try:
        born = date.fromisoformat(birth_date) if birth_date else None
    except ValueError:
        raise ValidationError({"birth_date": ["a date as YYYY-MM-DD"]}) from None
    try:
        check = registration.check_duplicates(
            actor=request.user,
            last_name=last_name,
            first_name=first_name,
            birth_date=born,
            phone=phone,
            limit=20,
        )
    except registration.TooManyDuplicateChecks as exc:
        return Status(429, {"detail": exc.messages[0]})
    return {"visible": sorted(veteran.pk for veteran in check.visible), "hidden": check.hidden}


@router.get("/{veteran_id}", response=VeteranDetail, summary="One veteran's record (audited)")
@signed_in
def get_veteran(request, veteran_id: Id):
    veteran = _visible(request, veteran_id, audit=True)
    return _detail(request.user, veteran)


@router.patch("/{veteran_id}", response=VeteranDetail)
@signed_in
def update_veteran(request, veteran_id: Id, payload: VeteranPatch):
    veteran = _visible(request, veteran_id)
    changes = payload.dict(exclude_unset=True)
    services.update_veteran(actor=request.user, veteran=veteran, changes=changes)
    return _detail(request.user, Veteran.objects.get(pk=veteran.pk))


@router.post("/{veteran_id}/coordinator", response=VeteranDetail)
@requires("people.assign_coordinator")
def set_coordinator(request, veteran_id: Id, payload: CoordinatorIn):
    veteran = _visible(request, veteran_id)
    coordinator = None
    if payload.coordinator_id is not None:
        coordinator = User.objects.filter(pk=payload.coordinator_id, is_active=True).first()
        if coordinator is None:
            raise ValidationError({"coordinator_id": ["no such active user"]})
    services.assign_coordinator(actor=request.user, veteran=veteran, coordinator=coordinator)
    return _detail(request.user, veteran)


def _mount_part_routes(kind: str) -> None:
    """List, add, change and delete one kind of section, with its own typed schemas."""
    schema_in, schema_patch, schema_out = PART_SCHEMAS[kind]
    model = services.PARTS[kind]

    @router.get(
        f"/{{veteran_id}}/{kind}",
        response=list[schema_out],
        operation_id=f"list_{kind}",
        summary=f"List {kind} entries",
    )
    @signed_in
    def list_parts(request, veteran_id: Id):
        veteran = _visible(request, veteran_id)
        return list(model.objects.filter(veteran=veteran))

    @router.post(
        f"/{{veteran_id}}/{kind}",
        response={201: schema_out},
        operation_id=f"add_{kind}",
        summary=f"Add a {kind} entry",
    )
    @signed_in
    def add_part(request, veteran_id: Id, payload: schema_in):  # type: ignore[valid-type]
        veteran = _visible(request, veteran_id)
        part = services.save_part(
            actor=request.user, veteran=veteran, kind=kind, values=payload.dict()
        )
        return Status(201, part)

    @router.patch(
        f"/{{veteran_id}}/{kind}/{{part_id}}",
        response=schema_out,
        operation_id=f"change_{kind}",
        summary=f"Change a {kind} entry",
    )
    @signed_in
    def change_part(request, veteran_id: Id, part_id: Id, payload: schema_patch):  # type: ignore[valid-type]
        veteran = _visible(request, veteran_id)
        return services.save_part(
            actor=request.user,
            veteran=veteran,
            kind=kind,
            values=payload.dict(exclude_unset=True),
            pk=part_id,
        )

    @router.delete(
        f"/{{veteran_id}}/{kind}/{{part_id}}",
        response={204: None},
        operation_id=f"delete_{kind}",
        summary=f"Delete a {kind} entry",
    )
    @signed_in
    def delete_part(request, veteran_id: Id, part_id: Id):
        veteran = _visible(request, veteran_id)
        services.remove_part(actor=request.user, veteran=veteran, kind=kind, pk=part_id)
        return Status(204, None)


for _kind in PART_SCHEMAS:
    _mount_part_routes(_kind)


def _mount_occupation_route(kind: str) -> None:
    @router.put(
        f"/{{veteran_id}}/{kind}/{{part_id}}/occupation",
        response=PART_SCHEMAS[kind][2],
        operation_id=f"set_{kind}_occupation",
        summary=f"Set the occupation a {kind} entry stands for (a coordinator's correction)",
    )
    @requires("people.change_veteran")
    def set_occupation(request, veteran_id: Id, part_id: Id, payload: OccupationChoice):
        veteran = _visible(request, veteran_id)
        occupation = None
        if payload.occupation_id is not None:
            occupation = Occupation.objects.filter(pk=payload.occupation_id).first()
            if occupation is None:
                raise ValidationError({"occupation_id": ["no such occupation"]})
        return coding.set_occupation(
            actor=request.user, veteran=veteran, kind=kind, pk=part_id, occupation=occupation
        )


for _kind in coding.CODED_KINDS:
    _mount_occupation_route(_kind)


@router.post(
    "/{veteran_id}/skill/{part_id}/confirm",
    response=PART_SCHEMAS["skill"][2],
    summary="A counsellor confirms a declared skill",
)
@requires("people.change_veteran")
def confirm_skill(request, veteran_id: Id, part_id: Id):
    veteran = _visible(request, veteran_id)
    return services.confirm_skill(actor=request.user, veteran=veteran, pk=part_id)


@router.get(
    "/{veteran_id}/work-limitation",
    response=WorkLimitationOut,
    summary="Health-related work limitations (only for those who may see them)",
)
@signed_in
def get_work_limitation(request, veteran_id: Id):
    limitation = access.work_limitation_for(request.user, _visible(request, veteran_id))
    if limitation is None:
        raise Http404("no work limitation")
    return limitation


@router.put("/{veteran_id}/work-limitation", response=WorkLimitationOut)
@signed_in
def put_work_limitation(request, veteran_id: Id, payload: WorkLimitationIn):
    veteran = _visible(request, veteran_id)
    if not access.may_see_limitations(request.user, veteran):
        raise Http404("no such veteran")
    return services.set_work_limitation(actor=request.user, veteran=veteran, values=payload.dict())


@router.put("/{veteran_id}/preferences", response=PreferencesOut)
@signed_in
def put_preferences(request, veteran_id: Id, payload: PreferencesIn):
    veteran = _visible(request, veteran_id)
    values = payload.dict()
    regions = values.pop("regions")
    preferences = services.set_preferences(
        actor=request.user, veteran=veteran, values=values, regions=regions
    )
    return _preferences(preferences)


@router.get(
    "/{veteran_id}/consents",
    response=list[ConsentOut],
    summary="Every consent, given and withdrawn",
)
@signed_in
def list_consents(request, veteran_id: Id):
    return list(_visible(request, veteran_id).consents.all())


@router.post("/{veteran_id}/consents", response={201: ConsentOut})
@signed_in
def give_consent(request, veteran_id: Id, payload: ConsentIn):
    veteran = _visible(request, veteran_id)
    consent = services.give_consent(
        actor=request.user,
        veteran=veteran,
        purpose=payload.purpose,
        channel=payload.channel,
        text_version=payload.text_version or consents.CURRENT_VERSION,
    )
    return Status(201, consent)


@router.post("/{veteran_id}/consents/{purpose}/withdraw", response=ConsentOut)
@signed_in
def withdraw_consent(request, veteran_id: Id, purpose: str):
    veteran = _visible(request, veteran_id)
    if purpose not in Consent.Purpose.values:
        raise ValidationError(
            {"purpose": ["unknown purpose; use one of " + ", ".join(Consent.Purpose.values)]}
        )
    return services.withdraw_consent(actor=request.user, veteran=veteran, purpose=purpose)
