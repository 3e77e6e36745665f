"""Referrals of a case to another organisation, transfers of a case, caseload hand-over.

A referral shares the veteran's name and the referral's purpose with the receiving
organisation, so it rests on a consent that covers that sharing, checked when the referral is
made and recorded on it:

- an employer: "sharing the profile with employers" (the consent the job pipeline uses);
- a training provider: "sharing the profile with training providers" (as enrolment does);
- a fund branch, an employment centre or a clinic — agencies of the programme that work in
  the registry: "processing of personal data in the registry".

Defence units and call centres take no referrals. The receiver answers in the time the
"referral" task type gives (5 working days), from a task in its queue; an answer after the
deadline is still taken, and recorded as late, so that no veteran is left without one.
"""

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from waypoint.accounts.models import Organisation, User
from waypoint.audit.services import diff, record, snapshot
from waypoint.cases.access import (
    ANSWER,
    MANAGE,
    answers_referrals,
    handed_over_by,
    may_answer,
    may_manage,
    may_take_transfer,
    referrals_addressed_to,
    referrals_visible_to,
)
from waypoint.cases.models import Case, Referral, Task, TaskType
from waypoint.cases.services import OPEN_STATUSES, add_task, due_at, finish_task
from waypoint.people.models import Consent
from waypoint.regions.models import Region
from waypoint.shared.notifications import notify

P = Consent.Purpose
K = Organisation.Kind
CONSENT_FOR_RECEIVER = {
    K.EMPLOYER: P.SHARE_EMPLOYERS,
    K.TRAINING_PROVIDER: P.SHARE_TRAINING,
    K.FUND_BRANCH: P.PERSONAL_DATA,
    K.EMPLOYMENT_CENTRE: P.PERSONAL_DATA,
    K.CLINIC: P.PERSONAL_DATA,
}
PURPOSE_MAX_CHARS = REASON_MAX_CHARS = 1000

# --- referrals ------------------------------------------------------------------------------


def receivers(case: Case) -> QuerySet[Organisation]:
    """Organisations a case may be referred to."""
    return (
        Organisation.objects.filter(is_active=True, kind__in=list(CONSENT_FOR_RECEIVER))
        .exclude(pk=case.organisation_id)
        .select_related("region")
        .order_by("region_id", "name")
    )


def refer(*, actor: User, case: Case, receiver: Organisation | None, purpose: str) -> Referral:
    """Refer the case: check and record the veteran's consent, and put a task with its
    deadline in the receiving organisation's queue."""
    if not may_manage(actor, case):
        raise PermissionDenied(MANAGE)
    if case.closed_at is not None:
        raise ValidationError({"case": [_("the case is closed")]})
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": [_("say what the veteran is referred for")]})
    if len(purpose) > PURPOSE_MAX_CHARS:
        raise ValidationError(
            {"purpose": [_("at most %(n)s characters") % {"n": PURPOSE_MAX_CHARS}]}
        )
    if receiver is None or not receiver.is_active:
        raise ValidationError({"receiver": [_("choose an active organisation")]})
    if receiver.pk == case.organisation_id:
        raise ValidationError({"receiver": [_("the case is already with this organisation")]})
    consent_purpose = CONSENT_FOR_RECEIVER.get(receiver.kind)
    if consent_purpose is None:
        raise ValidationError(
            {
                "receiver": [
                    _(
                        "referrals go to a fund branch, an employment centre, a training "
                        "provider, an employer or a clinic"
                    )
                ]
            }
        )
    consent = case.veteran.consents.filter(purpose=consent_purpose, withdrawn_at=None).first()
    if consent is None:
        raise ValidationError(
            {
                "consent": [
                    _(
                        "the veteran has not given the consent this referral needs (%(purpose)s);"
                        " record it before referring"
                    )
                    % {"purpose": P(consent_purpose).label}
                ]
            }
        )
    task_type = TaskType.objects.filter(code="referral", is_active=True).first()
    if task_type is None:
        raise ValidationError({"type": [_("the referral task type is not configured")]})
    if Referral.objects.filter(case=case, receiver=receiver, status="pending").exists():
        raise ValidationError(
            {"receiver": [_("a referral to this organisation is already awaiting its answer")]}
        )
    with transaction.atomic():
        referral = Referral.objects.create(
            case=case,
            receiver=receiver,
            purpose=purpose,
            consent=consent,
            consent_purpose=consent_purpose,
            due_at=due_at(task_type, receiver.region.time_zone),
            created_by=actor,
        )
        task = add_task(
            actor=actor,
            task_type=task_type,
            title=_("Referral № %(number)s: accept or decline") % {"number": referral.pk},
            case=case,
            queue=receiver,
            concerns=referral,
        )
        referral.task, referral.due_at = task, task.due_at
        referral.save(update_fields=["task", "due_at"])
        record(
            actor=actor,
            action="cases.referral.create",
            subject=referral,
            changes={
                "receiver": [None, receiver.pk],
                "consent": [None, consent.pk],
                "consent_purpose": [None, consent_purpose],
                "due_at": [None, referral.due_at.isoformat()],
                "status": [None, referral.status],
            },
            veteran_id=case.veteran_id,
        )
        notify(
            _answerers(receiver),
            kind="referral",
            text=gettext_noop("A referral awaits your organisation's answer"),
            url=reverse("cases:referral", args=[referral.pk]),
            key=f"referral:{referral.pk}",
        )
    return referral


