"""Synthetic but plausible demo data: agencies, one user per role, and veterans, each with the
story of their last months in the programme (people.demo_story).

Deterministic for a seed, and dated relative to today. Rows are written directly and in bulk
(not through the services, which would ask for a request's actor at every step) but hold what
the services would have written, the audit events included, dated when each thing happened.
"""

import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from django.utils.functional import Promise

from waypoint.accounts.models import Organisation, User
from waypoint.accounts.roles import ROLES_BY_CODE
from waypoint.audit.models import AuditEvent
from waypoint.audit.services import build, record_all
from waypoint.kit.transliteration import to_latin
from waypoint.people.access import may_coordinate
from waypoint.people.coding import suggest_all
from waypoint.people.consents import CURRENT_VERSION
from waypoint.people.demo_data import (
    CITIES,
    COMPANY_PREFIX,
    DEPLOYMENTS,
    EDUCATION,
    EMPLOYER_KINDS,
    FEMALE_FIRST,
    JOBS,
    MALE_FIRST,
    OFFICER_EDUCATION,
    PATRONYMIC_ROOTS,
    REGION_WEIGHTS,
    REGIONS,
    SPECIALTIES,
    STREETS,
    SURNAMES,
    TRADES,
    Specialty,
)
from waypoint.people.demo_story import Attempt, Story, draw_for
from waypoint.people.models import (
    CivilianJob,
    Consent,
    DeclaredSkill,
    Education,
    LanguageSkill,
    Preferences,
    ServiceRecord,
    Veteran,
    WorkLimitation,
)

DEMO_PASSWORD = "waypoint-demo-2026"  # noqa: S105  (printed to the person running the demo)
OFFICER_RANKS = {"lieutenant", "senior_lieutenant", "captain", "major", "lieutenant_colonel"}

DEMO_USERS = [
    # username, role, region, organisation kind, first name, last name
    ("admin", "administrator", "77", Organisation.Kind.FUND_BRANCH, "Галина", "Орлова"),
    ("coordinator", "coordinator", "77", Organisation.Kind.FUND_BRANCH, "Марина", "Белова"),
    ("coordinator_mo", "coordinator", "50", Organisation.Kind.FUND_BRANCH, "Андрей", "Гришин"),
    ("coordinator_spb", "coordinator", "78", Organisation.Kind.FUND_BRANCH, "Ксения", "Лаптева"),
    ("coordinator_ekb", "coordinator", "66", Organisation.Kind.FUND_BRANCH, "Олег", "Щербаков"),
    (
        "coordinator_rostov",
        "coordinator",
        "61",
        Organisation.Kind.FUND_BRANCH,
        "Ирина",
        "Гончаренко",
    ),
    ("coordinator_nsk", "coordinator", "54", Organisation.Kind.FUND_BRANCH, "Денис", "Шестаков"),
    ("coordinator_krd", "coordinator", "23", Organisation.Kind.FUND_BRANCH, "Оксана", "Тимченко"),
    ("counsellor", "career_counsellor", "77", Organisation.Kind.FUND_BRANCH, "Павел", "Ершов"),
    ("operator", "call_centre_operator", "77", Organisation.Kind.CALL_CENTRE, "Светлана", "Кравец"),
    (
        "provider",
        "training_provider_staff",
        "66",
        Organisation.Kind.TRAINING_PROVIDER,
        "Нина",
        "Пахомова",
    ),
    ("employer", "employer_staff", "61", Organisation.Kind.EMPLOYER, "Артур", "Мельников"),
    ("clinician", "clinician", "77", Organisation.Kind.CLINIC, "Вера", "Соболева"),
    ("commander", "commander", "77", Organisation.Kind.DEFENCE_UNIT, "Виктор", "Рябов"),
    ("records", "clinical_record_keeper", "77", Organisation.Kind.CLINIC, "Алла", "Зуева"),
    ("analyst", "labour_analyst", "77", Organisation.Kind.EMPLOYMENT_CENTRE, "Тимофей", "Лазарев"),
    ("auditor", "auditor", "77", Organisation.Kind.FUND_BRANCH, "Алла", "Крылова"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Promise  # the role's name, worded when printed
    organisation: str


@dataclass
class Person:
    """A demo veteran's record, their coordinator and the story the other apps' demos write."""

    veteran: Veteran
    story: Story
    coordinator: User | None


def moment(day: date, rng: random.Random | None = None, hour: int | None = None) -> datetime:
    """A time in office hours on `day`, never later than now."""
    if hour is None:
        hour = rng.randint(9, 17) if rng else 10
    minute = rng.randint(0, 59) if rng else 0
    at = timezone.make_aware(datetime.combine(day, time(hour, minute)))
    return min(at, timezone.now())


@contextmanager
def clock(at: datetime):
    """The demo's clock: inside, Django's `timezone.now()` answers `at`, so a service called
    there writes its rows and its audit events as if it ran then. For building the demo only:
    one thread, and `at` never after the real now."""
    real = timezone.now
    timezone.now = lambda: min(at, real())
    try:
        yield
    finally:
        timezone.now = real


def backdate(rows: list, *fields: str) -> None:
    """Write the dates set on saved rows into `fields`, which their insert stamped with
    today (auto_now_add, auto_now): one statement run for every row, where bulk_update
    would build a CASE over all of them."""
    if not rows:
        return
    meta = rows[0]._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    # Names come from the model's metadata; values travel as parameters.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                [
                    field.get_db_prep_save(getattr(row, field.attname), connection)
                    for field in columns
                ]
                + [row.pk]
                for row in rows
            ],
        )


