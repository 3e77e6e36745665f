"""Demo cases: most demo veterans with a coordinator have an open case at some stage, with a
few tasks, some of them overdue, so the caseload and supervision pages have work on them."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from waypoint.cases.models import Case, Stage, Task, TaskType, Track
from waypoint.people.models import Veteran

TASKS = {
    "assessment": "Оценочное собеседование",
    "plan": "Составить индивидуальный план",
    "documents": "Запросить справку из военкомата",
    "follow_up_call": "Позвонить после собеседования у работодателя",
    "referral": "Направление в центр занятости",
}


@transaction.atomic
def build_cases_demo(seed: int = 2026) -> None:
    rng = random.Random(seed + 11)
    stages = list(Stage.objects.filter(is_closed=False))
    tracks = list(Track.objects.all())
    types = {t.code: t for t in TaskType.objects.filter(code__in=TASKS)}
    now = timezone.now()
    veterans = Veteran.objects.exclude(coordinator=None).select_related("coordinator", "branch")
    for veteran in veterans.order_by("pk"):
        if rng.random() < 0.2:
            continue
        stage = rng.choice(stages)
        since = now - timedelta(days=rng.randint(1, 90))
        case = Case.objects.create(
            veteran=veteran,
            coordinator=veteran.coordinator,
            organisation=veteran.branch or veteran.coordinator.organisation,
            region_id=veteran.region_id,
            stage=stage,
            stage_since=since,
            track=rng.choice(tracks) if stage.position > 1 else None,
            created_by=veteran.coordinator,
        )
        Case.objects.filter(pk=case.pk).update(opened_at=since - timedelta(days=rng.randint(0, 30)))
        for code in rng.sample(sorted(types), rng.randint(1, 3)):
            due = now + timedelta(days=rng.randint(-12, 20))
            Task.objects.create(
                case=case,
                type=types[code],
                title=TASKS[code],
                assignee=veteran.coordinator,
                priority=types[code].priority,
                due_at=due,
                overdue_since=due if due < now else None,
                created_by=veteran.coordinator,
            )