def answer(*, actor: User, referral: Referral, accept: bool, reason: str = "") -> Referral:
    """The receiving organisation accepts or declines (a reason is required to decline);
    either finishes the referral's task."""
    if not may_answer(actor, referral):
        raise PermissionDenied(ANSWER)
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": [_("give the reason for declining")]})
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError({"reason": [_("at most %(n)s characters") % {"n": REASON_MAX_CHARS}]})
    with transaction.atomic():
        current = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("case", "consent", "task")
            .get(pk=referral.pk)
        )
        if current.status != Referral.Status.PENDING:
            raise ValidationError(
                {
                    "status": [
                        _("the referral has already been answered: %(status)s")
                        % {"status": current.get_status_display()}
                    ]
                }
            )
        if accept and current.consent.withdrawn_at is not None:
            raise ValidationError(
                {
                    "consent": [
                        _(
                            "the veteran has withdrawn the consent this referral relied on; "
                            "it can only be declined"
                        )
                    ]
                }
            )
        before = current.status
        current.status = Referral.Status.ACCEPTED if accept else Referral.Status.DECLINED
        current.answered_at = timezone.now()
        current.answered_by = actor
        current.reason = reason
        current.save(update_fields=["status", "answered_at", "answered_by", "reason"])
        if current.task is not None and current.task.is_open:
            finish_task(actor=actor, task=current.task)
        record(
            actor=actor,
            action=f"cases.referral.{'accept' if accept else 'decline'}",
            subject=current,
            changes={
                "status": [before, current.status],
                "reason": [None, reason],
                "late": [None, current.is_late],
            },
            veteran_id=current.case.veteran_id,
        )
        coordinator = current.case.coordinator
        if coordinator is not None:
            notify(
                [coordinator],
                kind="referral_answer",
                text=(
                    gettext_noop("Your referral was accepted")
                    if accept
                    else gettext_noop("Your referral was declined")
                ),
                url=reverse("cases:referral", args=[current.pk]),
                key=f"referral-answer:{current.pk}",
            )
    return current


def _answerers(organisation: Organisation) -> list[User]:
    staff = User.objects.filter(organisation=organisation, is_active=True)
    return [user for user in staff if answers_referrals(user)]


def referrals_of(user: User, case: Case) -> QuerySet[Referral]:
    """The sending side's list: the case's referrals."""
    return (
        referrals_visible_to(user)
        .filter(case=case)
        .select_related("receiver", "created_by", "answered_by")
    )


def inbox(user: User, *, status: str = "") -> QuerySet[Referral]:
    """Referrals addressed to the person's organisation, and nothing else."""
    found = referrals_addressed_to(user).select_related(
        "case__veteran", "case__organisation", "created_by", "answered_by"
    )
    if status in Referral.Status.values:
        found = found.filter(status=status)
    return found.order_by("status", "due_at", "pk")


def referral_for(user: User, pk: int, *, audit: bool = False) -> Referral | None:
    """One referral through the read gate; with `audit`, the receiving organisation's
    reading of it is recorded (the page and the API alike)."""
    found = (
        referrals_visible_to(user)
        .select_related(
            "case__veteran", "case__organisation", "receiver", "created_by", "answered_by"
        )
        .filter(pk=pk)
        .first()
    )
    if found is not None and audit and may_answer(user, found):
        record(actor=user, action="cases.referral.view", subject=found)
    return found


