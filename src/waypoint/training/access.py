"""Who may see and do what in training. The only module that decides it: the pages, the API,
the home page's sections and the services ask here.

The catalogue is open to everyone who may see training; a provider's staff publish their own
organisation's programmes and cohorts and take the provider's steps of an enrolment (offer,
enrol, finish); the veteran's side (their coordinator's team, or the veteran on their own
record: people.access.may_act_for) puts them on a list, applies, accepts or withdraws.
"""

from django.db.models import QuerySet

from waypoint.accounts.models import Organisation
from waypoint.people.access import may_act_for, veterans_visible_to
from waypoint.training.models import Enrolment, Programme, Provider

VIEW = "training.view_programme"
MANAGE_OWN = "training.manage_own_programmes"
MANAGE_ANY = "training.change_programme"
ENROL = "training.manage_enrolments"
ALLOCATE = "training.allocate_seats"
S = Enrolment.Status
PROVIDER_STEPS = frozenset({S.OFFERED, S.ENROLLED, S.COMPLETED, S.DROPPED_OUT})


def programmes_visible_to(user) -> QuerySet[Programme]:
    """The catalogue: every programme is public to those who may see training."""
    if not user.is_authenticated or not user.has_perm(VIEW):
        return Programme.objects.none()
    return Programme.objects.all()


def enrolments_visible_to(user) -> QuerySet[Enrolment]:
    """Provider staff: their own cohorts'. Staff with registry access: their veterans'.
    A veteran: their own."""
    if (
        user.has_perm(MANAGE_OWN)
        and user.organisation_id
        and user.organisation.kind == Organisation.Kind.TRAINING_PROVIDER
    ):
        return Enrolment.objects.filter(
            cohort__programme__provider__organisation_id=user.organisation_id
        )
    return Enrolment.objects.filter(veteran__in=veterans_visible_to(user))


def provider_of(user) -> Provider | None:
    """The training provider a member of its staff works for."""
    if not user.has_perm(MANAGE_OWN) or not user.organisation_id:
        return None
    return Provider.objects.filter(organisation_id=user.organisation_id).first()


def is_provider_staff(user, provider: Provider) -> bool:
    return (
        user.has_perm(MANAGE_OWN)
        and user.organisation_id is not None
        and user.organisation_id == provider.organisation_id
    )


def may_manage_programmes_of(user, provider: Provider) -> bool:
    """Publish and change a provider's programmes and cohorts: its own staff, or whoever may
    change every programme."""
    return is_provider_staff(user, provider) or user.has_perm(MANAGE_ANY)


def may_enrol_veterans(user) -> bool:
    """Staff who put veterans of their scope on a cohort's list (the programme page's form)."""
    return user.has_perm(ENROL)


def may_enrol(user, veteran) -> bool:
    """The veteran's side of the pipeline: their coordinator's team, or the veteran."""
    return may_act_for(user, veteran, ENROL)


def may_move(user, enrolment: Enrolment, to: str) -> bool:
    """Offering, enrolling and finishing are the provider's steps; the rest the veteran's side."""
    if to in PROVIDER_STEPS:
        return is_provider_staff(user, enrolment.cohort.programme.provider)
    return may_enrol(user, enrolment.veteran)


def may_allocate_seats(user) -> bool:
    """Confirm an allocation round: offer its proposed seats on the providers' behalf."""
    return user.has_perm(ALLOCATE)


def works_for_a_provider(user) -> bool:
    """Staff of a training-provider organisation who run its programmes (whether or not its
    provider profile exists yet)."""
    return bool(
        user.has_perm(MANAGE_OWN)
        and user.organisation_id
        and user.organisation.kind == Organisation.Kind.TRAINING_PROVIDER
    )