def event(actor, action: str, subject, at: datetime, changes=None) -> AuditEvent:
    """An audit event as the service would have appended it, dated when the thing happened."""
    built = build(actor=actor, action=action, subject=subject, changes=changes)
    built.at = at
    return built


def build_demo(*, seed: int = 2026, veterans: int = 300) -> tuple[list[DemoLogin], list[Person]]:
    """Create the demo world's agencies, users and veterans in an empty database; returns the
    logins to print and every veteran with their story, for the other apps' demos."""
    rng = random.Random(seed)
    today = timezone.localdate()
    with transaction.atomic():
        organisations = _organisations()
        logins, users = _users(organisations)
        coordinators = {
            code: [
                u
                for u in users.values()
                if u.region_code == code
                and may_coordinate(u)
                and not u.is_superuser  # the administrator keeps no caseload
                and u.organisation.kind == Organisation.Kind.FUND_BRANCH
            ]
            for code in REGIONS
        }
        drafts = [_draft(rng, n, today, coordinators) for n in range(veterans - 1)]
        drafts.append(_own_draft(today, users["coordinator"]))
        people = _write(rng, drafts, organisations, users, today)
        suggest_all()  # which occupation each specialty and job stands for
    return logins, people


def _organisations() -> dict[str, dict[str, Organisation]]:
    by_region: dict[str, dict[str, Organisation]] = {}
    for code, (name_ru, _name_en) in REGIONS.items():
        city = CITIES[code]
        employer = EMPLOYER_KINDS[0][0].format(prefix=COMPANY_PREFIX[code], city=city)
        names = {
            Organisation.Kind.FUND_BRANCH: f"Фонд «Защитники Отечества», филиал: {name_ru}",
            Organisation.Kind.EMPLOYMENT_CENTRE: f"Центр занятости населения: {name_ru}",
            Organisation.Kind.TRAINING_PROVIDER: f"Политехнический колледж, {city}",
            Organisation.Kind.EMPLOYER: f"{employer}, {city}",
            Organisation.Kind.CLINIC: f"Госпиталь ветеранов войн, {city}",
            Organisation.Kind.DEFENCE_UNIT: f"Военный комиссариат, {city}",
        }
        by_region[code] = {
            kind: Organisation.objects.create(name=name, kind=kind, region_id=code)
            for kind, name in names.items()
        }
    by_region["77"][Organisation.Kind.CALL_CENTRE] = Organisation.objects.create(
        name="Единый контакт-центр поддержки ветеранов",
        kind=Organisation.Kind.CALL_CENTRE,
        region_id="77",
    )
    return by_region


def _users(organisations) -> tuple[list[DemoLogin], dict[str, User]]:
    logins, users = [], {}
    password = make_password(DEMO_PASSWORD)  # one slow hash for every demo user
    groups = {group.name: group for group in Group.objects.all()}
    for username, role, region, kind, first, last in DEMO_USERS:
        organisation = organisations[region][kind]
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            organisation=organisation,
            scope=ROLES_BY_CODE[role].default_scope,
            is_staff=role == "administrator",
            is_superuser=role == "administrator",
            email=f"{username}@waypoint.example",
            password=password,
        )
        user.groups.add(groups[role])
        users[username] = User.objects.get(pk=user.pk)  # fresh permission cache
        logins.append(DemoLogin(username, ROLES_BY_CODE[role].label, str(organisation)))
    account = User.objects.create(
        username="veteran", first_name="Алексей", last_name="Смирнов", password=password
    )
    account.groups.add(groups["veteran"])
    users["veteran"] = account
    logins.append(DemoLogin("veteran", ROLES_BY_CODE["veteran"].label, "—"))
    return logins, users


