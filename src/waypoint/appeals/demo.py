"""Demo hotline appeals: routing rules as an administrator would set them (each region's fund
branch; medical care to the region's veterans' hospital; psychological help to the Moscow
hospital, the demo's well-being team), and forty appeals logged by the demo operator over
the past seven weeks, across every topic: registered, in progress, answered (a few late) and
closed; some from family members, some about callers not in the registry.

Written through the services, as the demo's administrator, operator, branch staff and
clinician, each step on the demo's clock (people.demo.clock), so it is checked, audited and
dated when it happened; an appeal about a veteran comes after they entered the programme.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import Organisation, User
from waypoint.appeals import access, services
from waypoint.appeals.models import Appeal, Topic
from waypoint.people.demo import Person, clock
from waypoint.people.models import Veteran
from waypoint.regions.models import Region

APPEALS = 40
NEAR_DEADLINE = 3  # appeals still being worked on whose answer falls due within days
TODAY = 2  # calls the operator logged today
DESCRIPTIONS = {
    Topic.EMPLOYMENT: [
        "Недавно уволился с военной службы, ищет работу водителем категории C, просит "
        "подобрать вакансии рядом с домом.",
        "Работодатель отказал в приёме после собеседования, просит разъяснить, положена ли "
        "квота для ветеранов.",
    ],
    Topic.TRAINING: [
        "Хочет пройти обучение на электромонтёра, спрашивает, оплатит ли фонд.",
        "Записался на курсы сварщика, но группу не набрали; просит подобрать другую.",
    ],
    Topic.PAYMENTS: [
        "Не пришла ежемесячная выплата за прошлый месяц.",
        "Спрашивает, положена ли компенсация за санаторно-курортное лечение.",
    ],
    Topic.MEDICAL: [
        "Нужна запись на реабилитацию после ранения ноги, в поликлинике нет мест.",
        "Просит помочь получить протез через фонд.",
    ],
    Topic.PSYCHOLOGICAL: [
        "Плохо спит после возвращения, просит записать к психологу.",
        "Жена звонит: муж замкнулся, не выходит из дома, просит консультацию.",
    ],
    Topic.LEGAL: [
        "Спор с управляющей компанией о начислениях, просит консультацию юриста.",
        "Не может оформить наследство, нужна юридическая помощь.",
    ],
    Topic.DOCUMENTS: [
        "Не получил удостоверение ветерана боевых действий, прошло три месяца.",
        "Потерял военный билет, спрашивает, как восстановить.",
    ],
    Topic.OTHER: [
        "Просит сообщить часы приёма координатора в филиале фонда.",
        "Спрашивает о волонтёрских программах фонда в своём районе.",
    ],
}
ANSWERS = {
    Appeal.Outcome.RESOLVED: "Вопрос решён: ветерану назначена встреча, результат подтверждён.",
    Appeal.Outcome.EXPLAINED: "Разъяснён порядок и сроки, направлена памятка на почту.",
    Appeal.Outcome.REFERRED: "Направлен в центр занятости по месту жительства.",
    Appeal.Outcome.REJECTED: "Не относится к полномочиям фонда; заявителю объяснено, куда "
    "обратиться.",
}
# How far each appeal gets, drawn at random: about half answered or closed.
TARGETS = ["registered", "in_progress", "answered", "answered", "closed"]
OPEN = ("registered", "in_progress")
REGION_WEIGHTS = {"77": 10, "66": 3, "61": 3}
RELATIVES = ["Кузнецова Ольга Петровна", "Смирнов Сергей Иванович", "Попова Анна Викторовна"]


def build_appeals_demo(people: list[Person], *, seed: int = 2026) -> int:
    """Build the rules and the appeals; returns how many appeals were logged."""
    rng = random.Random(seed + 11)
    users = {user.username: user for user in User.objects.filter(organisation__isnull=False)}
    admin, operator = users.get("admin"), users.get("operator")
    if admin is None or operator is None:
        return 0
    with transaction.atomic():
        _rules(admin, users.get("clinician"))
        workers = _workers(users.values())
        veterans: dict[str, list[Veteran]] = {}
        for person in people:
            veterans.setdefault(person.veteran.region_id, []).append(person.veteran)
        # Mostly where the demo has staff to work the queues: Moscow, Yekaterinburg, Rostov.
        weights = {code: REGION_WEIGHTS.get(code, 3) for code in veterans}
        regions = list(Region.objects.filter(code__in=["77", "50", "66", "61"]))
        topics = list(Topic.values)
        calls = []
        for number in range(APPEALS):
            topic = topics[number % len(topics)] if number < len(topics) else rng.choice(topics)
            target = rng.choice(TARGETS)
            # Open ones within their thirty days; answered ones from the past seven weeks.
            days_ago = rng.randint(0, 26) if target in OPEN else rng.randint(3, 50)
            if number < NEAR_DEADLINE:  # being worked on, the answer due in a day or three
                target, days_ago = "in_progress", rng.randint(27, 29)
            now = timezone.now()
            logged = now - timedelta(
                days=days_ago, hours=rng.randint(0, 8), minutes=rng.randint(0, 59)
            )
            if NEAR_DEADLINE <= number < NEAR_DEADLINE + TODAY:  # this morning's calls
                target = "registered"
                start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
                logged = max(now - timedelta(hours=rng.randint(1, 5)), start)
            veteran = None
            if veterans and rng.random() < 0.85:
                code = rng.choices(list(weights), list(weights.values()))[0]
                day = timezone.localdate(logged)
                known = [v for v in veterans[code] if v.entered_on <= day]
                veteran = rng.choice(known) if known else None
            caller = rng.choice(["veteran", "veteran", "veteran", "family", "other"])
            if veteran is None and caller == "veteran":
                caller = "other"
            channel = rng.choice(["phone", "phone", "sms", "email"])
            urgent = rng.random() < 0.15 and (days_ago <= 1 or target in ("answered", "closed"))
            call = {
                "caller_kind": caller,
                "caller_name": "" if caller == "veteran" else rng.choice(RELATIVES),
                "caller_phone": ""
                if caller == "veteran"
                else f"+7903{rng.randint(0, 9999999):07d}",
                "veteran": veteran,
                "region": None if veteran else rng.choice(regions),
                "topic": topic,
                "description": rng.choice(DESCRIPTIONS[topic]),
                "urgency": "urgent" if urgent else "ordinary",
                "contact_channel": channel,
                "contact_value": f"appeal{number}@example.ru" if channel == "email" else "",
            }
            calls.append((logged, target, call))
        # Logged in the order the phone rang, so that references count up with the days.
        for logged, target, call in sorted(calls, key=lambda c: c[0]):
            with clock(logged):
                appeal = services.log_appeal(actor=operator, **call)
            _work(rng, appeal, workers, target)
    return APPEALS


def _rules(admin: User, clinician: User | None) -> None:
    clinical = (Topic.MEDICAL, Topic.PSYCHOLOGICAL)
    for organisation in Organisation.objects.filter(is_active=True).order_by("pk"):
        if organisation.kind == Organisation.Kind.FUND_BRANCH:
            for topic in Topic.values:
                if topic not in clinical:
                    services.save_rule(
                        actor=admin,
                        topic=topic,
                        region=organisation.region,
                        organisation=organisation,
                    )
        elif organisation.kind == Organisation.Kind.CLINIC:
            services.save_rule(
                actor=admin,
                topic=Topic.MEDICAL,
                region=organisation.region,
                organisation=organisation,
            )
    if clinician is not None:
        services.save_rule(
            actor=admin, topic=Topic.PSYCHOLOGICAL, organisation=clinician.organisation
        )


def _workers(users) -> dict[int, list[User]]:
    """Who works each organisation's queue, and of them who may close its appeals."""
    workers: dict[int, list[User]] = {}
    for user in users:
        if access.works_a_queue(user) and not user.is_superuser:
            workers.setdefault(user.organisation_id, []).append(user)
    return workers


