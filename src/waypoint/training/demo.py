"""Demo training offer: each demo college publishes programmes with cohorts, and some demo
veterans are at various steps of enrolment."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import Organisation, User
from waypoint.people.models import Consent, Veteran
from waypoint.taxonomy.models import Occupation, Skill
from waypoint.training.models import Cohort, Enrolment, Programme, Provider

STARTER = "urn:waypoint:starter:"
PROGRAMMES = [
    # title, weeks, format, payer, occupation keys, skill keys
    (
        "Водитель категории C и CE",
        10,
        "on_site",
        "fund",
        ["truck_driver", "long_haul_driver"],
        ["drive_truck", "drive_articulated", "road_traffic_rules", "tachograph"],
    ),
    (
        "Электрогазосварщик",
        16,
        "on_site",
        "state",
        ["welder", "pipe_welder"],
        ["arc_welding", "mig_welding", "gas_cutting", "welding_symbols"],
    ),
    (
        "Электромонтёр по ремонту и обслуживанию электрооборудования",
        20,
        "on_site",
        "fund",
        ["electrician", "maintenance_electrician"],
        ["electrical_installation", "electrical_safety", "read_electrical_diagrams"],
    ),
    (
        "Оператор беспилотных авиационных систем",
        8,
        "mixed",
        "fund",
        ["drone_operator", "aerial_survey_specialist"],
        ["uav_piloting", "airspace_rules", "uav_mission_planning", "uav_regulations_ru"],
    ),
    (
        "Специалист технической поддержки",
        12,
        "online",
        "state",
        ["it_support"],
        ["it_helpdesk", "install_os", "network_setup", "ticket_systems"],
    ),
    (
        "Охранник 4–6 разряда",
        6,
        "on_site",
        "veteran",
        ["security_guard", "armed_security_guard"],
        ["guard_premises", "private_security_law", "use_of_force", "first_aid"],
    ),
]


def build_training_demo(*, seed: int = 2026) -> None:
    rng = random.Random(seed)
    today = timezone.localdate()
    occupations = {o.uri: o for o in Occupation.objects.filter(uri__startswith=STARTER)}
    skills = {s.uri: s for s in Skill.objects.filter(uri__startswith=STARTER)}
    colleges = Organisation.objects.filter(kind=Organisation.Kind.TRAINING_PROVIDER)
    with transaction.atomic():
        cohorts = []
        for number, organisation in enumerate(colleges):
            provider = Provider.objects.create(
                organisation=organisation,
                kind=Provider.Kind.VOCATIONAL_SCHOOL,
                licence_number=f"Л035-01{number:03d}-{organisation.region_id}/00{number:06d}",
                email=f"priem{number}@college.example",
            )
            for title, weeks, form, payer, jobs, taught in rng.sample(PROGRAMMES, 4):
                programme = Programme.objects.create(
                    provider=provider,
                    title=title,
                    duration_weeks=weeks,
                    format=form,
                    region_id=organisation.region_id,
                    payer=payer,
                    cost=0 if payer == "free" else rng.choice([18_000, 35_000, 60_000]),
                    location=organisation.name,
                )
                programme.occupations.set(
                    [
                        occupations[STARTER + "occupation:" + j]
                        for j in jobs
                        if STARTER + "occupation:" + j in occupations
                    ]
                )
                programme.skills.set(
                    [
                        skills[STARTER + "skill:" + s]
                        for s in taught
                        if STARTER + "skill:" + s in skills
                    ]
                )
                for months in (1, 3):
                    cohorts.append(
                        Cohort.objects.create(
                            programme=programme,
                            start_date=today + timedelta(days=30 * months),
                            seats=rng.choice([10, 12, 15, 20]),
                        )
                    )
        _enrolments(rng, cohorts)


def _enrolments(rng: random.Random, cohorts: list[Cohort]) -> None:
    sharing = list(
        Veteran.objects.filter(
            consents__purpose=Consent.Purpose.SHARE_TRAINING, consents__withdrawn_at=None
        )
        .exclude(coordinator=None)
        .distinct()[:80]
    )
    steps = ["recommended", "applied", "offered", "accepted", "enrolled"]
    for veteran in sharing:
        local = [c for c in cohorts if c.programme.region_id == veteran.region_id] or cohorts
        cohort = rng.choice(local)
        taken = cohort.enrolments.filter(status__in=["accepted", "enrolled"]).count()
        reached = rng.choice(steps if taken < cohort.seats else steps[:3])
        actor: User = veteran.coordinator
        history = [
            [step, timezone.now().isoformat(), actor.pk]
            for step in steps[: steps.index(reached) + 1]
        ]
        Enrolment.objects.create(
            veteran=veteran, cohort=cohort, status=reached, history=history, created_by=actor
        )