@dataclass
class _Draft:
    """Everything about one veteran before it is written."""

    veteran: Veteran
    story: Story
    coordinator: User | None
    specialty: Specialty
    rank: str
    education: tuple[str, str, str]
    restrictions: list[str]
    channel_actor: str  # who typed the record in when no coordinator has it: the operator


# The first veterans are drawn until their story is at a given point today, so that at any
# size the demo's employer has candidates to answer, its college seats to offer and the
# Moscow coordinator newcomers to assess: (region, point, coordinator).
PINNED = (
    [("61", "applying", "")] * 4
    + [("66", "booked", "")] * 2
    + [("77", "starting", "coordinator")] * 2
)


def _draft(rng: random.Random, number: int, today: date, coordinators) -> _Draft:
    codes, weights = zip(*REGION_WEIGHTS.items(), strict=True)
    region, pin, keeper = PINNED[number] if number < len(PINNED) else ("", "", "")
    region = region or rng.choices(codes, weights)[0]
    female = rng.random() < 0.12
    surname = rng.choice(SURNAMES)
    first = rng.choice(FEMALE_FIRST if female else MALE_FIRST)
    root = rng.choice(PATRONYMIC_ROOTS)
    if female:
        last = surname + "а" if surname.endswith(("ов", "ёв", "ев", "ин")) else surname
        patronymic = root + "на"
    else:
        last, patronymic = surname, root + "ич"
    specialty = rng.choice(SPECIALTIES)
    trade, story = draw_for(rng, specialty.trades, today, pin)
    restrictions: list[str] = []
    if rng.random() < 0.2:
        allowed = sorted(set(WorkLimitation.Restriction.values) - set(TRADES[trade].unsuitable))
        restrictions = rng.sample(allowed, rng.randint(1, 2))
    rank = rng.choice(specialty.ranks)
    officer = rank in OFFICER_RANKS or specialty.text.startswith("заместитель")
    birth = date(rng.randint(1968, 1982) if officer else rng.randint(1968, 2004), 1, 1)
    birth = birth.replace(month=rng.randint(1, 12), day=rng.randint(1, 28))
    coordinator = rng.choice(coordinators[region]) if story.assigned else None
    if coordinator is not None and keeper:
        coordinator = next(c for c in coordinators[region] if c.username == keeper)
    channel = rng.choices(["coordinator", "phone", "self_service", "import"], [50, 30, 10, 10])[0]
    veteran = Veteran(
        last_name=last,
        first_name=first,
        patronymic=patronymic,
        last_name_latin=to_latin(last),
        first_name_latin=to_latin(first),
        birth_date=birth,
        sex="f" if female else "m",
        phone=f"+79{rng.randint(10, 99)}{number:07d}"[:12],
        email=f"{to_latin(last).lower()}.{number}@mail.example" if rng.random() < 0.6 else "",
        region_id=region,
        address=f"{CITIES[region]}, {rng.choice(STREETS)}, "
        f"д. {rng.randint(1, 120)}, кв. {rng.randint(1, 300)}",
        driving_licences=_licences(rng, trade),
        status=story.status(today),
        coordinator=coordinator,
        intake_channel=channel,
        entered_on=story.entered,
    )
    education = rng.choice(OFFICER_EDUCATION if officer else EDUCATION)
    return _Draft(veteran, story, coordinator, specialty, rank, education, restrictions, channel)


def _licences(rng: random.Random, trade: str) -> str:
    if trade == "truck_driver":
        return rng.choice(["B,C", "B,C,CE"])
    if trade == "bus_driver":
        return "B,C,D"
    return rng.choice(["B", "B", "B,C", "", "B,C,CE"])


def _own_draft(today: date, coordinator: User) -> _Draft:
    """The demo veteran who signs in as `veteran`: a captain who commanded a platoon, in the
    programme for seven months, looking for work in occupational safety (one application
    turned down, an interview now), in the leadership track's cohort."""
    entered = today - timedelta(days=214)
    first_try = entered + timedelta(days=44)
    now_try = today - timedelta(days=12)
    story = Story(
        entered=entered,
        trade="safety",
        track="rapid_employment",
        assigned=entered + timedelta(days=1),
        assessed=entered + timedelta(days=12),
        planned=entered + timedelta(days=26),
        searches=[entered + timedelta(days=30)],
        attempts=[
            Attempt(
                [
                    ("proposed", first_try),
                    ("applied", first_try + timedelta(days=2)),
                    ("interview", first_try + timedelta(days=9)),
                    ("rejected", first_try + timedelta(days=20)),
                ]
            ),
            Attempt([("applied", now_try), ("interview", today - timedelta(days=3))]),
        ],
    )
    veteran = Veteran(
        last_name="Смирнов",
        first_name="Алексей",
        patronymic="Викторович",
        last_name_latin="Smirnov",
        first_name_latin="Aleksei",
        birth_date=date(1987, 4, 14),
        sex="m",
        phone="+79161234567",
        email="a.smirnov@mail.example",
        region_id="77",
        address="Москва, ул. Садовая, д. 14, кв. 52",
        driving_licences="B",
        status=story.status(today),
        coordinator=coordinator,
        intake_channel="self_service",
        entered_on=entered,
    )
    specialty = next(s for s in SPECIALTIES if s.text == "командир взвода")
    education = OFFICER_EDUCATION[1]
    return _Draft(veteran, story, coordinator, specialty, "captain", education, [], "veteran")


