"""Writes for appeals: logging a hotline call (routed to an organisation's queue as a cases
task with its statutory deadline), taking, answering and closing it, the routing rules, and
the public status check. Every write is audited in its transaction."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import Organisation, User
from waypoint.appeals.access import (
    DELETE_RULES,
    may_change_routing,
    may_close,
    may_delete_rules,
    may_log,
    may_work_on,
)
from waypoint.appeals.models import (
    CLOSE,
    CONFIDENTIAL_TOPICS,
    LOG,
    ROUTING,
    WELLBEING_KIND,
    WORK,
    Appeal,
    RoutingRule,
    StatusCheckFailure,
    Topic,
)
from waypoint.audit.services import diff, record, snapshot
from waypoint.cases import services as cases
from waypoint.cases.models import Task, TaskType
from waypoint.kit.phone import normalize_phone
from waypoint.people.access import veterans_visible_to
from waypoint.people.models import Veteran
from waypoint.regions.models import Region

A = Appeal.Status
TASK_TYPES: dict[str, str] = {
    Appeal.Urgency.ORDINARY: "appeal",
    Appeal.Urgency.URGENT: "appeal_urgent",
}
REFERENCE = re.compile(r"^A-\d{4}-\d{6,}$")
# Public status checks that match nothing, per client address, before it must wait.
CHECK_LIMIT = 10
CHECK_WINDOW = timedelta(minutes=15)
TEXT_LIMIT = 5000


class TooManyChecks(Exception):
    """Too many status checks matched nothing from this address lately."""


@dataclass(frozen=True)
class Routing:
    organisation: Organisation
    route: str
    rule: RoutingRule | None = None


@dataclass(frozen=True)
class StatusAnswer:
    """All the public status check ever says: the same shape whether or not it matched."""

    found: bool
    status: str | None = None
    due_date: date | None = None


def route_for(
    *, topic: str, region: Region, veteran: Veteran | None = None, operator: User | None = None
) -> Routing:
    """Where an appeal goes, first match wins:

    1. the routing rule for the topic and the appeal's region;
    2. the topic's rule without a region (its fallback);
    3. psychological help: a well-being team (clinic) of the region, else of the operator's
       region — never a general queue; none at all is refused;
    4. anything else: the veteran's fund branch, else a fund branch of the region, else the
       operator's own organisation.

    Rules and organisations that are no longer active are passed over.
    """
    rules = RoutingRule.objects.filter(topic=topic, organisation__is_active=True).select_related(
        "organisation"
    )
    rule = rules.filter(region=region).first()
    if rule is not None:
        return Routing(rule.organisation, Appeal.Route.RULE, rule)
    rule = rules.filter(region__isnull=True).first()
    if rule is not None:
        return Routing(rule.organisation, Appeal.Route.TOPIC_FALLBACK, rule)
    active = Organisation.objects.filter(is_active=True).order_by("pk")
    if topic in CONFIDENTIAL_TOPICS:
        regions = [region.pk]
        if operator is not None and operator.organisation is not None:
            regions.append(operator.organisation.region_id)
        for code in regions:
            team = active.filter(kind=WELLBEING_KIND, region_id=code).first()
            if team is not None:
                return Routing(team, Appeal.Route.WELLBEING_TEAM)
        raise ValidationError(
            {
                "topic": [
                    _(
                        "no well-being team (a clinic) takes psychological help for this "
                        "region; ask an administrator to add a routing rule"
                    )
                ]
            }
        )
    branch = veteran.branch if veteran is not None else None
    if branch is None or not branch.is_active or branch.kind != Organisation.Kind.FUND_BRANCH:
        branch = active.filter(kind=Organisation.Kind.FUND_BRANCH, region=region).first()
    if branch is not None:
        return Routing(branch, Appeal.Route.FUND_BRANCH)
    if (
        operator is not None
        and operator.organisation is not None
        and operator.organisation.is_active
    ):
        return Routing(operator.organisation, Appeal.Route.OPERATOR)
    raise ValidationError(
        {"topic": [_("no organisation takes appeals on this topic; ask an administrator")]}
    )


def _phone(raw: str, field: str, errors: dict) -> str:
    try:
        return normalize_phone(raw)
    except ValueError as exc:
        errors[field] = [str(exc)]
        return ""


def _checked(
    *,
    actor: User,
    caller_kind: str,
    caller_name: str,
    caller_phone: str,
    veteran: Veteran | None,
    region: Region | None,
    topic: str,
    description: str,
    urgency: str,
    contact_channel: str,
    contact_value: str,
) -> dict:
    """The appeal's fields, cleaned, or a ValidationError naming every field at fault."""
    errors: dict[str, list[str]] = {}
    choices = {
        "caller_kind": (caller_kind, Appeal.Caller),
        "topic": (topic, Topic),
        "urgency": (urgency, Appeal.Urgency),
        "contact_channel": (contact_channel, Appeal.Channel),
    }
    for field, (value, kind) in choices.items():
        if value not in kind.values:
            errors[field] = [_("choose one of: %(values)s") % {"values": ", ".join(kind.values)}]
    if veteran is not None and not veterans_visible_to(actor).filter(pk=veteran.pk).exists():
        errors["veteran"] = [_("no veteran with this number in your scope")]
    description = description.strip()
    if not description:
        errors["description"] = [_("say what the caller asks for")]
    elif len(description) > TEXT_LIMIT:
        errors["description"] = [_("at most 5000 characters")]
    caller_name = caller_name.strip()
    by_veteran = caller_kind == Appeal.Caller.VETERAN
    if not by_veteran and not caller_name:
        errors["caller_name"] = [
            _("the caller's name is required when the caller is not the veteran")
        ]
    elif len(caller_name) > 200:
        errors["caller_name"] = [_("at most 200 characters")]
    if caller_phone.strip():
        caller_phone = _phone(caller_phone, "caller_phone", errors)
    elif by_veteran and veteran is not None:
        caller_phone = veteran.phone
    else:
        errors["caller_phone"] = [_("the caller's phone is required to check the status later")]
    contact_value = contact_value.strip()
    if contact_channel == Appeal.Channel.EMAIL:
        if not contact_value and by_veteran and veteran is not None:
            contact_value = veteran.email
        try:
            validate_email(contact_value)
        except ValidationError:
            errors["contact_value"] = [_("give an e-mail address to answer to")]
    elif contact_channel in Appeal.Channel.values:
        contact_value = (
            _phone(contact_value, "contact_value", errors) if contact_value else caller_phone
        )
    if veteran is not None:
        region = veteran.region
    elif region is None and actor.organisation is not None:
        region = actor.organisation.region
    if region is None:
        errors["region"] = [_("choose the region the appeal is about")]
    if errors:
        raise ValidationError(errors)
    return {
        "caller_kind": caller_kind,
        "caller_name": "" if by_veteran else caller_name,
        "caller_phone": caller_phone,
        "veteran": veteran,
        "region": region,
        "topic": topic,
        "description": description,
        "urgency": urgency,
        "contact_channel": contact_channel,
        "contact_value": contact_value,
    }


