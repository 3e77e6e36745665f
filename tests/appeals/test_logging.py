"""Logging an appeal: every routing path, the reference, the task and its deadline."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.utils import timezone

from tests.conftest import make_organisation, make_veteran
from waypoint.accounts.models import Organisation
from waypoint.appeals import services
from waypoint.appeals.models import Appeal, RoutingRule
from waypoint.audit.models import AuditEvent
from waypoint.cases.models import Task
from waypoint.cases.services import production_calendar
from waypoint.regions.models import Region

MOSCOW = ZoneInfo("Europe/Moscow")


def log(operator, **overrides) -> Appeal:
    values = {
        "caller_kind": "veteran",
        "topic": "employment",
        "description": "Ищет работу водителем, просит перезвонить.",
        "contact_channel": "phone",
    }
    values.update(overrides)
    return services.log_appeal(actor=operator, **values)


def test_a_rule_for_the_topic_and_region_wins(operator, moscow_veteran, moscow_branch):
    centre = make_organisation(name="Центр занятости", kind=Organisation.Kind.EMPLOYMENT_CENTRE)
    RoutingRule.objects.create(topic="employment", region_id="77", organisation=centre)
    RoutingRule.objects.create(topic="employment", region=None, organisation=moscow_branch)
    appeal = log(operator, veteran=moscow_veteran)
    assert (appeal.organisation, appeal.route) == (centre, Appeal.Route.RULE)
    assert appeal.task.queue == centre


def test_the_topics_rule_without_region_is_the_fallback(operator, sverdlovsk_veteran):
    lawyers = make_organisation(name="Юридическая служба фонда")
    RoutingRule.objects.create(topic="legal", region_id="77", organisation=lawyers)
    RoutingRule.objects.create(topic="legal", region=None, organisation=lawyers)
    appeal = log(operator, veteran=sverdlovsk_veteran, topic="legal")
    assert (appeal.organisation, appeal.route) == (lawyers, Appeal.Route.TOPIC_FALLBACK)
    assert appeal.region_id == "66"


def test_without_rules_the_veterans_region_fund_branch(
    operator, moscow_veteran, sverdlovsk_veteran, moscow_branch, sverdlovsk_branch
):
    assert log(operator, veteran=moscow_veteran).organisation == moscow_branch
    appeal = log(operator, veteran=sverdlovsk_veteran, topic="payments")
    assert (appeal.organisation, appeal.route) == (sverdlovsk_branch, Appeal.Route.FUND_BRANCH)


def test_the_veterans_own_branch_comes_before_the_regions_first(operator, moscow_branch):
    second = make_organisation(name="Второй филиал", region_id="77")
    veteran = make_veteran(branch=second)
    assert log(operator, veteran=veteran).organisation == second


def test_inactive_rules_and_branches_are_passed_over(operator, moscow_veteran, moscow_branch):
    closed = make_organisation(name="Закрытый филиал", is_active=False)
    RoutingRule.objects.create(topic="employment", region_id="77", organisation=closed)
    assert log(operator, veteran=moscow_veteran).organisation == moscow_branch


def test_with_no_branch_in_the_region_the_operators_organisation(operator):
    appeal = log(
        operator,
        caller_kind="family",
        caller_name="Петрова Анна",
        caller_phone="8 (905) 111-22-33",
        region=Region.objects.get(code="50"),
    )
    assert (appeal.organisation, appeal.route) == (operator.organisation, Appeal.Route.OPERATOR)
    assert appeal.veteran is None
    assert appeal.caller_phone == "+79051112233"
    assert appeal.contact_value == "+79051112233"


def test_without_a_veteran_the_region_defaults_to_the_operators(operator, moscow_branch):
    appeal = log(operator, caller_kind="other", caller_name="Сосед", caller_phone="+79031234567")
    assert appeal.region_id == "77"
    assert appeal.organisation == moscow_branch


def test_psychological_help_goes_to_a_clinic_never_a_general_queue(
    operator, moscow_veteran, moscow_branch, clinician
):
    appeal = log(operator, veteran=moscow_veteran, topic="psychological")
    assert (appeal.organisation, appeal.route) == (
        clinician.organisation,
        Appeal.Route.WELLBEING_TEAM,
    )


def test_psychological_help_from_a_region_without_clinic_goes_to_the_operators_region(
    operator, sverdlovsk_veteran, clinician
):
    appeal = log(operator, veteran=sverdlovsk_veteran, topic="psychological")
    assert appeal.organisation == clinician.organisation


def test_psychological_help_without_any_clinic_is_refused(operator, moscow_veteran, moscow_branch):
    with pytest.raises(ValidationError) as refused:
        log(operator, veteran=moscow_veteran, topic="psychological")
    assert "topic" in refused.value.message_dict
    assert not Appeal.objects.exists()
    assert not Task.objects.exists()


def test_a_psychological_rule_must_name_a_clinic(admin, moscow_branch, clinician):
    with pytest.raises(ValidationError) as refused:
        services.save_rule(actor=admin, topic="psychological", organisation=moscow_branch)
    assert "organisation" in refused.value.message_dict
    rule = services.save_rule(
        actor=admin, topic="psychological", organisation=clinician.organisation
    )
    assert rule.region is None
    again = services.save_rule(
        actor=admin, topic="psychological", organisation=clinician.organisation
    )
    assert again.pk == rule.pk
    assert AuditEvent.objects.filter(action="appeals.rule.save").count() == 2


def test_references_are_unique_and_count_up_within_the_year(operator, moscow_veteran):
    appeals = [log(operator, veteran=moscow_veteran) for _ in range(3)]
    year = timezone.localdate().year
    assert [a.reference for a in appeals] == [f"A-{year}-{n:06d}" for n in (1, 2, 3)]
    with pytest.raises(IntegrityError):
        Appeal.objects.filter(pk=appeals[2].pk).update(reference=appeals[0].reference)


def test_two_operators_picking_the_same_number_get_different_references(
    operator, moscow_veteran, monkeypatch
):
    first = log(operator, veteran=moscow_veteran)
    real = QuerySet.aggregate
    stale = iter([{"last": 0}])  # as if the first appeal were not committed yet

    def aggregate(self, *args, **kwargs):
        return next(stale, None) or real(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "aggregate", aggregate)
    second = log(operator, veteran=moscow_veteran)
    assert second.number == first.number + 1
    assert second.reference != first.reference


def test_the_task_is_in_the_queue_linked_to_the_appeal(operator, moscow_veteran, moscow_branch):
    appeal = log(operator, veteran=moscow_veteran)
    task = appeal.task
    assert task.type.code == "appeal"
    assert task.queue == moscow_branch
    assert task.assignee is None
    assert task.concerns == appeal
    assert task.due_at == appeal.due_at
    assert appeal.reference in task.title
    assert "водителем" not in task.title + task.description
    event = AuditEvent.objects.get(action="appeals.appeal.log")
    assert event.veteran_id == moscow_veteran.pk
    assert "description" not in event.changes
    assert "topic" not in event.changes


def _due(days_ahead: int, working: bool) -> datetime:
    calendar = production_calendar()
    today = timezone.localtime(timezone.now(), MOSCOW).date()
    if working:
        day = calendar.add_working_days(today, 1)
    else:
        day = calendar.add_working_days(today + timedelta(days=days_ahead), 0)
    return datetime.combine(day, time(23, 59, 59), tzinfo=MOSCOW)


def test_an_ordinary_appeal_is_due_in_30_calendar_days(operator, moscow_veteran):
    appeal = log(operator, veteran=moscow_veteran)
    assert appeal.due_at == _due(30, working=False)
    assert appeal.due_at - timezone.now() >= timedelta(days=29)


def test_an_urgent_appeal_is_due_the_next_working_day(operator, moscow_veteran):
    appeal = log(operator, veteran=moscow_veteran, urgency="urgent")
    assert appeal.task.type.code == "appeal_urgent"
    assert appeal.task.priority == 4
    assert appeal.due_at == _due(1, working=True)
    assert appeal.due_at - timezone.now() <= timedelta(days=12)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"caller_kind": "family"}, "caller_name"),
        ({"caller_kind": "other", "caller_name": "Сосед"}, "caller_phone"),
        ({"caller_phone": "12"}, "caller_phone"),
        ({"topic": "weather"}, "topic"),
        ({"urgency": "now"}, "urgency"),
        ({"description": "   "}, "description"),
        ({"contact_channel": "email"}, "contact_value"),
        ({"contact_channel": "sms", "contact_value": "не помню"}, "contact_value"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    operator, moscow_veteran, moscow_branch, overrides, field
):
    with pytest.raises(ValidationError) as refused:
        log(operator, veteran=moscow_veteran, **overrides)
    assert field in refused.value.message_dict
    assert not Appeal.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="appeals.").exists()


def test_the_veterans_phone_and_email_are_used_when_the_veteran_calls(operator, moscow_branch):
    veteran = make_veteran(email="ivanov@example.ru")
    appeal = log(operator, veteran=veteran, contact_channel="email")
    assert appeal.caller_phone == veteran.phone
    assert appeal.contact_value == "ivanov@example.ru"


def test_only_operators_log_and_only_veterans_they_may_see(
    operator, coordinator, other_coordinator, moscow_veteran, moscow_branch
):
    with pytest.raises(PermissionDenied):
        log(coordinator, veteran=moscow_veteran)
    other_coordinator.groups.add(*operator.groups.all())
    other_coordinator = type(other_coordinator).objects.get(pk=other_coordinator.pk)
    with pytest.raises(ValidationError) as refused:
        log(other_coordinator, veteran=moscow_veteran)
    assert "veteran" in refused.value.message_dict


def test_the_default_rules_migration_seeds_only_where_organisations_exist(
    moscow_branch, clinician, sverdlovsk_branch
):
    from importlib import import_module

    from django.apps import apps

    seed = import_module("waypoint.appeals.migrations.0002_default_rules").seed
    seed(apps, None)
    rules = {(r.topic, r.region_id): r.organisation for r in RoutingRule.objects.all()}
    assert rules[("employment", "77")] == moscow_branch
    assert rules[("psychological", "77")] == clinician.organisation
    assert rules[("medical", "77")] == clinician.organisation
    assert rules[("medical", "66")] == sverdlovsk_branch
    assert ("psychological", "66") not in rules
    assert not any(region is None for _topic, region in rules)
