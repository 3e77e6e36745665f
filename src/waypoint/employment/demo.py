"""Demo labour market: an employer for each demo employer organisation, a dozen vacancies per
region with occupations read from their titles, and demo veterans at every step from a
proposal to a placement followed up for a year."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import Organisation
from waypoint.employment.models import Application, Employer, FollowUp, Placement, Vacancy
from waypoint.kit.dates import add_months
from waypoint.kit.russian_ids import make_inn, make_ogrn
from waypoint.people.models import Consent, Veteran
from waypoint.taxonomy import normalization

VACANCIES = [
    # title, salary from, salary to, schedule, employment, veteran quota
    ("Водитель категории C", 70_000, 95_000, "shift", "full", 1),
    ("Водитель-экспедитор", 65_000, 85_000, "full_day", "full", 0),
    ("Электрогазосварщик 5 разряда", 80_000, 120_000, "full_day", "full", 1),
    ("Охранник 4 разряда", 45_000, 60_000, "shift", "full", 2),
    ("Кладовщик", 50_000, 65_000, "full_day", "full", 0),
    ("Электромонтёр по ремонту электрооборудования", 70_000, 90_000, "shift", "full", 1),
    ("Слесарь-ремонтник", 60_000, 80_000, "full_day", "full", 0),
    ("Автомеханик", 70_000, 110_000, "full_day", "full", 1),
    ("Машинист экскаватора", 90_000, 130_000, "rotation", "full", 0),
    ("Системный администратор", 80_000, 140_000, "flexible", "full", 0),
    ("Специалист по охране труда", 60_000, 85_000, "full_day", "full", 1),
    ("Диспетчер", 45_000, 60_000, "shift", "full", 0),
    ("Инструктор по физической подготовке", 40_000, 55_000, "flexible", "part", 1),
    ("Оператор БПЛА (аэрофотосъёмка)", 90_000, 150_000, "full_day", "full", 1),
    ("Фельдшер скорой помощи", 60_000, 85_000, "shift", "full", 0),
    ("Специалист по кадрам", 55_000, 75_000, "remote", "full", 0),
]
EMPLOYER_NAMES = ["ООО «СеверТрансСервис»", "АО «Энергосети»", "МУП «Горэлектротранс»"]
STEPS = ["proposed", "applied", "interview", "offered"]


@transaction.atomic
def build_employment_demo(seed: int = 2026) -> None:
    rng = random.Random(seed + 5)
    employers = _employers(rng)
    titles = sorted({title for title, *_rest in VACANCIES})
    try:
        read = normalization.normalize(titles, k=1, military=False)
        occupation_of = {t: (c[0].pk if c else None) for t, c in zip(titles, read, strict=True)}
    except LookupError:
        occupation_of = dict.fromkeys(titles)
    today = timezone.localdate()
    vacancies = []
    for employer in employers:
        for title, low, high, schedule, kind, quota in rng.sample(VACANCIES, 8):
            openings = rng.choice([1, 2, 3, 5])
            vacancies.append(
                Vacancy(
                    source="demo",
                    source_id=f"{employer.inn}-{len(vacancies)}",
                    employer=employer,
                    title=title,
                    occupation_id=occupation_of[title],
                    region_id=employer.region_id,
                    address=f"{employer.region}",
                    salary_min=low,
                    salary_max=high,
                    schedule=schedule,
                    employment_type=kind,
                    openings=openings,
                    veteran_quota=min(quota, openings),
                    is_municipal=employer.sector == Employer.Sector.MUNICIPAL,
                    published_on=today - timedelta(days=rng.randint(1, 40)),
                    closes_on=today + timedelta(days=rng.randint(20, 90)),
                )
            )
    Vacancy.objects.bulk_create(vacancies)
    _applications(rng, list(Vacancy.objects.filter(source="demo")))


def _employers(rng: random.Random) -> list[Employer]:
    employers = []
    organisations = Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER).order_by("pk")
    for number, organisation in enumerate(organisations, start=1):
        municipal = organisation.name.startswith("МУП")
        employers.append(
            Employer.objects.create(
                legal_name=organisation.name,
                inn=make_inn(f"{organisation.region_id}{number:07d}"),
                ogrn=make_ogrn(f"10{organisation.region_id}{number:08d}"),
                region_id=organisation.region_id,
                sector=Employer.Sector.MUNICIPAL if municipal else Employer.Sector.PRIVATE,
                is_partner=True,
                contact=f"hr{number}@employer.example",
                organisation=organisation,
            )
        )
        second = rng.choice(EMPLOYER_NAMES)
        employers.append(
            Employer.objects.create(
                legal_name=f"{second}, {organisation.region}",
                inn=make_inn(f"{organisation.region_id}{number + 500:07d}"),
                region_id=organisation.region_id,
                sector=Employer.Sector.MUNICIPAL if second.startswith("МУП") else "private",
            )
        )
    return employers


def _applications(rng: random.Random, vacancies: list[Vacancy]) -> None:
    sharing = list(
        Veteran.objects.filter(
            consents__purpose=Consent.Purpose.SHARE_EMPLOYERS, consents__withdrawn_at=None
        )
        .exclude(coordinator=None)
        .distinct()
        .order_by("pk")[:90]
    )
    by_region: dict[str, list[Vacancy]] = {}
    for vacancy in vacancies:
        by_region.setdefault(vacancy.region_id, []).append(vacancy)
    hired: dict[int, int] = {}
    today = timezone.localdate()
    for number, veteran in enumerate(sharing):
        local = by_region.get(veteran.region_id) or vacancies
        vacancy = rng.choice(local)
        actor = veteran.coordinator
        reached = rng.choice(STEPS)
        history = [
            [step, timezone.now().isoformat(), actor.pk, ""]
            for step in STEPS[: STEPS.index(reached) + 1]
        ]
        status = reached
        if number % 4 == 0 and hired.get(vacancy.pk, 0) < vacancy.openings:
            status = "hired"
            history.append(["hired", timezone.now().isoformat(), actor.pk, ""])
            hired[vacancy.pk] = hired.get(vacancy.pk, 0) + 1
        application = Application.objects.create(
            veteran=veteran, vacancy=vacancy, status=status, history=history, created_by=actor
        )
        if status == "hired":
            _placement(rng, application, today - timedelta(days=rng.randint(20, 400)))


def _placement(rng: random.Random, application: Application, start) -> None:
    placement = Placement.objects.create(
        application=application,
        veteran_id=application.veteran_id,
        employer_id=application.vacancy.employer_id,
        start_date=start,
        salary=application.vacancy.salary_min or 60_000,
        recorded_by=application.created_by,
    )
    today = timezone.localdate()
    for months in FollowUp.MONTHS:
        due = add_months(start, months)
        # Most calls made on time; one in four is left due so the list has work on it.
        done = due <= today and rng.random() < 0.75
        FollowUp.objects.create(
            placement=placement,
            months=months,
            due_on=due,
            done_on=min(due + timedelta(days=rng.randint(0, 5)), today) if done else None,
            still_employed=True if done else None,
            same_employer=True if done else None,
            recorded_by=application.created_by if done else None,
        )
