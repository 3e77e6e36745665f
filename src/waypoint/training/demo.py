"""Demo training offer: each region's polytechnic college runs the demo's six courses, a
cohort every six weeks (people.demo_story.course_starts), and veterans whose plan sends them
to a course go through its enrolment pipeline on their story's dates: put on the list when
the plan is agreed, offered and accepting a seat before the start, enrolled, then completed
(or dropped out when they left the programme). Some job seekers ask about an upcoming cohort
too, so each college has applications to answer and a cohort starting within the week."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import Organisation, User
from waypoint.audit.services import record_all
from waypoint.people.demo import Person, backdate, event, moment
from waypoint.people.demo_data import COURSE_WEEKS, TRADES
from waypoint.people.demo_story import course_starts
from waypoint.taxonomy.models import Occupation, Skill
from waypoint.training.access import PROVIDER_STEPS
from waypoint.training.models import HOLDS_SEAT, Cohort, Enrolment, Programme, Provider

STARTER = "urn:waypoint:starter:"
PROGRAMMES = {
    # title: format, payer, cost, occupation keys, skill keys, description
    "Водитель категории C и CE": (
        "on_site",
        "fund",
        35_000,
        ["truck_driver", "long_haul_driver"],
        ["drive_truck", "drive_articulated", "road_traffic_rules", "tachograph"],
        "Теория и вождение грузового автомобиля и автопоезда, работа с тахографом; экзамен "
        "в ГИБДД в конце курса.",
    ),
    "Электрогазосварщик": (
        "on_site",
        "state",
        60_000,
        ["welder", "pipe_welder"],
        ["arc_welding", "mig_welding", "gas_cutting", "welding_symbols"],
        "Ручная дуговая и полуавтоматическая сварка, газовая резка, чтение чертежей; "
        "присвоение 3–4 разряда.",
    ),
    "Электромонтёр по ремонту и обслуживанию электрооборудования": (
        "on_site",
        "fund",
        60_000,
        ["electrician", "maintenance_electrician"],
        ["electrical_installation", "electrical_safety", "read_electrical_diagrams"],
        "Монтаж и ремонт электрооборудования до 1000 В, электробезопасность (III группа "
        "допуска), чтение схем.",
    ),
    "Оператор беспилотных авиационных систем": (
        "mixed",
        "fund",
        35_000,
        ["drone_operator", "aerial_survey_specialist"],
        ["uav_piloting", "airspace_rules", "uav_mission_planning", "uav_regulations_ru"],
        "Пилотирование гражданских БАС, планирование полётов и аэрофотосъёмка, воздушное "
        "законодательство Российской Федерации.",
    ),
    "Специалист технической поддержки": (
        "online",
        "state",
        18_000,
        ["it_support"],
        ["it_helpdesk", "install_os", "network_setup", "ticket_systems"],
        "Установка и настройка операционных систем, локальные сети, работа с заявками "
        "пользователей.",
    ),
    "Охранник 4–6 разряда": (
        "on_site",
        "veteran",
        18_000,
        ["security_guard", "armed_security_guard"],
        ["guard_premises", "private_security_law", "use_of_force", "first_aid"],
        "Правовые основы частной охранной деятельности, первая помощь, специальные средства; "
        "квалификационный экзамен в Росгвардии.",
    ),
}


@transaction.atomic
def build_training_demo(people: list[Person], *, seed: int = 2026) -> None:
    rng = random.Random(seed + 3)
    today = timezone.localdate()
    programmes = _programmes(rng)
    staff = {u.organisation_id: u for u in User.objects.filter(username="provider")}
    plans = []  # (person, programme, cohort start, [(status, day), …])
    for person in people:
        story = person.story
        if story.course_start is not None:
            programme = programmes[person.veteran.region_id, story.course]
            plans.append((person, programme, story.course_start, _steps(story, today)))
    for person in _curious(rng, people, today):
        course = TRADES[person.story.trade].course
        start = next(d for d in course_starts(course, today) if d > today)
        asked = max(person.story.searches[-1], today - timedelta(days=rng.randint(1, 10)))
        steps = [("recommended", asked)]
        if rng.random() < 0.6:
            steps.append(("applied", min(today, asked + timedelta(days=rng.randint(1, 3)))))
        plans.append((person, programmes[person.veteran.region_id, course], start, steps))
    cohorts = _cohorts(rng, programmes, plans, today)
    enrolments, events = [], []
    for person, programme, start, steps in plans:
        provider_staff = staff.get(programme.provider.organisation_id)
        dated = [
            (
                status,
                moment(day, rng),
                (status in PROVIDER_STEPS and provider_staff) or person.coordinator,
            )
            for status, day in steps
        ]
        enrolment = Enrolment(
            veteran=person.veteran,
            cohort=cohorts[programme.pk, start],
            status=steps[-1][0],
            history=[[status, at.isoformat(), actor.pk] for status, at, actor in dated],
            created_by=person.coordinator,
        )
        enrolments.append((enrolment, dated))
    Enrolment.objects.bulk_create([enrolment for enrolment, _dated in enrolments])
    for enrolment, dated in enrolments:
        (status, at, actor), *later = dated
        changes = {"status": [None, status], "cohort": [None, enrolment.cohort_id]}
        events.append(event(actor, "training.enrolment.create", enrolment, at, changes))
        for (before, _at, _actor), (status, at, actor) in zip(dated, later, strict=False):
            changes = {"status": [before, status]}
            events.append(event(actor, "training.enrolment.move", enrolment, at, changes))
        enrolment.updated_at = dated[-1][1]
    backdate([enrolment for enrolment, _dated in enrolments], "updated_at")
    record_all(events)


def _programmes(rng: random.Random) -> dict[tuple[str, str], Programme]:
    occupations = {o.uri: o for o in Occupation.objects.filter(uri__startswith=STARTER)}
    skills = {s.uri: s for s in Skill.objects.filter(uri__startswith=STARTER)}
    found = {}
    colleges = Organisation.objects.filter(kind=Organisation.Kind.TRAINING_PROVIDER)
    for number, college in enumerate(colleges.order_by("pk")):
        provider = Provider.objects.create(
            organisation=college,
            kind=Provider.Kind.VOCATIONAL_SCHOOL,
            licence_number=f"Л035-01{number:03d}-{college.region_id}/00{number:06d}",
            phone=f"+7{rng.randint(300, 899)}{rng.randint(1000000, 9999999)}",
            email=f"priem{number}@college.example",
            address=college.name.split(", ")[-1] + ", ул. Техническая, д. 3",
        )
        for title, (form, payer, cost, jobs, taught, description) in PROGRAMMES.items():
            programme = Programme.objects.create(
                provider=provider,
                title=title,
                description=description,
                duration_weeks=COURSE_WEEKS[title],
                format=form,
                region_id=college.region_id,
                payer=payer,
                cost=cost,
                location=provider.address,
            )
            programme.occupations.set(
                [occupations[u] for j in jobs if (u := f"{STARTER}occupation:{j}") in occupations]
            )
            programme.skills.set(
                [skills[u] for s in taught if (u := f"{STARTER}skill:{s}") in skills]
            )
            found[college.region_id, title] = programme
    return found


def _steps(story, today: date) -> list[tuple[str, date]]:
    """The enrolment's steps on the story's dates: on the list when the plan is agreed, a
    seat offered and taken before the start, enrolled on the first day, completed on the
    last; cut at today, or ended when the person left the programme."""
    start, end, planned = story.course_start, story.course_end, story.planned
    span = (start - planned).days
    steps = [
        ("recommended", planned),
        ("applied", planned + timedelta(days=min(2, span // 4))),
        ("offered", planned + timedelta(days=span // 2)),
        ("accepted", planned + timedelta(days=(3 * span) // 4)),
        ("enrolled", start),
        ("completed", end),
    ]
    until = min(today, story.closed) if story.closed else today
    kept = [step for step in steps if step[1] <= until]
    if story.closed and story.closed < end:
        kept.append(("dropped_out" if kept[-1][0] == "enrolled" else "withdrawn", story.closed))
    return kept


def _curious(rng: random.Random, people: list[Person], today: date) -> list[Person]:
    """Job seekers without a course in their story who ask about the next cohort of the
    course of their trade."""
    seekers = [
        p
        for p in people
        if p.story.course_start is None
        and p.story.stage(today) == "job_search"
        and TRADES[p.story.trade].course
        and p.coordinator is not None
    ]
    return [p for p in seekers if rng.random() < 0.35 or p.veteran.region_id == "66"]


def _cohorts(rng, programmes, plans, today) -> dict[tuple[int, date], Cohort]:
    """The cohorts the stories use, and every course's running one and next two. A cohort
    has room for everyone its stories seat."""
    wanted: set[tuple[int, date]] = set()
    for programme in programmes.values():
        starts = course_starts(programme.title, today)
        running = [d for d in starts if d <= today][-1:]
        wanted |= {(programme.pk, d) for d in running + [d for d in starts if d > today]}
    seated: dict[tuple[int, date], int] = {}
    for _person, programme, start, steps in plans:
        wanted.add((programme.pk, start))
        if steps[-1][0] in HOLDS_SEAT:
            seated[programme.pk, start] = seated.get((programme.pk, start), 0) + 1
    made = Cohort.objects.bulk_create(
        Cohort(
            programme_id=pk,
            start_date=day,
            seats=max(rng.choice([12, 15, 20]), seated.get((pk, day), 0)),
        )
        for pk, day in sorted(wanted)
    )
    return {(c.programme_id, c.start_date): c for c in made}
