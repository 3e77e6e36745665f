"""A small world in which every role has work waiting at home, and the people next to them have
work of their own that must never show through: built by hand, with known counts.

Moscow (77): `coordinator` and `counsellor` of the fund branch, `clinician` of the clinic (its
care team), `employer` and `provider`, `commander`'s unit, `operator`, `analyst`, `auditor`,
`admin`, and `veteran`, whose record is Смирнов Алексей's. Sverdlovsk (66): `other_coordinator`,
`other_clinician` of another clinic, and their people.

What waits, and for whom (the counts the tests expect):
- coordinator: tasks 3 and 1 days overdue, one due today, one in 3 days, one in 20 (later),
  one done; one task in the branch's queue (besides an appeal's and a referral's task, which
  their own sections list); Кузнецов, coordinated and without a case; Новиков, new and
  without a coordinator (and Орлов in Sverdlovsk, outside the scope); a referral of
  Смирнов's case to the employer, overdue; a referral from Sverdlovsk to the branch to
  answer; two open appeals in the branch's queue, one of them overdue; the follow-up call to
  Принятов, whom the employer hired.
- other_coordinator: an overdue task and an appeal in the Sverdlovsk queue.
- counsellor: one overdue task of their own.
- clinician: one urgent alert, one screening to review, one screening due (Смирнов's);
  other_clinician has the same for Орлова, and a psychological appeal sits in the clinic's
  queue.
- employer: two new candidates (one whose consent to share was withdrawn), one after the
  interview, one hire whose follow-up (the coordinator's call) is 3 days late; another
  employer has a candidate too.
- provider: one applicant and one who accepted a seat; a cohort in 10 days with seats left,
  one full, one in 40 days; another provider has an applicant too.
- commander: one notice in force, one expired, and one to another unit.
- veteran: a career plan, an application in progress, the screening due, their coordinator.
- admin: an account without a role, a dormant one, an import to confirm.
- auditor: one export today.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from tests.conftest import make_organisation, make_user, make_veteran
from tests.wellbeing.world import consent
from waypoint.accounts.models import Organisation, User
from waypoint.appeals import services as appeals
from waypoint.appeals.models import Appeal, RoutingRule
from waypoint.audit.services import record
from waypoint.cases import referrals
from waypoint.cases import services as cases
from waypoint.cases.models import Referral, Task, TaskType
from waypoint.employment.models import Application, Employer, FollowUp, Placement, Vacancy
from waypoint.kit.workdays import end_of_day
from waypoint.orientation.plans import save_plan
from waypoint.people.import_models import ImportJob
from waypoint.people.models import Consent, Veteran
from waypoint.training.models import Cohort, Enrolment, Programme, Provider
from waypoint.wellbeing import services as wellbeing
from waypoint.wellbeing.models import CareTeam, CommandNotice, sealed

MSK = "Europe/Moscow"
P = Consent.Purpose


@dataclass
class HomeWorld:
    coordinator: User
    other_coordinator: User
    counsellor: User
    clinician: User
    other_clinician: User
    operator: User
    employer: User
    provider: User
    commander: User
    analyst: User
    auditor: User
    admin: User
    veteran: User
    smirnov: Veteran
    overdue_appeal: Appeal


def _day(offset: int):
    """The end of the day `offset` days from today: how deadlines are kept."""
    return end_of_day(timezone.localdate() + timedelta(days=offset), MSK)


def _task(title: str, *, offset: int, case=None, assignee=None, queue=None, status="open"):
    kind = TaskType.objects.get(code="documents")
    return Task.objects.create(
        case=case,
        type=kind,
        title=title,
        assignee=assignee,
        queue=queue,
        status=status,
        due_at=_day(offset),
    )


def _alarming_screening(clinician: User, veteran: Veteran):
    """A record whose post-deployment screening found a risk and raised an urgent alert."""
    consent(veteran, clinician)
    record_ = wellbeing.open_record(
        actor=clinician, veteran=veteran, returned_on=timezone.localdate() - timedelta(days=10)
    )
    screening = record_.screenings.get(occasion="post_deployment")
    wellbeing.submit_response(
        actor=clinician, screening=screening, instrument_id="phq2", answers=[3, 2]
    )
    wellbeing.submit_response(
        actor=clinician,
        screening=screening,
        instrument_id="phq9",
        answers=[3, 2, 2, 2, 1, 1, 1, 0, 1],
    )
    return record_


def build_home_world() -> HomeWorld:
    today = timezone.localdate()
    moscow = make_organisation(name="Фонд, филиал: Москва", region_id="77")
    sverdlovsk = make_organisation(name="Фонд, филиал: Екатеринбург", region_id="66")
    coordinator = make_user(
        "coordinator",
        moscow,
        username="marina",
        first_name="Марина",
        last_name="Белова",
        email="marina@fund.example",
    )
    other_coordinator = make_user("coordinator", sverdlovsk, username="oleg")
    counsellor = make_user("career_counsellor", moscow, username="pavel")

    # The coordinator's caseload.
    smirnov = make_veteran(
        coordinator=coordinator,
        last_name="Смирнов",
        first_name="Алексей",
        consents=(P.PERSONAL_DATA, P.SHARE_EMPLOYERS, P.SHARE_TRAINING),
    )
    popova = make_veteran(coordinator=coordinator, last_name="Попова", first_name="Анна")
    make_veteran(coordinator=coordinator, last_name="Кузнецов", first_name="Дмитрий")
    make_veteran(coordinator=None, status=Veteran.Status.NEW, last_name="Новиков")
    make_veteran(coordinator=None, status=Veteran.Status.NEW, last_name="Орлов", region_id="66")
    case = cases.open_case(actor=coordinator, veteran=smirnov)
    other_case = cases.open_case(actor=coordinator, veteran=popova)
    _task("Запросить справку из военкомата", offset=-3, case=case, assignee=coordinator)
    _task("Оценочное собеседование", offset=-1, case=other_case, assignee=coordinator)
    _task("Составить индивидуальный план", offset=0, case=case, assignee=coordinator)
    _task("Позвонить работодателю", offset=3, case=other_case, assignee=coordinator)
    _task("Контрольный звонок через месяц", offset=20, case=case, assignee=coordinator)
    _task("Давно сделанная задача", offset=-9, case=case, assignee=coordinator, status="done")
    _task("Проверить входящие документы", offset=2, queue=moscow)
    _task("Задача профконсультанта", offset=-2, case=case, assignee=counsellor)

    # Sverdlovsk's.
    belov = make_veteran(coordinator=other_coordinator, region_id="66", last_name="Белов")
    belov_case = cases.open_case(actor=other_coordinator, veteran=belov)
    _task("Чужая просроченная задача", offset=-5, case=belov_case, assignee=other_coordinator)

    # Referrals: one of Смирнов's case, overdue; one from Sverdlovsk for the branch to answer.
    employer_org = make_organisation(name="ООО «Погрузка»", kind=Organisation.Kind.EMPLOYER)
    referral = referrals.refer(
        actor=coordinator, case=case, receiver=employer_org, purpose="Водитель погрузчика"
    )
    Referral.objects.filter(pk=referral.pk).update(due_at=_day(-1))
    referrals.refer(
        actor=other_coordinator, case=belov_case, receiver=moscow, purpose="Переезжает в Москву"
    )

    # Appeals.
    hotline = make_organisation(name="Контакт-центр", kind=Organisation.Kind.CALL_CENTRE)
    operator = make_user("call_centre_operator", hotline, username="svetlana")
    clinic = make_organisation(name="Госпиталь, Москва", kind=Organisation.Kind.CLINIC)
    clinician = make_user("clinician", clinic, username="vera")
    RoutingRule.objects.create(topic="employment", region_id="77", organisation=moscow)
    RoutingRule.objects.create(topic="employment", region_id="66", organisation=sverdlovsk)

    def log(veteran: Veteran, topic: str, urgency: str = "ordinary") -> Appeal:
        return appeals.log_appeal(
            actor=operator,
            caller_kind="veteran",
            veteran=veteran,
            topic=topic,
            urgency=urgency,
            description="Прошу перезвонить.",
            contact_channel="phone",
        )

    overdue_appeal = log(smirnov, "employment")
    Appeal.objects.filter(pk=overdue_appeal.pk).update(due_at=_day(-2))
    log(popova, "employment", urgency="urgent")
    log(belov, "employment")
    log(smirnov, "psychological")

    # Well-being: each clinic's care team, and a person in each with an urgent alert.
    CareTeam.objects.create(organisation=clinic, on_duty=clinician)
    other_clinic = make_organisation(
        name="Госпиталь, Екатеринбург", kind=Organisation.Kind.CLINIC, region_id="66"
    )
    other_clinician = make_user("clinician", other_clinic, username="nikolay")
    CareTeam.objects.create(organisation=other_clinic, on_duty=other_clinician)
    smirnov_record = _alarming_screening(clinician, smirnov)
    orlova = make_veteran(coordinator=other_coordinator, region_id="66", last_name="Орлова")
    _alarming_screening(other_clinician, orlova)

    # Command notices.
    unit = make_organisation(name="Войсковая часть 1", kind=Organisation.Kind.DEFENCE_UNIT)
    other_unit = make_organisation(name="Войсковая часть 2", kind=Organisation.Kind.DEFENCE_UNIT)
    commander = make_user("commander", unit, username="viktor")
    for command in (unit, other_unit):
        wellbeing.notify_command(
            actor=clinician,
            record=smirnov_record,
            command=command,
            standard=CommandNotice.Standard.HARM_TO_SELF,
            limitations=[CommandNotice.Limitation.NO_WEAPONS],
            until=today + timedelta(days=30),
            support="Отпускать на приём к врачу.",
        )
    CommandNotice.objects.create(
        record=smirnov_record,
        command=unit,
        standard=CommandNotice.Standard.HARM_TO_SELF,
        limitations=[CommandNotice.Limitation.NO_NIGHT_DUTY],
        limitations_until=today - timedelta(days=1),
        support_sealed=sealed("Истекло."),
        issued_at=timezone.now() - timedelta(days=60),
        issued_by=clinician,
    )

    # Employment: the employer's candidates and hire, and another employer's candidate.
    employer = make_user("employer_staff", employer_org, username="artur")
    company = Employer.objects.create(
        legal_name="ООО «Погрузка»", inn="7707083893", region_id="77", organisation=employer_org
    )
    rival_org = make_organisation(name="ООО «Соперник»", kind=Organisation.Kind.EMPLOYER)
    rival = Employer.objects.create(
        legal_name="ООО «Соперник»", inn="7736207543", region_id="77", organisation=rival_org
    )
    forklift = Vacancy.objects.create(
        source_id="1", employer=company, title="Водитель погрузчика", region_id="77"
    )
    storekeeper = Vacancy.objects.create(
        source_id="2", employer=company, title="Кладовщик", region_id="77"
    )
    rivals = Vacancy.objects.create(
        source_id="3", employer=rival, title="Чужая вакансия", region_id="77"
    )

    def candidate(last_name: str, *, shares: bool = True, coordinator=None) -> Veteran:
        consents = (P.PERSONAL_DATA, P.SHARE_EMPLOYERS) if shares else (P.PERSONAL_DATA,)
        return make_veteran(
            last_name=last_name, first_name="Иван", consents=consents, coordinator=coordinator
        )

    def apply(veteran: Veteran, vacancy: Vacancy, status: str) -> Application:
        return Application.objects.create(veteran=veteran, vacancy=vacancy, status=status)

    apply(smirnov, forklift, Application.Status.PROPOSED)
    apply(candidate("Скрытов", shares=False), forklift, Application.Status.APPLIED)
    apply(candidate("Собеседов"), storekeeper, Application.Status.INTERVIEW)
    apply(candidate("Чужой"), rivals, Application.Status.APPLIED)
    hired = candidate("Принятов", coordinator=coordinator)
    cases.open_case(actor=coordinator, veteran=hired)
    start = today - timedelta(days=95)
    placement = Placement.objects.create(
        application=apply(hired, storekeeper, Application.Status.HIRED),
        veteran=hired,
        employer=company,
        start_date=start,
        salary=60000,
    )
    FollowUp.objects.create(placement=placement, months=3, due_on=today - timedelta(days=3))
    FollowUp.objects.create(placement=placement, months=6, due_on=today + timedelta(days=87))

    # Training: the provider's applicants and cohorts, and another provider's applicant.
    college = make_organisation(name="Колледж", kind=Organisation.Kind.TRAINING_PROVIDER)
    provider = make_user("training_provider_staff", college, username="nina")
    school = Provider.objects.create(
        organisation=college, kind="training_centre", licence_number="Л035-1"
    )
    rival_college = make_organisation(
        name="Другой колледж", kind=Organisation.Kind.TRAINING_PROVIDER
    )
    rival_school = Provider.objects.create(
        organisation=rival_college, kind="training_centre", licence_number="Л035-2"
    )

    def programme(title: str, school_: Provider) -> Programme:
        return Programme.objects.create(
            provider=school_,
            title=title,
            duration_weeks=8,
            format="on_site",
            region_id="77",
            payer="fund",
        )

    crane = programme("Машинист крана", school)
    welding = programme("Сварщик", school)
    soon = Cohort.objects.create(programme=crane, start_date=today + timedelta(days=10), seats=5)
    full = Cohort.objects.create(programme=welding, start_date=today + timedelta(days=5), seats=1)
    Cohort.objects.create(programme=welding, start_date=today + timedelta(days=40), seats=9)
    elsewhere = Cohort.objects.create(
        programme=programme("Чужая программа", rival_school),
        start_date=today + timedelta(days=10),
        seats=9,
    )
    Enrolment.objects.create(veteran=smirnov, cohort=soon, status=Enrolment.Status.APPLIED)
    Enrolment.objects.create(veteran=popova, cohort=full, status=Enrolment.Status.ACCEPTED)
    Enrolment.objects.create(veteran=belov, cohort=elsewhere, status=Enrolment.Status.APPLIED)

    # The veteran's own account, and their career plan.
    veteran = make_user("veteran", username="alexey", first_name="Алексей")
    Veteran.objects.filter(pk=smirnov.pk).update(account=veteran)
    smirnov.refresh_from_db()
    save_plan(actor=None, veteran=smirnov)

    # Oversight.
    admin = make_user(
        "administrator",
        make_organisation(name="Фонд, центральный аппарат"),
        username="galina",
        is_staff=True,
        scope=User.Scope.ALL,
    )
    User.objects.create(username="bez-roli", first_name="Без", last_name="Роли")
    make_user(
        "coordinator", moscow, username="spyaschiy", last_login=timezone.now() - timedelta(days=200)
    )
    ImportJob.objects.create(started_by=admin, filename="ветераны.csv", status="checked")
    auditor = make_user("auditor", make_organisation(name="Инспекция"), username="alla")
    analyst = make_user(
        "labour_analyst",
        make_organisation(name="Центр занятости", kind=Organisation.Kind.EMPLOYMENT_CENTRE),
        username="timofey",
    )
    record(actor=coordinator, action="people.veteran.export", subject=coordinator)
    return HomeWorld(
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        counsellor=counsellor,
        clinician=clinician,
        other_clinician=other_clinician,
        operator=operator,
        employer=employer,
        provider=provider,
        commander=commander,
        analyst=analyst,
        auditor=auditor,
        admin=admin,
        veteran=veteran,
        smirnov=smirnov,
        overdue_appeal=overdue_appeal,
    )
