"""Demo leadership track: a nationwide selection round well into selection, with candidates at
every stage (the demo veteran among them, in the cohort), a council meeting with its votes
and minutes, a ranked shortlist, a cohort with a reserve list and one placement; and a Moscow
round open for applications.

Written through the services, as the demo's administrator, coordinators and council, each
step on the demo's clock (people.demo.clock), so every step is checked, audited and dated as
it would be; the candidates were in the programme before applications opened.
"""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Case, When
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.employment.models import Employer, Vacancy
from waypoint.kit.russian_ids import is_valid_inn
from waypoint.leadership import eligibility, services
from waypoint.leadership.models import MANAGE, Candidacy, Track
from waypoint.leadership.services import cohort, council
from waypoint.people.demo import clock, moment
from waypoint.people.models import Education, Veteran

S = Candidacy.Stage
HIGHER = ["bachelor", "specialist", "master", "postgraduate"]
TESTS = [
    {"name": "Тест управленческих компетенций", "max_score": 100, "pass_mark": 60, "weight": 30},
    {
        "name": "Основы государственного и муниципального управления",
        "max_score": 50,
        "pass_mark": 30,
        "weight": 20,
    },
    {"name": "Логика и работа с информацией", "max_score": 40, "pass_mark": 20, "weight": 10},
]
# Where each candidate ends up, in order: the demo veteran first.
PLAN = [
    "cohort",
    "placed",
    "cohort",
    "cohort",
    "cohort",
    "reserve",
    "reserve",
    "rejected",
    "interviewed",
    "not_passed",
    "eligible",
    "applied",
    "not_eligible",
    "withdrawn",
]
# Share of each test's highest score, and the interview out of 10, by how strong the
# candidate is meant to be.
STRENGTH = {
    "high": ((0.82, 0.97), (8, 10)),
    "medium": ((0.66, 0.78), (6, 7)),
    "low": ((0.6, 0.66), (4, 5)),
}
# Days ago each stage was reached.
DAYS_AGO = {
    "applied": 52,
    "eligible": 45,
    "not_eligible": 44,
    "tested": 34,
    "not_passed": 33,
    "interviewed": 24,
    "approved": 12,
    "rejected": 12,
    "shortlisted": 8,
    "cohort": 5,
    "reserve": 5,
    "placed": 1,
    "withdrawn": 30,
    "opened": 60,  # the track: applications open
    "moscow_round": 5,
}
MINUTES = """Протокол заседания отборочного совета № 1.
Присутствовали: все члены совета. Кворум имеется.
Рассмотрены кандидаты, прошедшие тестирование и собеседование.
По каждому кандидату проведено открытое голосование; решения приняты большинством голосов
членов совета. Кандидаты, не получившие поддержки большинства, вправе участвовать
в следующем отборе."""


def _inn(prefix9: str) -> str:
    """A ten-digit INN with a valid check digit."""
    return next(prefix9 + digit for digit in "0123456789" if is_valid_inn(prefix9 + digit))


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def build_leadership_demo(*, seed: int = 2026) -> None:
    rng = random.Random(seed)
    admin, coordinator = _user("admin"), _user("coordinator")
    council_members = [u for u in (admin, coordinator, _user("coordinator_ekb")) if u]
    if admin is None or coordinator is None:
        return
    today = timezone.localdate()
    with transaction.atomic(), clock(_ago("opened")):
        track = services.save_track(
            actor=admin,
            values={
                "title": "Кадровый резерв ветеранов для государственной и муниципальной "
                "службы — 2026",
                "description": "Отбор участников специальной военной операции с опытом "
                "руководства для обучения и назначения на должности государственной и "
                "муниципальной службы. Обучение — год, с наставником из числа руководителей.",
                "region": None,
                "cohort_size": 5,
                "applications_open": today - timedelta(days=60),
                "applications_close": today,
                "min_education": 6,
                "min_management_years": 2,
                "requires_clean_record": True,
                "interview_max_score": 10,
                "interview_weight": 40,
            },
            tests=TESTS,
        )
    with transaction.atomic():
        candidates = _candidates(track)
        with clock(_ago("approved", hours=-1)):
            meeting = council.open_meeting(
                actor=admin,
                track=track,
                held_on=today - timedelta(days=DAYS_AGO["approved"]),
                members=council_members,
            )
            council.save_minutes(actor=admin, meeting=meeting, minutes=MINUTES)
        made = [
            _through(rng, admin, track, meeting, veteran, target)
            for veteran, target in zip(candidates, PLAN, strict=False)
        ]
        with clock(_ago("approved", hours=3)):
            council.close_meeting(actor=admin, meeting=meeting)
            services.set_track_status(actor=admin, track=track, to=Track.Status.SELECTION)
        with clock(_ago("shortlisted")):
            cohort.publish_shortlist(actor=admin, track=track)
        with clock(_ago("cohort")):
            cohort.form_cohort(actor=admin, track=track)
        with clock(_ago("placed")):
            _place(admin, made, today)
        _moscow_round(rng, coordinator, today)


