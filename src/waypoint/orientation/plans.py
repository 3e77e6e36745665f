"""The individual career plan: a dated snapshot of where a veteran is going and how.

The content is data (codes, labels in both languages, ISO dates), so any version renders in
English or Russian, as a printable page or a PDF, exactly as it was agreed. A new version is
kept whenever the content changes; old versions stay.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypoint.accounts.models import User
from waypoint.audit.services import record
from waypoint.employment.models import Placement
from waypoint.kit.dates import local_date
from waypoint.orientation import access, credentials, explanations
from waypoint.orientation.models import CareerPlan, Feedback, OrientationRun
from waypoint.people.models import Veteran
from waypoint.taxonomy import display
from waypoint.taxonomy.models import Occupation, Skill
from waypoint.training.models import Programme
from waypoint.training.selectors import programmes_closing_gap

PROPOSED = 3  # occupations taken from the latest ranking when none was accepted yet
HELD = 3  # skills the veteran has, named in the plan's words for each occupation
SKILLS_PER_STEP = 4
TRAINING_STEPS = 3


def build_content(veteran: Veteran, today: date | None = None) -> dict:
    """What the plan says today: chosen occupations, skills to build, dated steps."""
    today = today or timezone.localdate()
    run = OrientationRun.objects.filter(veteran=veteran).first()
    ranked = {item.occupation_id: item for item in run.items.all()} if run else {}
    decisions = {
        f.occupation_id: f.decision
        for f in Feedback.objects.filter(veteran=veteran).exclude(
            decision=Feedback.Decision.REJECTED
        )
    }
    chosen = list(decisions)
    if not chosen and run:
        chosen = [item.occupation_id for item in run.items.order_by("rank")[:PROPOSED]]
    occupations = Occupation.objects.in_bulk(chosen)
    russian = {pk: names[0] for pk, names in display.names(Occupation, chosen).items()}
    # What the veteran's licences, completed courses and confirmed skills cover is never
    # missing and never trained for, even when the ranking was made before they were recorded.
    covered = credentials.covered_now(veteran)
    missing_of = {
        pk: [s for s in ranked[pk].missing if s["uri"] not in covered] if pk in ranked else []
        for pk in chosen
    }
    held_of = {pk: ranked[pk].matched[:HELD] if pk in ranked else [] for pk in chosen}
    uris = {s["uri"] for skills in (*missing_of.values(), *held_of.values()) for s in skills}
    skill_ru = display.skill_names_by_uri(run.taxonomy_id if run else None, uris)

    def skill(s: dict) -> dict:
        return {"uri": s["uri"], "label_en": s["label"], "label_ru": skill_ru.get(s["uri"], "")}

    plan_occupations = []
    for pk in chosen:
        occupation = occupations.get(pk)
        if occupation is None:
            continue
        missing = missing_of[pk]
        plan_occupations.append(
            {
                "id": pk,
                "uri": occupation.uri,
                "label_en": occupation.preferred_label,
                "label_ru": russian.get(pk, ""),
                "isco_group": occupation.isco_group,
                "status": decisions.get(pk, "proposed"),
                "held": [skill(s) for s in held_of[pk]],
                "sources": list(
                    dict.fromkeys(source for s in held_of[pk] for source in s.get("sources", []))
                ),
                "missing": [skill(s) for s in missing],
                "course": _course(pk, missing, veteran.region_id),
            }
        )
    content = {
        "veteran": {
            "name": veteran.full_name,
            "region": veteran.region_id,
            "service": [
                {
                    "specialty": s.specialty,
                    "rank": s.rank,
                    "from": s.start_date.year,
                    "to": s.end_date.year if s.end_date else None,
                }
                for s in veteran.service_records.all()
            ],
            "jobs": [
                {"title": j.title, "employer": j.employer, "from": j.start_year, "to": j.end_year}
                for j in veteran.civilian_jobs.all()
            ],
            "education": [e.level for e in veteran.education.all()],
            "licences": veteran.licence_categories,
        },
        "occupations": plan_occupations,
        "steps": _steps(plan_occupations, today),
        "coordinator": _coordinator(veteran.coordinator),
        "ranking": {"run": run.pk, "taxonomy": run.taxonomy_version} if run else None,
    }
    return at_work(content, veteran, today)


def at_work(content: dict, veteran: Veteran, today: date) -> dict:
    """The plan as it reads on `today`: once the veteran holds a job found through the
    programme, it says where and since when, and its steps are the follow-up calls."""
    work = _work(veteran, today)
    if work is None:
        return content
    return {**content, "work": work, "steps": _work_steps(work)}


def _course(occupation_id: int, missing: list[dict], region: str) -> dict | None:
    """The open course that best closes the gap (explanations.course_of), with the URIs of
    the missing skills it teaches."""
    uris = [s["uri"] for s in missing]
    course = explanations.course_of(programmes_closing_gap(occupation_id, uris, region))
    if course is not None:
        course["skills"] = sorted(
            Skill.objects.filter(
                pk__in=Programme.skills.through.objects.filter(programme_id=course["id"]).values(
                    "skill_id"
                ),
                uri__in=uris,
            ).values_list("uri", flat=True)
        )
    return course


def _steps(occupations: list[dict], today: date) -> list[dict]:
    def due(days: int) -> str:
        return (today + timedelta(days=days)).isoformat()

    steps = [{"kind": "agree", "due": due(7)}, {"kind": "cv", "due": due(14)}]
    taught: set[str] = set()
    courses: set[int] = set()
    for occupation in occupations:
        course = occupation.get("course")
        if not course or not course["skills"] or course["id"] in courses:
            continue
        courses.add(course["id"])
        teaches = [s for s in occupation["missing"] if s["uri"] in course["skills"]]
        taught |= {s["uri"] for s in teaches}
        steps.append(
            {
                "kind": "course",
                "course": {k: course[k] for k in ("id", "title", "provider", "weeks", "start")},
                "skills": teaches,
                "due": course["start"] or due(30),
            }
        )
    skills: list[dict] = []
    for occupation in occupations:
        for skill in occupation["missing"]:
            if skill["uri"] not in taught and skill["uri"] not in {s["uri"] for s in skills}:
                skills.append(skill)
    for number in range(min(TRAINING_STEPS, -(-len(skills) // SKILLS_PER_STEP))):
        chunk = skills[number * SKILLS_PER_STEP : (number + 1) * SKILLS_PER_STEP]
        steps.append({"kind": "training", "skills": chunk, "due": due(30 * (number + 1) + 14)})
    after_training = 30 * (len([s for s in steps if s["kind"] in ("training", "course")]) + 1) + 14
    steps += [
        {"kind": "register", "due": due(21)},
        {
            "kind": "apply",
            "occupations": [
                {
                    "label_en": o["label_en"],
                    "label_ru": o["label_ru"],
                    "isco_group": o["isco_group"],
                }
                for o in occupations
            ],
            "due": due(after_training),
        },
        {"kind": "review", "due": due(after_training + 30)},
    ]
    return sorted(steps, key=lambda step: step["due"])


def _work(veteran: Veteran, today: date) -> dict | None:
    placement = (
        Placement.objects.filter(veteran=veteran, start_date__lte=today)
        .filter(Q(ended_on=None) | Q(ended_on__gt=today))
        .select_related("employer", "application__vacancy")
        .prefetch_related("follow_ups")
        .order_by("-start_date", "-pk")
        .first()
    )
    if placement is None:
        return None
    return {
        "title": placement.application.vacancy.title,
        "employer": placement.employer.legal_name,
        "since": placement.start_date.isoformat(),
        "follow_ups": [[f.months, f.due_on.isoformat()] for f in placement.follow_ups.all()],
    }


def _work_steps(work: dict) -> list[dict]:
    return [
        {"kind": "work", "title": work["title"], "employer": work["employer"], "due": work["since"]}
    ] + [{"kind": "follow_up", "months": months, "due": due} for months, due in work["follow_ups"]]


def _coordinator(user: User | None) -> dict | None:
    if user is None:
        return None
    return {
        "name": user.get_full_name() or user.username,
        "email": user.email,
        "organisation": user.organisation.name if user.organisation_id else "",
    }


def save_plan(*, actor: User | None, veteran: Veteran) -> CareerPlan:
    """Keep a new version when the content differs from the latest one; return the latest.
    actor None: made by the system (the first version, shown before anyone asked)."""
    if actor is not None and not access.may_run(actor, veteran):
        raise PermissionDenied(access.RUN)
    content = build_content(veteran)
    with transaction.atomic():
        latest = CareerPlan.objects.select_for_update().filter(veteran=veteran).first()
        if latest is not None and _same(latest.content, content):
            return latest
        plan = CareerPlan.objects.create(
            veteran=veteran,
            version=(latest.version + 1) if latest else 1,
            content=content,
            created_by=actor,
        )
        record(
            actor=actor,
            action="orientation.plan",
            subject=plan,
            changes={"version": [None, plan.version]},
        )
    return plan


def _same(old: dict, new: dict) -> bool:
    """Equal but for the dates, which move with the day the plan is made."""

    def undated(content: dict) -> dict:
        return {
            **content,
            "steps": [{k: v for k, v in s.items() if k != "due"} for s in content["steps"]],
        }

    return undated(old) == undated(new)


def _training_skills(content: dict) -> dict[str, dict]:
    return {
        s["uri"]: s
        for step in content["steps"]
        if step["kind"] == "training"
        for s in step["skills"]
    }


def changes(previous: dict | None, current: dict) -> list[dict]:
    """What one version of a plan changed from the one before, from the stored contents alone:
    occupations added, removed or decided on; steps added, removed or done; skills added to
    the training or taken off it; a new coordinator; the profile. The first version says so.

    A step or a skill to learn counts as done when it leaves the plan while every skill it
    was for is no longer missing for an occupation the plan still holds (a course completed,
    a document or a confirmed skill now covers it); when its occupation left, it is removed.
    The other steps (agree, CV, register, apply, review) are in every version, dated from the
    day it was made, and are not listed; dates alone never make a version."""
    if previous is None:
        return [{"kind": "first"}]
    said: list[dict] = []
    before = {o["uri"]: o for o in previous["occupations"]}
    after = {o["uri"]: o for o in current["occupations"]}
    said += [
        {"kind": "occupation_added", "occupation": o} for u, o in after.items() if u not in before
    ]
    said += [
        {"kind": "occupation_removed", "occupation": o} for u, o in before.items() if u not in after
    ]
    said += [
        {"kind": "occupation_decided", "occupation": o, "was": before[u]["status"]}
        for u, o in after.items()
        if u in before and before[u]["status"] != o["status"]
    ]
    missing_now = {s["uri"] for o in current["occupations"] for s in o["missing"]}
    # Skills the occupations still in the plan were missing before.
    still_wanted = {s["uri"] for u, o in before.items() if u in after for s in o["missing"]}

    def done(skills: list[dict]) -> bool:
        uris = {s["uri"] for s in skills}
        return bool(uris) and uris <= still_wanted and not uris & missing_now

    # Courses compare as steps; training steps (skills four at a time) compare skill by skill.
    old_steps = {s["course"]["id"]: s for s in previous["steps"] if s["kind"] == "course"}
    new_steps = {s["course"]["id"]: s for s in current["steps"] if s["kind"] == "course"}
    for key, step in new_steps.items():
        if key not in old_steps:
            said.append({"kind": "step_added", "step": step})
    for key, step in old_steps.items():
        if key not in new_steps:
            gone = "step_done" if done(step.get("skills", [])) else "step_removed"
            said.append({"kind": gone, "step": step})
    old_training, new_training = _training_skills(previous), _training_skills(current)
    added = [s for u, s in new_training.items() if u not in old_training]
    if added:
        said.append({"kind": "training_added", "skills": added})
    taught_now = {s["uri"] for step in new_steps.values() for s in step["skills"]}
    left = [s for u, s in old_training.items() if u not in new_training and u not in taught_now]
    learnt = [s for s in left if done([s])]
    if learnt:
        said.append({"kind": "training_done", "skills": learnt})
    dropped = [s for s in left if s not in learnt]
    if dropped:
        said.append({"kind": "training_removed", "skills": dropped})
    was, now = previous.get("coordinator"), current.get("coordinator")
    if (was or {}).get("name") != (now or {}).get("name"):
        said.append({"kind": "coordinator", "was": was, "now": now})
    if previous["veteran"] != current["veteran"]:
        said.append({"kind": "profile"})
    held, holds = _job(previous.get("work")), _job(current.get("work"))
    if holds and holds != held:
        said.append({"kind": "work", "work": current["work"]})
    elif held and not holds:
        said.append({"kind": "work_ended", "work": previous["work"]})
    return said


def _job(work: dict | None) -> tuple | None:
    return (work["title"], work["employer"], work["since"]) if work else None


def change_texts(said: list[dict], language: str) -> list[str]:
    """changes() in words, in English or Russian."""

    def names(skills: list[dict]) -> str:
        return explanations.listed(
            [explanations.quoted(display.term(s, language).text) for s in skills]
        )

    with translation.override(language):
        texts = []
        for change in said:
            kind = change["kind"]
            if kind == "first":
                texts.append(_("The first version of the plan."))
            elif kind.startswith("occupation_"):
                values = {
                    "occupation": display.term(change["occupation"], language).text,
                    "status": _status(change["occupation"]["status"]),
                    "was": _status(change.get("was", "")),
                }
                texts.append(
                    {
                        "occupation_added": _("Occupation added: %(occupation)s (%(status)s)."),
                        "occupation_removed": _("Occupation removed: %(occupation)s."),
                        "occupation_decided": _("%(occupation)s: now %(status)s (was: %(was)s)."),
                    }[kind]
                    % values
                )
            elif kind.startswith("step_"):
                values = {
                    "step": step_text(change["step"], language),
                    "date": local_date(change["step"]["due"]),
                }
                texts.append(
                    {
                        "step_added": _("Step added (by %(date)s): %(step)s"),
                        "step_removed": _("Step removed: %(step)s"),
                        "step_done": _("Step done: %(step)s"),
                    }[kind]
                    % values
                )
            elif kind.startswith("training_"):
                texts.append(
                    {
                        "training_added": _("Training: skills to learn added: %(skills)s."),
                        "training_removed": _(
                            "Training: skills no longer in the plan: %(skills)s."
                        ),
                        "training_done": _("Training: skills now held: %(skills)s."),
                    }[kind]
                    % {"skills": names(change["skills"])}
                )
            elif kind == "coordinator":
                texts.append(
                    _("Coordinator: %(now)s (before: %(was)s).")
                    % {
                        "now": (change["now"] or {}).get("name") or _("not assigned"),
                        "was": (change["was"] or {}).get("name") or _("not assigned"),
                    }
                )
            elif kind == "profile":
                texts.append(_("Profile updated: service, jobs, education or driving licences."))
            elif kind == "work":
                texts.append(work_text(change["work"]))
            elif kind == "work_ended":
                texts.append(_("No longer at work as %(title)s at %(employer)s.") % change["work"])
        return texts or [
            _("Occupations, steps and training unchanged; the skills behind them were read again.")
        ]


def changes_of(plan: CareerPlan, language: str) -> list[str]:
    """What this version changed from the version before it, in words."""
    previous = (
        CareerPlan.objects.filter(veteran_id=plan.veteran_id, version__lt=plan.version)
        .order_by("-version")
        .first()
    )
    return change_texts(changes(previous.content if previous else None, plan.content), language)


def step_text(step: dict, language: str) -> str:
    """One step of the plan, in words."""
    with translation.override(language):
        if step["kind"] == "training":
            skills = explanations.listed(
                [explanations.quoted(display.term(s, language).text) for s in step["skills"]]
            )
            return _("Training: learn %(skills)s") % {"skills": skills}
        if step["kind"] == "course":
            course = step["course"]
            skills = explanations.listed(
                [explanations.quoted(display.term(s, language).text) for s in step["skills"]]
            )
            text = _(
                "Take the course %(title)s at %(provider)s (%(duration)s): it teaches %(skills)s."
            )
            return text % {
                "title": explanations.quoted(course["title"]),
                "provider": course["provider"],
                "duration": explanations.duration(course["weeks"]),
                "skills": skills,
            }
        texts = {
            "agree": _("Agree this plan with your coordinator"),
            "cv": _("Write a CV together with your coordinator"),
            "register": _("Register with the employment centre and start looking at vacancies"),
            "review": _("Review progress with your coordinator"),
        }
        if step["kind"] == "work":
            return _("Start work as %(title)s at %(employer)s") % {
                "title": step["title"],
                "employer": step["employer"],
            }
        if step["kind"] == "follow_up":
            return ngettext(
                "Follow-up call from your coordinator %(months)s month after the start",
                "Follow-up call from your coordinator %(months)s months after the start",
                step["months"],
            ) % {"months": step["months"]}
        if step["kind"] == "apply":
            names = [display.term(o, language).text for o in step["occupations"]]
            return _("Apply for jobs as: %(occupations)s") % {
                "occupations": ", ".join(names) or "—"
            }
        return texts[step["kind"]]


def work_text(work: dict) -> str:
    return _("At work: %(title)s, %(employer)s, since %(date)s") % {
        "title": work["title"],
        "employer": work["employer"],
        "date": local_date(work["since"]),
    }


def readable(content: dict, language: str) -> dict:
    """The parts of a plan that read differently by language: occupations with their label
    and status in words, and each step in words (for the page and the PDF alike)."""

    def name(entry: dict) -> str:
        return display.term(entry, language).text

    with translation.override(language):
        return {
            "work": work_text(content["work"]) if content.get("work") else "",
            "occupations": [
                {
                    **o,
                    "label": name(o),
                    "status_text": _status(o["status"]),
                    "sentences": explanations.sentences(
                        occupation=name(o),
                        held=[name(s) for s in o.get("held", [])],
                        sources=explanations.sources_text(o.get("sources", []), language),
                        missing=[name(s) for s in o["missing"]],
                        course=o.get("course"),
                    )
                    # Nothing to say of an occupation added by hand, outside the ranking.
                    if o.get("held") or o.get("missing")
                    else [],
                }
                for o in content["occupations"]
            ],
            "steps": [
                {"due": local_date(step["due"]), "text": step_text(step, language)}
                for step in content["steps"]
            ],
        }


def signatories(content: dict) -> list[tuple[str, str]]:
    """Who signs the plan: the veteran and the coordinator (role, name; a blank name when no
    coordinator is assigned), in the active language."""
    return [
        (_("Veteran"), content["veteran"]["name"]),
        (_("Coordinator"), (content["coordinator"] or {}).get("name", "")),
    ]


def _status(status: str) -> str:
    return {
        "accepted": _("accepted"),
        "added": _("added by hand"),
        "proposed": _("proposed"),
    }.get(status, status)