def _save_numbered(appeal: Appeal) -> None:
    """Give the appeal the next reference of this year (A-2026-000123). Two operators saving
    at once may pick the same number: the unique constraint refuses the second, who takes
    the next one."""
    year = timezone.localdate().year
    attempts = 5
    for attempt in range(attempts):
        last = Appeal.objects.filter(year=year).aggregate(last=Max("number"))["last"] or 0
        appeal.year, appeal.number = year, last + 1
        appeal.reference = f"A-{year}-{appeal.number:06d}"
        try:
            with transaction.atomic():
                appeal.save(force_insert=True)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
        else:
            return


def log_appeal(
    *,
    actor: User,
    caller_kind: str,
    topic: str,
    description: str,
    contact_channel: str,
    urgency: str = Appeal.Urgency.ORDINARY,
    veteran: Veteran | None = None,
    region: Region | None = None,
    caller_name: str = "",
    caller_phone: str = "",
    contact_value: str = "",
) -> Appeal:
    """Register a hotline call: an appeal with its reference, and a task in the queue it is
    routed to, due in 30 calendar days (urgent: 1 working day) where the queue is kept."""
    if not may_log(actor):
        raise PermissionDenied(LOG)
    values = _checked(
        actor=actor,
        caller_kind=caller_kind,
        caller_name=caller_name,
        caller_phone=caller_phone,
        veteran=veteran,
        region=region,
        topic=topic,
        description=description,
        urgency=urgency,
        contact_channel=contact_channel,
        contact_value=contact_value,
    )
    routing = route_for(topic=topic, region=values["region"], veteran=veteran, operator=actor)
    task_type = TaskType.objects.filter(code=TASK_TYPES[urgency], is_active=True).first()
    if task_type is None:
        raise ValidationError(
            {
                "urgency": [
                    _("the task type %(code)s is not configured") % {"code": TASK_TYPES[urgency]}
                ]
            }
        )
    queue = routing.organisation
    with transaction.atomic():
        appeal = Appeal(
            **values,
            organisation=queue,
            route=routing.route,
            due_at=cases.due_at(task_type, queue.region.time_zone),
            logged_by=actor,
        )
        _save_numbered(appeal)
        task = cases.add_task(
            actor=actor,
            task_type=task_type,
            title=_("Appeal %(reference)s") % {"reference": appeal.reference},
            queue=queue,
            concerns=appeal,
        )
        appeal.task, appeal.due_at = task, task.due_at
        appeal.save(update_fields=["task", "due_at"])
        # The topic and the words stay out of the log: the appeal itself holds them.
        record(
            actor=actor,
            action="appeals.appeal.log",
            subject=appeal,
            changes={
                "reference": [None, appeal.reference],
                "organisation": [None, queue.pk],
                "route": [None, routing.route],
                "urgency": [None, urgency],
                "due_at": [None, appeal.due_at.isoformat()],
            },
        )
    return appeal