def _candidates(track: Track) -> list[Veteran]:
    """The demo veteran first, then veterans the rules find eligible, and one they do not
    for the candidate a selection officer turns down."""
    own = Veteran.objects.filter(account__username="veteran").first()
    # In the programme before applications opened; looking for work first, as a reserve
    # for a post in the service is what they would want.
    opened = track.applications_open or timezone.localdate()
    coordinated = (
        Veteran.objects.exclude(pk=own.pk if own else None)
        .exclude(status__in=[Veteran.Status.CLOSED, Veteran.Status.NEW])
        .filter(entered_on__lt=opened)
        .prefetch_related("education", "service_records", "civilian_jobs")
        .order_by(Case(When(status=Veteran.Status.ACTIVE, then=0), default=1), "pk")
    )
    fits, misfits = [], []
    for veteran in coordinated:
        proposal = eligibility.check(track, veteran, has_disqualifying_record=False)
        (fits if proposal["eligible"] else misfits).append(veteran)
        if len(fits) >= len(PLAN) and misfits:
            break
    ordered = [own] if own else []
    for target in PLAN[len(ordered) :]:
        pool = misfits if target == "not_eligible" else fits
        if pool:
            ordered.append(pool.pop(0))
    return ordered


def _strength(target: str) -> str:
    if target in ("cohort", "placed"):
        return "high"
    return "low" if target == "rejected" else "medium"


def _through(rng, admin, track, meeting, veteran, target) -> Candidacy:
    """Apply and take the candidacy through the services to its planned stage."""
    # The demo veteran applies themself; the others are nominated by their coordinator when
    # a selection officer, else by the administrator.
    actor = veteran.account or admin
    if veteran.coordinator_id and not veteran.account_id:
        coordinator = User.objects.get(pk=veteran.coordinator_id)  # fresh permission cache
        actor = coordinator if coordinator.has_perm(MANAGE) else admin
    hour = rng.randint(0, 7)  # each candidate's steps at their own time of day
    with clock(_ago("applied", hour)):
        candidacy = services.apply(
            actor=actor, track=track, veteran=veteran, has_disqualifying_record=False
        )
    if target == "applied":
        return candidacy
    if target == "not_eligible":
        with clock(_ago("not_eligible", hour)):
            return services.decide_eligibility(actor=admin, candidacy=candidacy, eligible=False)
    proposed = candidacy.eligibility["eligible"]
    with clock(_ago("eligible", hour)):
        candidacy = services.decide_eligibility(
            actor=admin,
            candidacy=candidacy,
            eligible=True,
            note=""
            if proposed
            else "Диплом о высшем образовании и справка о командной должности представлены "
            "лично; сведения в реестре будут дополнены.",
        )
    if target == "withdrawn":
        with clock(_ago("withdrawn", hour)):
            return services.withdraw(
                actor=actor, candidacy=candidacy, reason="Переезд, участие в следующем отборе"
            )
    shares, interview = STRENGTH[_strength(target)]
    tests = list(track.tests.all())
    if target == "eligible":
        tests = tests[:1]
    for position, test in enumerate(tests):
        share = rng.uniform(*shares)
        if target == "not_passed" and position == 0:
            share = 0.45
        with clock(_ago("tested", hour - 1)):
            services.record_score(
                actor=admin, candidacy=candidacy, test=test, score=round(test.max_score * share)
            )
    if target == "eligible":
        return candidacy
    with clock(_ago("tested", hour)):
        candidacy = services.decide_tests(
            actor=admin, candidacy=candidacy, passed=target != "not_passed"
        )
    if target == "not_passed":
        return candidacy
    with clock(_ago("interviewed", hour)):
        candidacy = services.record_interview(
            actor=admin,
            candidacy=candidacy,
            score=rng.randint(*interview),
            held_on=timezone.localdate(),
            panel="Орлова Г. А., Белова М. И., Щербаков О. В.",
            notes="Уверенно отвечает на вопросы об управлении коллективом; "
            "мотивирован к работе в органах власти.",
        )
    if target == "interviewed":
        return candidacy
    members = list(meeting.members.all())
    with clock(_ago("approved", hour / 4)):  # the council sits one afternoon
        for position, member in enumerate(members):
            if target == "rejected":
                vote = "for" if position == 0 else "against"
            else:
                vote = "abstain" if position == len(members) - 1 and rng.random() < 0.3 else "for"
            council.record_vote(
                actor=member, meeting=meeting, candidacy=candidacy, member=member, vote=vote
            )
        return council.decide(actor=admin, meeting=meeting, candidacy=candidacy)