def _work(rng: random.Random, appeal: Appeal, workers: dict, target: str) -> None:
    """Take the appeal as far as `target` (when its queue has staff), each step on the
    demo's clock: taken soon after it was logged, answered within its term or, now and then,
    a little after, closed the next day."""
    staff = workers.get(appeal.organisation_id, [])
    if not staff or target == "registered":
        return
    now, logged, due = timezone.now(), appeal.logged_at, appeal.due_at
    worker = rng.choice(staff)
    end = min(due, now)
    taken = logged + (end - logged) * rng.uniform(0.02, 0.3)
    with clock(taken):
        appeal = services.take(actor=worker, appeal=appeal)
    if target not in ("answered", "closed"):
        return
    late = due + timedelta(hours=rng.randint(2, 72))
    if rng.random() < 0.25 and late < now:
        answered = late
    else:
        answered = taken + (end - taken) * rng.uniform(0.1, 0.9)
    kind = rng.choice(list(Appeal.Outcome.values))
    with clock(answered):
        appeal = services.answer(
            actor=worker, appeal=appeal, outcome_kind=kind, outcome=ANSWERS[kind]
        )
    closer = next((u for u in staff if access.may_close(u, appeal)), None)
    if target == "closed" and closer is not None:
        with clock(min(answered + timedelta(days=1), now)):
            services.close(actor=closer, appeal=appeal)