def take(*, actor: User, appeal: Appeal) -> Appeal:
    """Someone of the queue takes the appeal: its task is in progress, assigned to them."""
    if not may_work_on(actor, appeal):
        raise PermissionDenied(WORK)
    with transaction.atomic():
        current = (
            Appeal.objects.select_for_update(of=("self",)).select_related("task").get(pk=appeal.pk)
        )
        if current.status != A.REGISTERED:
            raise ValidationError({"status": [_("only a registered appeal can be taken")]})
        if current.task is None:  # as may_work_on answers for an appeal without a task
            raise PermissionDenied(WORK)
        if current.task.is_open:
            cases.finish_task(actor=actor, task=current.task, status=Task.Status.IN_PROGRESS)
        current.status, current.taken_at, current.taken_by = A.IN_PROGRESS, timezone.now(), actor
        current.save(update_fields=["status", "taken_at", "taken_by"])
        record(
            actor=actor,
            action="appeals.appeal.take",
            subject=current,
            changes={"status": [A.REGISTERED, A.IN_PROGRESS]},
        )
    return current


def answer(*, actor: User, appeal: Appeal, outcome_kind: str, outcome: str) -> Appeal:
    """The queue's answer to the caller: it finishes the task."""
    if not may_work_on(actor, appeal):
        raise PermissionDenied(WORK)
    errors = {}
    if outcome_kind not in Appeal.Outcome.values:
        errors["outcome_kind"] = [
            _("choose one of: %(values)s") % {"values": ", ".join(Appeal.Outcome.values)}
        ]
    outcome = outcome.strip()
    if not outcome:
        errors["outcome"] = [_("write the answer given to the caller")]
    elif len(outcome) > TEXT_LIMIT:
        errors["outcome"] = [_("at most 5000 characters")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = (
            Appeal.objects.select_for_update(of=("self",)).select_related("task").get(pk=appeal.pk)
        )
        if not current.is_open:
            raise ValidationError({"status": [_("the appeal is already answered")]})
        if current.task is None:  # as may_work_on answers for an appeal without a task
            raise PermissionDenied(WORK)
        if current.task.is_open:
            cases.finish_task(actor=actor, task=current.task, status=Task.Status.DONE)
        before, now = current.status, timezone.now()
        if current.taken_at is None:
            current.taken_at, current.taken_by = now, actor
        current.status, current.answered_at, current.answered_by = A.ANSWERED, now, actor
        current.outcome_kind, current.outcome = outcome_kind, outcome
        current.save(
            update_fields=[
                "status",
                "taken_at",
                "taken_by",
                "answered_at",
                "answered_by",
                "outcome_kind",
                "outcome",
            ]
        )
        record(
            actor=actor,
            action="appeals.appeal.answer",
            subject=current,
            changes={
                "status": [before, A.ANSWERED],
                "outcome_kind": [None, outcome_kind],
                "in_time": [None, now <= current.due_at],
            },
        )
    return current


def close(*, actor: User, appeal: Appeal) -> Appeal:
    """The coordinator closes an answered appeal (the answer reached the caller)."""
    if not may_close(actor, appeal):
        raise PermissionDenied(CLOSE)
    with transaction.atomic():
        current = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if current.status != A.ANSWERED:
            raise ValidationError({"status": [_("only an answered appeal can be closed")]})
        current.status, current.closed_at, current.closed_by = A.CLOSED, timezone.now(), actor
        current.save(update_fields=["status", "closed_at", "closed_by"])
        record(
            actor=actor,
            action="appeals.appeal.close",
            subject=current,
            changes={"status": [A.ANSWERED, A.CLOSED]},
        )
    return current


RULE_FIELDS = ["topic", "region", "organisation"]


def save_rule(
    *, actor: User, topic: str, organisation: Organisation, region: Region | None = None
) -> RoutingRule:
    """Set where appeals on a topic from a region (or, without one, from anywhere else) go;
    an existing rule for the same topic and region is changed."""
    if not may_change_routing(actor):
        raise PermissionDenied(ROUTING)
    rule = RoutingRule.objects.filter(topic=topic, region=region).first() or RoutingRule(
        topic=topic, region=region
    )
    before = snapshot(rule, RULE_FIELDS) if rule.pk else {}
    rule.organisation = organisation
    if not organisation.is_active:
        raise ValidationError({"organisation": [_("this organisation is no longer active")]})
    rule.full_clean()
    with transaction.atomic():
        rule.save()
        record(
            actor=actor,
            action="appeals.rule.save",
            subject=rule,
            changes=diff(before, snapshot(rule, RULE_FIELDS)),
        )
    return rule


def delete_rule(*, actor: User, rule: RoutingRule) -> None:
    if not may_delete_rules(actor):
        raise PermissionDenied(DELETE_RULES)
    with transaction.atomic():
        record(
            actor=actor,
            action="appeals.rule.delete",
            subject=rule,
            changes=diff(snapshot(rule, RULE_FIELDS), {}),
        )
        rule.delete()


def check_status(*, reference: str, phone: str, client_address: str | None) -> StatusAnswer:
    """The caller's own check, without signing in: the status and the date due of the appeal
    with this reference and this caller's phone, and nothing else. A wrong reference and a
    wrong phone give the same answer; too many of either from one address in
    CHECK_WINDOW and it must wait (TooManyChecks)."""
    errors: dict[str, list[str]] = {}
    reference = reference.strip().upper()
    if not REFERENCE.match(reference):
        errors["reference"] = [_("a reference looks like A-2026-000123")]
    phone = _phone(phone, "phone", errors)
    if errors:
        raise ValidationError(errors)
    since = timezone.now() - CHECK_WINDOW
    recent = StatusCheckFailure.objects.filter(client_address=client_address, at__gte=since)
    if recent.count() >= CHECK_LIMIT:
        raise TooManyChecks
    appeal = (
        Appeal.objects.select_related("organisation__region")
        .filter(reference=reference, caller_phone=phone)
        .first()
    )
    with transaction.atomic():
        if appeal is None:
            StatusCheckFailure.objects.filter(at__lt=since).delete()
            StatusCheckFailure.objects.create(client_address=client_address, at=timezone.now())
            return StatusAnswer(found=False)
        record(actor=None, action="appeals.appeal.status_check", subject=appeal)
    zone = ZoneInfo(appeal.organisation.region.time_zone)
    return StatusAnswer(
        found=True, status=appeal.status, due_date=timezone.localtime(appeal.due_at, zone).date()
    )