def _place(admin, made: list[Candidacy], today) -> None:
    municipal = Employer.objects.create(
        legal_name="Администрация городского округа Подольск",
        inn=_inn("503601234"),
        region_id="50",
        sector=Employer.Sector.MUNICIPAL,
    )
    state = Employer.objects.create(
        legal_name="Департамент труда и социальной защиты населения города Москвы",
        inn=_inn("771001234"),
        region_id="77",
        sector=Employer.Sector.STATE,
    )
    vacancy = Vacancy.objects.create(
        source="leadership-demo",
        source_id="1",
        employer=municipal,
        title="Заместитель начальника управления по делам молодёжи",
        region_id="50",
        is_municipal=True,
        published_on=today - timedelta(days=20),
    )
    Vacancy.objects.create(
        source="leadership-demo",
        source_id="2",
        employer=state,
        title="Консультант отдела по делам ветеранов",
        region_id="77",
        is_civil_service=True,
        published_on=today - timedelta(days=10),
    )
    for candidacy in made:
        candidacy.refresh_from_db()
    in_cohort = [candidacy for candidacy in made[1:] if candidacy.stage == S.COHORT]
    if in_cohort:
        cohort.place(
            actor=admin,
            candidacy=in_cohort[0],
            vacancy=vacancy,
            start_date=today + timedelta(days=14),
        )


def _ago(stage: str, hours: float = 0) -> datetime:
    """When a candidacy reached `stage`: DAYS_AGO days ago, in office hours."""
    day = timezone.localdate() - timedelta(days=DAYS_AGO[stage])
    return moment(day, hour=10) + timedelta(hours=hours)


def _moscow_round(rng: random.Random, coordinator: User, today) -> None:
    with clock(_ago("moscow_round")):
        track = _moscow_track(coordinator, today)
    veterans = Veteran.objects.filter(
        coordinator=coordinator, account=None, entered_on__lt=today - timedelta(days=7)
    ).filter(pk__in=Education.objects.filter(level__in=HIGHER).values("veteran_id"))
    for veteran in veterans.exclude(leadership_candidacies__isnull=False).order_by("pk")[:3]:
        with clock(_ago("moscow_round", rng.randint(24, 96))):
            services.apply(
                actor=coordinator, track=track, veteran=veteran, has_disqualifying_record=False
            )


def _moscow_track(coordinator: User, today) -> Track:
    return services.save_track(
        actor=coordinator,
        values={
            "title": "Муниципальный кадровый резерв Москвы: ветераны",
            "description": "Отбор для замещения должностей муниципальной службы во "
            "внутригородских муниципальных образованиях Москвы.",
            "region": coordinator.organisation.region,
            "cohort_size": 15,
            "applications_open": today - timedelta(days=5),
            "applications_close": today + timedelta(days=40),
            "min_education": 6,
            "min_management_years": 1,
            "requires_clean_record": True,
            "interview_max_score": 10,
            "interview_weight": 50,
        },
        tests=[
            {
                "name": "Тест на знание законодательства о муниципальной службе",
                "max_score": 60,
                "pass_mark": 36,
                "weight": 50,
            },
        ],
    )