def _write(rng, drafts: list[_Draft], organisations, users, today) -> list[Person]:
    """The veterans and every part of their records, a few inserts per table."""
    branch = {code: organisations[code][Organisation.Kind.FUND_BRANCH] for code in REGIONS}
    for draft in drafts:
        draft.veteran.branch = branch[draft.veteran.region_id]
        draft.veteran.refresh_search_fields()
    veterans = Veteran.objects.bulk_create([d.veteran for d in drafts])
    own = drafts[-1].veteran
    own.account = users["veteran"]
    for draft in drafts:
        # The record is typed in on the day of the first meeting, or of the call.
        draft.veteran.created_at = moment(draft.story.entered, rng)
    backdate(veterans, "created_at")
    Veteran.objects.filter(pk=own.pk).update(account=own.account)
    rows: dict[type, list] = {model: [] for model in PARTS}
    events: list[AuditEvent] = []
    for draft in drafts:
        _parts(rng, draft, users, today, rows, events)
    for model, objects in rows.items():
        model.objects.bulk_create(objects)
    Preferences.regions.through.objects.bulk_create(
        Preferences.regions.through(preferences_id=p.pk, region_id=p.veteran.region_id)
        for p in rows[Preferences]
    )
    for consent in rows[Consent]:
        purpose = {"purpose": [None, consent.purpose]}
        events.append(
            event(consent.recorded_by, "people.consent.give", consent, consent.given_at, purpose)
        )
        if consent.withdrawn_at:
            events.append(
                event(
                    consent.withdrawn_by,
                    "people.consent.withdraw",
                    consent,
                    consent.withdrawn_at,
                    purpose,
                )
            )
    record_all(sorted(events, key=lambda e: e.at))
    return [Person(d.veteran, d.story, d.coordinator) for d in drafts]


PARTS = (
    ServiceRecord,
    DeclaredSkill,
    Education,
    CivilianJob,
    LanguageSkill,
    Preferences,
    Consent,
    WorkLimitation,
)


def _parts(rng, draft: _Draft, users, today, rows, events) -> None:
    veteran, story, coordinator = draft.veteran, draft.story, draft.coordinator
    if draft.channel_actor == "veteran":
        recorder = users["veteran"]
    elif coordinator is None or veteran.intake_channel == "phone":
        recorder = users["operator"]
    else:
        recorder = coordinator
    events.append(
        event(
            recorder,
            "people.veteran.create",
            veteran,
            veteran.created_at,
            {"last_name": [None, veteran.last_name], "region": [None, veteran.region_id]},
        )
    )
    if coordinator is not None:
        events.append(
            event(
                users["admin"] if recorder != coordinator else coordinator,
                "people.veteran.assign_coordinator",
                veteran,
                moment(story.assigned, rng),
                {"coordinator": [None, coordinator.pk]},
            )
        )
    _service(rng, draft, rows)
    _background(rng, draft, today, rows)
    _consents(rng, draft, recorder, today, rows)
    if coordinator is not None and story.assessed and rng.random() < 0.6:
        confirmed = moment(story.assessed, rng)
        for skill in rows[DeclaredSkill][-len(draft.specialty.skills) :]:
            skill.confirmed_by, skill.confirmed_at = coordinator, confirmed


