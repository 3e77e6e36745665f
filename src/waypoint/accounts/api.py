from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from waypoint.accounts.access import organisations_visible_to, requires, signed_in
from waypoint.accounts.roles import role_label
from waypoint.kit.api import Id, Schema
from waypoint.regions.models import Region

router = Router(tags=["accounts"])


class RegionOut(Schema):
    code: str
    name_ru: str
    name_en: str
    federal_district: str


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    region_id: str
    is_active: bool


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    organisation: OrganisationOut | None
    scope: str
    roles: list[str]
    permissions: list[str]


@router.get("/me", response=MeOut, summary="Who am I, with my roles and permissions")
@signed_in
def me(request):
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.get_full_name(),
        "organisation": user.organisation,
        "scope": user.effective_scope,
        "roles": [role_label(group.name) for group in user.groups.all()],
        "permissions": sorted(user.get_all_permissions()),
    }


@router.get("/regions", response=list[RegionOut], summary="The 89 federal subjects and abroad")
@signed_in
def regions(request):
    return Region.objects.all()


@router.get("/organisations", response=list[OrganisationOut])
@requires("accounts.view_organisation")
@paginate
def organisations(request, kind: str = "", region: str = ""):
    found = organisations_visible_to(request.user)
    if kind:
        found = found.filter(kind=kind)
    if region:
        found = found.filter(region_id=region)
    return found


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
@requires("accounts.view_organisation")
def organisation(request, organisation_id: Id):
    return get_object_or_404(organisations_visible_to(request.user), pk=organisation_id)
