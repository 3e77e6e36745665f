"""Synthetic but plausible demo data: agencies, one user per role, and veterans.

Deterministic for a seed. Everything is invented; any likeness to a real person is chance.
Rows are written directly (not through the services, which would ask for a request's actor
at every step) but hold what the services would have written, creation audit included.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import Organisation, User
from waypoint.accounts.roles import ROLES_BY_CODE
from waypoint.audit.services import record
from waypoint.kit.transliteration import to_latin
from waypoint.people.coding import suggest_all
from waypoint.people.consents import CURRENT_VERSION
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

REGIONS = {
    "77": ("Москва", "Moscow"),
    "50": ("Московская область", "Moscow Oblast"),
    "78": ("Санкт-Петербург", "Saint Petersburg"),
    "66": ("Свердловская область", "Sverdlovsk Oblast"),
    "61": ("Ростовская область", "Rostov Oblast"),
    "54": ("Новосибирская область", "Novosibirsk Oblast"),
    "23": ("Краснодарский край", "Krasnodar Krai"),
}
REGION_WEIGHTS = {"77": 20, "50": 14, "78": 14, "66": 14, "61": 14, "54": 12, "23": 12}
CITIES = {
    "77": "Москва",
    "50": "Подольск",
    "78": "Санкт-Петербург",
    "66": "Екатеринбург",
    "61": "Ростов-на-Дону",
    "54": "Новосибирск",
    "23": "Краснодар",
}
STREETS = [
    "ул. Ленина",
    "ул. Мира",
    "ул. Гагарина",
    "пр. Победы",
    "ул. Советская",
    "ул. Молодёжная",
    "ул. Садовая",
    "ул. Строителей",
    "ул. Заводская",
]

MALE_FIRST = [
    "Александр",
    "Сергей",
    "Дмитрий",
    "Андрей",
    "Алексей",
    "Максим",
    "Евгений",
    "Иван",
    "Михаил",
    "Артём",
    "Николай",
    "Владимир",
    "Роман",
    "Денис",
    "Павел",
    "Олег",
    "Игорь",
    "Виктор",
    "Константин",
    "Юрий",
    "Руслан",
    "Тимур",
    "Ильдар",
    "Арсений",
    "Кирилл",
    "Вадим",
    "Станислав",
    "Григорий",
]
FEMALE_FIRST = [
    "Елена",
    "Ольга",
    "Наталья",
    "Анна",
    "Татьяна",
    "Ирина",
    "Мария",
    "Екатерина",
    "Светлана",
    "Юлия",
    "Марина",
    "Дарья",
]
SURNAMES = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королёв",
    "Гусев",
    "Киселёв",
    "Ильин",
    "Максимов",
    "Поляков",
    "Сорокин",
    "Виноградов",
    "Ковалёв",
    "Белов",
    "Медведев",
    "Антонов",
    "Тарасов",
    "Жуков",
    "Баранов",
    "Филиппов",
    "Комаров",
    "Давыдов",
    "Беляев",
    "Гарипов",
    "Хабибуллин",
    "Шарипов",
    "Магомедов",
    "Алиев",
]
PATRONYMIC_ROOTS = [
    "Александров",
    "Сергеев",
    "Дмитриев",
    "Андреев",
    "Алексеев",
    "Иванов",
    "Михайлов",
    "Николаев",
    "Владимиров",
    "Викторов",
    "Юрьев",
    "Петров",
    "Олегов",
    "Игорев",
    "Васильев",
    "Геннадьев",
    "Анатольев",
]
ENGLISH_NAMES = [
    ("Smith", "John"),
    ("Miller", "David"),
    ("Brown", "Michael"),
    ("Wilson", "James"),
    ("Taylor", "Robert"),
]


@dataclass(frozen=True)
class Specialty:
    text: str
    code: str
    branch: str
    ranks: tuple[str, ...]
    skills: tuple[str, ...]


SPECIALTIES = [
    Specialty(
        "механик-водитель БМП-3",
        "037182",
        "ground",
        ("private", "corporal", "sergeant"),
        ("вождение гусеничной техники", "техническое обслуживание дизельных двигателей"),
    ),
    Specialty(
        "командир отделения мотострелкового взвода",
        "100182",
        "ground",
        ("junior_sergeant", "sergeant", "senior_sergeant"),
        ("руководство небольшой группой", "обучение личного состава"),
    ),
    Specialty(
        "оператор БПЛА",
        "",
        "ground",
        ("private", "corporal", "sergeant"),
        ("управление беспилотными летательными аппаратами", "обработка видеоданных"),
    ),
    Specialty(
        "санитарный инструктор",
        "901182",
        "ground",
        ("private", "corporal", "sergeant"),
        ("оказание первой помощи", "транспортировка раненых"),
    ),
    Specialty(
        "водитель-электрик",
        "837037",
        "ground",
        ("private", "corporal"),
        ("вождение грузового автомобиля", "ремонт электрооборудования автомобилей"),
    ),
    Specialty(
        "старший разведчик",
        "106182",
        "airborne",
        ("corporal", "junior_sergeant", "sergeant"),
        ("работа с картой и навигация", "наблюдение и доклады"),
    ),
    Specialty(
        "связист-телефонист",
        "420182",
        "ground",
        ("private", "corporal"),
        ("монтаж линий связи", "работа с радиостанциями"),
    ),
    Specialty(
        "наводчик-оператор",
        "031182",
        "ground",
        ("private", "corporal", "junior_sergeant"),
        ("работа с оптическими приборами", "техническое обслуживание вооружения"),
    ),
    Specialty(
        "сапёр",
        "155182",
        "ground",
        ("private", "corporal", "sergeant"),
        ("инженерная разведка местности", "работа со взрывоопасными предметами"),
    ),
    Specialty(
        "повар",
        "878182",
        "ground",
        ("private", "corporal"),
        ("приготовление пищи в больших объёмах", "санитарные нормы питания"),
    ),
    Specialty(
        "механик по ремонту автомобильной техники",
        "862037",
        "ground",
        ("private", "corporal", "sergeant"),
        ("ремонт двигателей", "диагностика автомобильной техники"),
    ),
    Specialty(
        "командир взвода",
        "",
        "ground",
        ("lieutenant", "senior_lieutenant", "captain"),
        ("управление подразделением", "планирование и отчётность"),
    ),
    Specialty(
        "техник по обслуживанию авиационной техники",
        "",
        "aerospace",
        ("warrant_officer", "senior_warrant_officer"),
        ("техническое обслуживание воздушных судов", "чтение технической документации"),
    ),
    Specialty(
        "моторист корабельный",
        "",
        "navy",
        ("private", "corporal", "starshina"),
        ("обслуживание судовых дизелей", "вахтенная служба"),
    ),
    Specialty(
        "старшина роты",
        "",
        "ground",
        ("starshina", "warrant_officer"),
        ("учёт имущества и снабжение", "руководство хозяйственной работой"),
    ),
    Specialty(
        "заместитель командира батальона",
        "",
        "ground",
        ("major", "lieutenant_colonel"),
        ("управление коллективом", "организация служебной деятельности"),
    ),
]
JOBS = [
    ("водитель", "ООО «ТрансЛогистик»", "Перевозка грузов по области, учёт путевых листов."),
    ("охранник", "ЧОП «Щит»", "Пропускной режим, обход территории, видеонаблюдение."),
    ("слесарь-ремонтник", "АО «Уралмаш»", "Ремонт и наладка станочного оборудования."),
    ("продавец-консультант", "ООО «Эльдорадо»", "Консультирование покупателей, выкладка."),
    ("электромонтёр", "МУП «Горэлектросеть»", "Обслуживание распределительных сетей 0,4 кВ."),
    ("сварщик", "ООО «СтройМонтаж»", "Ручная дуговая сварка металлоконструкций."),
    ("кладовщик", "ООО «Вайлдберриз»", "Приёмка и отгрузка товара, работа с WMS."),
    ("автомеханик", "СТО «Мотор»", "Диагностика и ремонт легковых автомобилей."),
    ("монтажник", "ООО «Ростелеком-Сервис»", "Прокладка кабеля, подключение абонентов."),
    ("тракторист", "СПК «Колос»", "Полевые работы, обслуживание техники."),
]
EDUCATION = [
    ("secondary_general", "МБОУ СОШ № 12", ""),
    ("vocational_worker", "Колледж транспорта и сервиса", "Автомеханик"),
    ("vocational_specialist", "Политехнический колледж", "Техническая эксплуатация оборудования"),
    ("vocational_worker", "Строительный колледж", "Сварщик"),
    ("bachelor", "Уральский федеральный университет", "Менеджмент"),
    (
        "specialist",
        "Рязанское высшее воздушно-десантное командное училище",
        "Управление подразделениями",
    ),
    ("bachelor", "Донской государственный технический университет", "Информатика"),
]
DESIRED = [
    "водитель грузовика",
    "охранник",
    "электромонтёр",
    "оператор БПЛА",
    "сварщик",
    "мастер участка",
    "инструктор по вождению",
    "специалист по логистике",
    "слесарь-ремонтник",
    "муниципальный служащий",
    "фельдшер",
    "монтажник связи",
]
DEPLOYMENTS = [
    "Зона СВО, 2022–2023",
    "Зона СВО, 2023–2024",
    "Сирийская Арабская Республика, 2019",
    "Северо-Кавказский регион, 2010",
]


def _organisations(rng: random.Random) -> dict[str, dict[str, Organisation]]:
    by_region: dict[str, dict[str, Organisation]] = {}
    for code, (name_ru, _name_en) in REGIONS.items():
        city = CITIES[code]
        names = {
            Organisation.Kind.FUND_BRANCH: f"Фонд «Защитники Отечества», филиал: {name_ru}",
            Organisation.Kind.EMPLOYMENT_CENTRE: f"Центр занятости населения: {name_ru}",
            Organisation.Kind.TRAINING_PROVIDER: f"Колледж транспорта и сервиса, {city}",
            Organisation.Kind.EMPLOYER: rng.choice(
                ["ООО «ТрансЛогистик»", "АО «СтройИнвест»", "МУП «Водоканал»"]
            )
            + f", {city}",
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


DEMO_USERS = [
    # username, role, region, organisation kind, first name, last name
    ("admin", "administrator", "77", Organisation.Kind.FUND_BRANCH, "Галина", "Орлова"),
    ("coordinator", "coordinator", "77", Organisation.Kind.FUND_BRANCH, "Марина", "Белова"),
    ("coordinator_ekb", "coordinator", "66", Organisation.Kind.FUND_BRANCH, "Олег", "Щербаков"),
    (
        "coordinator_rostov",
        "coordinator",
        "61",
        Organisation.Kind.FUND_BRANCH,
        "Ирина",
        "Гончаренко",
    ),
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
    ("commander", "commander", "50", Organisation.Kind.DEFENCE_UNIT, "Виктор", "Рябов"),
    (
        "records",
        "clinical_record_keeper",
        "77",
        Organisation.Kind.CLINIC,
        "Алла",
        "Зуева",
    ),
    ("analyst", "labour_analyst", "77", Organisation.Kind.EMPLOYMENT_CENTRE, "Тимофей", "Лазарев"),
    ("auditor", "auditor", "77", Organisation.Kind.FUND_BRANCH, "Алла", "Крылова"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str


def build_demo(*, seed: int = 2026, veterans: int = 300) -> list[DemoLogin]:
    """Create the demo world in an empty database; returns the logins to print."""
    rng = random.Random(seed)
    with transaction.atomic():
        organisations = _organisations(rng)
        logins, users = _users(organisations)
        coordinators = {
            code: [
                u
                for u in users.values()
                if u.region_code == code
                and u.has_perm("people.change_veteran")
                and u.organisation.kind == Organisation.Kind.FUND_BRANCH
            ]
            for code in REGIONS
        }
        for number in range(veterans):
            _veteran(rng, number, organisations, coordinators, users)
        _self_service_veteran()
        suggest_all()  # which occupation each specialty and job stands for
    logins.append(DemoLogin("veteran", str(ROLES_BY_CODE["veteran"].label), "—"))
    return logins


def _users(organisations) -> tuple[list[DemoLogin], dict[str, User]]:
    logins, users = [], {}
    for username, role, region, kind, first, last in DEMO_USERS:
        organisation = organisations[region][kind]
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            organisation=organisation,
            scope=ROLES_BY_CODE[role].default_scope,
            is_staff=role == "administrator",
            is_superuser=role == "administrator",
            email=f"{username}@waypoint.example",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        users[username] = User.objects.get(pk=user.pk)  # fresh permission cache
        logins.append(DemoLogin(username, str(ROLES_BY_CODE[role].label), str(organisation)))
    return logins, users


def _pick_region(rng: random.Random) -> str:
    codes, weights = zip(*REGION_WEIGHTS.items(), strict=True)
    return rng.choices(codes, weights)[0]


def _veteran(rng, number, organisations, coordinators, users) -> Veteran:
    region = _pick_region(rng)
    female = rng.random() < 0.12
    english = rng.random() < 0.03
    if english:
        last, first = rng.choice(ENGLISH_NAMES)
        patronymic, last_latin, first_latin = "", last, first
    else:
        surname = rng.choice(SURNAMES)
        first = rng.choice(FEMALE_FIRST if female else MALE_FIRST)
        root = rng.choice(PATRONYMIC_ROOTS)
        if female:
            last = surname + "а" if surname.endswith(("ов", "ёв", "ев", "ин")) else surname
            patronymic = root + "на"
        else:
            last, patronymic = surname, root + "ич"
        last_latin, first_latin = to_latin(last), to_latin(first)
    today = timezone.localdate()
    birth = date(rng.randint(1966, 2004), rng.randint(1, 12), rng.randint(1, 28))
    status = rng.choices(
        ["new", "active", "in_training", "employed", "paused", "closed"], [12, 40, 15, 22, 6, 5]
    )[0]
    coordinator = rng.choice(coordinators[region]) if coordinators.get(region) else None
    if status == "new" or coordinator is None:
        coordinator, status = None, "new"
    channel = rng.choices(["coordinator", "phone", "self_service", "import"], [50, 30, 10, 10])[0]
    veteran = Veteran.objects.create(
        last_name=last,
        first_name=first,
        patronymic=patronymic,
        last_name_latin=last_latin,
        first_name_latin=first_latin,
        birth_date=birth,
        sex="f" if female else "m",
        phone=f"+79{rng.randint(10, 99)}{number:07d}"[:12],
        email=f"{last_latin.lower()}.{number}@mail.example" if rng.random() < 0.6 else "",
        region_id=region,
        address=f"{CITIES[region]}, {rng.choice(STREETS)}, "
        f"д. {rng.randint(1, 120)}, кв. {rng.randint(1, 300)}",
        driving_licences=rng.choice(["B", "B,C", "B,C,CE", "", "B,C,D", "B"]),
        status=status,
        coordinator=coordinator,
        branch=organisations[region][Organisation.Kind.FUND_BRANCH],
        intake_channel=channel,
    )
    recorder = coordinator or users["operator"]
    record(
        actor=recorder,
        action="people.veteran.create",
        subject=veteran,
        changes={"last_name": [None, last], "region": [None, region]},
    )
    _consents(rng, veteran, recorder, today)
    _service(rng, veteran, birth, today)
    _background(rng, veteran, birth, today, coordinator)
    return veteran


def _consents(rng, veteran, recorder, today) -> None:
    given_at = timezone.now() - timedelta(days=rng.randint(5, 400))
    purposes = ["personal_data"]
    purposes += [
        p
        for p, chance in (
            ("share_employers", 0.6),
            ("share_training", 0.5),
            ("contact", 0.8),
            ("health_data", 0.2),
        )
        if rng.random() < chance
    ]
    for purpose in purposes:
        Consent.objects.create(
            veteran=veteran,
            purpose=purpose,
            text_version=CURRENT_VERSION,
            channel=rng.choice(["in_person", "phone", "paper"]),
            given_at=given_at,
            recorded_by=recorder,
        )
    if "contact" in purposes and rng.random() < 0.05:
        Consent.objects.filter(veteran=veteran, purpose="contact").update(
            withdrawn_at=given_at + timedelta(days=30), withdrawn_by=recorder
        )
    if "health_data" in purposes:
        WorkLimitation.objects.create(
            veteran=veteran,
            disability_group=rng.choice(["none", "3", "3", "2"]),
            restrictions=rng.sample(list(WorkLimitation.Restriction.values), rng.randint(1, 3)),
            notes="Заключение ВВК, ограниченно годен.",
            recorded_by=recorder,
            valid_until=today + timedelta(days=rng.randint(90, 720)),
        )


def _service(rng, veteran, birth, today) -> None:
    specialty = rng.choice(SPECIALTIES)
    earliest = max(birth.year + 18, 1990)
    start = date(rng.randint(earliest, max(earliest, today.year - 2)), rng.randint(1, 12), 1)
    end = min(start + timedelta(days=rng.randint(365, 365 * 12)), today - timedelta(days=20))
    combat = rng.random() < 0.55
    ServiceRecord.objects.create(
        veteran=veteran,
        branch=specialty.branch,
        specialty=specialty.text,
        specialty_code=specialty.code,
        rank=rng.choice(specialty.ranks),
        start_date=start,
        end_date=max(end, start + timedelta(days=180)),
        deployments=rng.choice(DEPLOYMENTS) if combat else "",
        combat_veteran=combat,
        discharge_reason=rng.choice(
            [
                "contract_end",
                "mobilisation_end",
                "health",
                "contract_end",
                "age" if birth.year < 1975 else "contract_end",
            ]
        ),
    )
    for skill in specialty.skills:
        DeclaredSkill.objects.create(
            veteran=veteran, name=skill, level=rng.choice(["intermediate", "advanced", "expert"])
        )


def _background(rng, veteran, birth, today, coordinator) -> None:
    level, institution, field_of_study = rng.choice(EDUCATION)
    Education.objects.create(
        veteran=veteran,
        level=level,
        institution=institution,
        field_of_study=field_of_study,
        graduation_year=min(birth.year + rng.randint(17, 23), today.year),
    )
    if rng.random() < 0.7:
        title, employer, duties = rng.choice(JOBS)
        start = min(birth.year + rng.randint(19, 26), today.year - 1)
        CivilianJob.objects.create(
            veteran=veteran,
            title=title,
            employer=employer,
            start_year=start,
            end_year=min(start + rng.randint(1, 6), today.year),
            duties=duties,
        )
    LanguageSkill.objects.create(veteran=veteran, language="ru", level="native")
    if rng.random() < 0.2:
        LanguageSkill.objects.create(
            veteran=veteran, language="en", level=rng.choice(["A2", "B1", "B2"])
        )
    if coordinator is not None and rng.random() < 0.4:
        DeclaredSkill.objects.filter(veteran=veteran).update(
            confirmed_by=coordinator, confirmed_at=timezone.now()
        )
    preferences = Preferences.objects.create(
        veteran=veteran,
        willing_to_relocate=rng.random() < 0.25,
        remote_work=rng.choice(["no", "hybrid", "no", "preferred"]),
        desired_occupations="\n".join(rng.sample(DESIRED, rng.randint(1, 2))),
        expected_salary=rng.choice([45000, 60000, 70000, 80000, 95000, 120000]),
    )
    preferences.regions.add(veteran.region_id)


def _self_service_veteran() -> None:
    """A veteran with an account of their own, to show self-service."""
    account = User(username="veteran", first_name="Алексей", last_name="Смирнов")
    account.set_password(DEMO_PASSWORD)
    account.save()
    account.groups.add(Group.objects.get(name="veteran"))
    veteran = (
        Veteran.objects.filter(region_id="77", account=None)
        .exclude(status="closed")
        .order_by("pk")
        .first()
    )
    if veteran is not None:
        veteran.account = account
        veteran.save(update_fields=["account"])