# --- transfers ------------------------------------------------------------------------------


def transfer(
    *, actor: User, case: Case, coordinator: User | None, region: Region | None = None
) -> Case:
    """Hand the case to another coordinator, in the same region or another one. The case's
    organisation becomes the new coordinator's and its region theirs; the veteran's record
    follows (coordinator, and region and fund branch when those change), so the new
    coordinator can manage the case there — checked after the change, before it commits."""
    if not may_manage(actor, case):
        raise PermissionDenied(MANAGE)
    if case.closed_at is not None:
        raise ValidationError({"case": [_("the case is closed")]})
    if coordinator is None or not coordinator.is_active:
        raise ValidationError({"coordinator": [_("choose an active coordinator")]})
    if coordinator.organisation_id is None:
        raise ValidationError({"coordinator": [_("the coordinator belongs to no organisation")]})
    if not may_take_transfer(coordinator):
        raise ValidationError({"coordinator": [_("this person cannot manage cases")]})
    organisation = coordinator.organisation
    region = region or organisation.region
    if region.pk != organisation.region_id:
        raise ValidationError(
            {
                "region": [
                    _("the new coordinator works in %(theirs)s; choose a coordinator in %(region)s")
                    % {"theirs": organisation.region, "region": region}
                ]
            }
        )
    if coordinator.pk == case.coordinator_id and region.pk == case.region_id:
        raise ValidationError({"coordinator": [_("the case is already theirs")]})
    fields = ["coordinator", "organisation", "region"]
    veteran_fields = ["coordinator", "region", "branch"]
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",)).select_related("veteran").get(pk=case.pk)
        )
        before, veteran = snapshot(case, fields), case.veteran
        veteran_before = snapshot(veteran, veteran_fields)
        previous = case.coordinator_id
        case.coordinator, case.organisation, case.region = coordinator, organisation, region
        case.save(update_fields=fields)
        veteran.coordinator = coordinator
        if region.pk != veteran.region_id:
            veteran.region = region
        if organisation.kind == Organisation.Kind.FUND_BRANCH:
            veteran.branch = organisation
        veteran.save(update_fields=[*veteran_fields, "updated_at"])
        Task.objects.filter(case=case, assignee_id=previous, status__in=OPEN_STATUSES).update(
            assignee=coordinator
        )
        if not may_manage(coordinator, case):
            raise ValidationError(
                {"coordinator": [_("the new coordinator could not manage the case there")]}
            )
        record(
            actor=actor,
            action="cases.case.transfer",
            subject=case,
            changes=diff(before, snapshot(case, fields)),
        )
        veteran_changes = diff(veteran_before, snapshot(veteran, veteran_fields))
        if veteran_changes:
            record(
                actor=actor,
                action="people.veteran.update",
                subject=veteran,
                changes=veteran_changes,
            )
    return case


def case_managers() -> QuerySet[User]:
    """Active people who hold the permission to manage cases."""
    # A lazy query: forms build their choices from it when the module is imported.
    permission = Permission.objects.filter(content_type__app_label="cases", codename="manage_cases")
    holders = (
        Q(is_superuser=True)
        | Q(groups__permissions__in=permission)
        | Q(user_permissions__in=permission)
    )
    return (
        User.objects.filter(holders, is_active=True, organisation__isnull=False)
        .select_related("organisation__region")
        .distinct()
        .order_by("organisation__region_id", "last_name", "first_name", "pk")
    )


# --- caseload hand-over ----------------------------------------------------------------------


def leaving_coordinators(supervisor: User) -> QuerySet[User]:
    """Coordinators with open cases (active or not: people leave) whose caseload the
    supervisor may hand over."""
    found = handed_over_by(supervisor, User.objects.filter(cases__closed_at__isnull=True))
    return found.distinct().order_by("last_name", "first_name", "pk")


def successors(supervisor: User) -> QuerySet[User]:
    """Who may take a caseload over: people who manage cases, within the supervisor's reach."""
    return handed_over_by(supervisor, case_managers())


def caseload_size(source: User) -> tuple[int, int]:
    """What a hand-over would move: open cases and open tasks."""
    return (
        Case.objects.filter(coordinator=source, closed_at=None).count(),
        Task.objects.filter(assignee=source, status__in=OPEN_STATUSES).count(),
    )