def _service(rng, draft: _Draft, rows) -> None:
    veteran, specialty, story = draft.veteran, draft.specialty, draft.story
    end = story.entered - timedelta(days=rng.randint(10, 240))
    officer = draft.rank in OFFICER_RANKS
    years = rng.randint(8, 20) if officer else rng.choice([1, 1, 2, 2, 3, 5, 8])
    start = date(max(end.year - years, veteran.birth_date.year + 18), rng.randint(1, 12), 1)
    start = min(start, end - timedelta(days=180))
    combat = end.year >= 2022 and rng.random() < 0.8
    if combat:
        deployment = f"Зона СВО, {max(2022, end.year - 1)}–{end.year}"
    else:
        deployment = rng.choice(DEPLOYMENTS[3:]) if rng.random() < 0.2 else ""
    rows[ServiceRecord].append(
        ServiceRecord(
            veteran=veteran,
            branch=specialty.branch,
            specialty=specialty.text,
            specialty_code=specialty.code,
            rank=draft.rank,
            start_date=start,
            end_date=end,
            deployments=deployment,
            combat_veteran=combat or bool(deployment),
            discharge_reason=rng.choice(
                ["contract_end", "mobilisation_end", "health", "contract_end"]
                if years < 20
                else ["age"]
            ),
        )
    )
    for skill in specialty.skills:
        rows[DeclaredSkill].append(
            DeclaredSkill(
                veteran=veteran,
                name=skill,
                level=rng.choice(["intermediate", "advanced", "expert"]),
            )
        )


def _background(rng, draft: _Draft, today, rows) -> None:
    veteran, story = draft.veteran, draft.story
    service_start = rows[ServiceRecord][-1].start_date
    level, institution, field_of_study = draft.education
    graduated = min(veteran.birth_date.year + rng.randint(17, 23), service_start.year)
    rows[Education].append(
        Education(
            veteran=veteran,
            level=level,
            institution=institution,
            field_of_study=field_of_study,
            graduation_year=graduated,
        )
    )
    if story.employed_at_entry or (draft.channel_actor != "veteran" and rng.random() < 0.7):
        title, employer, duties = rng.choice(JOBS)
        start = max(graduated, service_start.year - rng.randint(1, 8))
        rows[CivilianJob].append(
            CivilianJob(
                veteran=veteran,
                title=title,
                employer=employer,
                start_year=start,
                # Kept for the mobilised while they served; they went back to it.
                end_year=None if story.employed_at_entry else max(start, service_start.year),
                duties=duties,
            )
        )
    rows[LanguageSkill].append(LanguageSkill(veteran=veteran, language="ru", level="native"))
    if rng.random() < 0.2:
        rows[LanguageSkill].append(
            LanguageSkill(veteran=veteran, language="en", level=rng.choice(["A2", "B1", "B2"]))
        )
    trade = TRADES[story.trade]
    other = rng.choice(list(TRADES.values())).desired
    desired = [trade.desired] + ([other] if other != trade.desired and rng.random() < 0.3 else [])
    rows[Preferences].append(
        Preferences(
            veteran=veteran,
            willing_to_relocate=rng.random() < 0.25,
            remote_work=rng.choice(["no", "hybrid", "no", "no"]),
            desired_occupations="\n".join(desired),
            expected_salary=rng.choice([45000, 60000, 70000, 80000, 95000, 120000]),
        )
    )


def _consents(rng, draft: _Draft, recorder, today, rows) -> None:
    """Personal data and contact at the first meeting; sharing with employers and training
    providers when the plan is agreed; health data with the limitations, at assessment."""
    veteran, story = draft.veteran, draft.story
    channel = "self_service" if draft.channel_actor == "veteran" else None
    given = moment(story.entered, rng)
    purposes = [("personal_data", given), ("contact", given)]
    if story.planned:
        agreed = moment(story.planned, rng)
        if story.searches or story.track in ("rapid_employment", "training_then_employment"):
            purposes.append(("share_employers", agreed))
        if story.course_start or story.track == "training_then_employment":
            purposes.append(("share_training", agreed))
    if draft.restrictions and story.assessed:
        purposes.append(("health_data", moment(story.assessed, rng)))
        rows[WorkLimitation].append(
            WorkLimitation(
                veteran=veteran,
                disability_group=rng.choice(["none", "3", "3", "2"]),
                restrictions=draft.restrictions,
                notes="Заключение ВВК: ограниченно годен к военной службе.",
                recorded_by=draft.coordinator or recorder,
                valid_until=today + timedelta(days=rng.randint(90, 720)),
            )
        )
    for purpose, at in purposes:
        consent = Consent(
            veteran=veteran,
            purpose=purpose,
            text_version=CURRENT_VERSION,
            channel=channel or rng.choice(["in_person", "phone", "paper"]),
            given_at=at,
            recorded_by=recorder,
        )
        if (
            purpose == "contact"
            and rng.random() < 0.04
            and timezone.localdate(at) + timedelta(30) < today
        ):
            consent.withdrawn_at, consent.withdrawn_by = at + timedelta(days=30), recorder
        rows[Consent].append(consent)
