"""Vocational orientation: evidence from the registry → the ranking core → stored, explained
recommendations; and the decisions people take about them."""

from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.audit.services import build, record, record_all
from waypoint.matching.orientation import Explanation, strengths
from waypoint.orientation import access, credentials, explanations, plans, profiles
from waypoint.orientation.engine import Engine, engine_for
from waypoint.orientation.models import CareerPlan, Feedback, OrientationRun, Recommendation
from waypoint.people.models import Veteran
from waypoint.taxonomy import display
from waypoint.taxonomy.models import Occupation
from waypoint.training.models import Enrolment

RUN = access.RUN
FEEDBACK = access.FEEDBACK
TOP = 10
BATCH = 512
# Every record is ranked, whatever its status: someone in training, employed or paused still
# has a plan to follow, and a closed case may open again (issue 17: 66 of 300 demo veterans had
# no ranking when only new and active ones were ranked).
ORIENTED_STATUSES = tuple(Veteran.Status.values)


class NoEvidence(LookupError):
    """Nothing recorded for the veteran says what they can do: a ranking would be noise."""


@dataclass(frozen=True)
class Result:
    occupation_id: int
    uri: str
    label: str
    isco_group: str
    rank: int
    score: float
    terms: dict[str, float]
    matched: list[dict]
    missing: list[dict]
    transfers: list[dict]
    specialties: list[str]  # military specialties (as written) that lead here: the crosswalk


def parameters(engine: Engine) -> dict:
    ranker = engine.ranker
    return {
        name: getattr(ranker, name)
        for name in (
            "essential_weight",
            "optional_weight",
            "demand_weight",
            "pay_weight",
            "preference_weight",
            "specialty_weight",
            "transfer_cap",
        )
    } | {"sources": _source_weights()}


def _source_weights() -> dict:
    return {
        "confirmed": profiles.CONFIRMED,
        "declared": profiles.DECLARED,
        "licence": profiles.LICENCE,
        "licence_document": credentials.DOCUMENT,
        "course_completed": credentials.DOCUMENT,
        "civilian_job": list(profiles.JOB),
        "military_specialty": list(profiles.MILITARY),
        "duties": profiles.DUTIES,
    }


def recommend(engine: Engine, evidences: list[profiles.Evidence], k: int = TOP):
    """Ranked, explained occupations for each evidence, scored in blocks."""
    results: list[list[Result]] = []
    for start in range(0, len(evidences), BATCH):
        block = evidences[start : start + BATCH]
        rows = profiles.to_profiles(engine, block)
        scores = engine.ranker.score(rows)
        ranking = engine.ranker.rank_scores(scores, k)
        skills = rows.skills.tocsr()
        for row, evidence in enumerate(block):
            strength = strengths(skills, row)
            results.append(
                [
                    _result(
                        engine,
                        evidence,
                        engine.ranker.explain(rows, row, int(o), scores, strength),
                        rank,
                    )
                    for rank, o in enumerate(ranking.indices[row].tolist(), start=1)
                    if o >= 0
                ]
            )
    return results


def _result(engine: Engine, evidence, explanation: Explanation, rank: int) -> Result:
    def skill(position: int) -> dict:
        return {"uri": engine.skill_uris[position], "label": engine.skill_labels[position]}

    o = explanation.occupation
    return Result(
        occupation_id=int(engine.occupation_pks[o]),
        uri=engine.occupation_uris[o],
        label=engine.occupation_labels[o],
        isco_group=engine.isco_groups[o],
        rank=rank,
        score=round(explanation.score, 6),
        terms={name: round(value, 6) for name, value in explanation.terms.items()},
        matched=[
            skill(s) | {"sources": evidence.sources.get(s, [])}
            for s in explanation.matched.tolist()
        ],
        missing=[skill(s) for s in explanation.missing.tolist()],
        transfers=[
            {"required": skill(t.required), "held": skill(t.held), "credit": round(t.credit, 4)}
            for t in explanation.transfers
        ],
        specialties=list(evidence.leads_to.get(o, [])),
    )


def what_if(data: object, k: int = TOP) -> list[Result]:
    """Recommendations for a profile that is not in the registry (nothing is stored)."""
    engine = engine_for()
    return recommend(engine, [profiles.from_json(engine, data)], k)[0]


def _veterans_with_evidence():
    return Veteran.objects.select_related("preferences", "work_limitation").prefetch_related(
        "service_records",
        "civilian_jobs",
        "skills",
        "education",
        "preferences__regions",
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).select_related(
                "cohort__programme"
            ),
        ),
        "enrolments__cohort__programme__skills",
        Prefetch(
            "orientation_feedback",
            queryset=Feedback.objects.only("occupation_id", "decision", "veteran_id"),
        ),
    )


def _store(engine: Engine, found: list[tuple[Veteran, list[Result]]], actor: User | None):
    """Keep the runs of a batch: two inserts, whatever the batch size."""
    used = parameters(engine)
    runs = OrientationRun.objects.bulk_create(
        [
            OrientationRun(
                veteran=veteran,
                taxonomy_id=engine.taxonomy_id,
                taxonomy_version=engine.taxonomy_name,
                parameters=used,
                created_by=actor,
            )
            for veteran, _results in found
        ]
    )
    _insert_recommendations(
        [
            (
                run.pk,
                r.occupation_id,
                r.rank,
                r.score,
                r.terms,
                r.matched,
                r.missing,
                r.transfers,
                r.specialties,
            )
            for run, (_veteran, results) in zip(runs, found, strict=True)
            for r in results
        ]
    )
    return runs


RECOMMENDATION_COLUMNS = (
    "run_id",
    "occupation_id",
    "rank",
    "score",
    "terms",
    "matched",
    "missing",
    "transfers",
    "specialties",
)


def _insert_recommendations(rows: list[tuple]) -> None:
    """executemany past the ORM's per-object work: batch
    orientation writes ten rows per veteran. JSON goes through the fields' own adaptation."""
    if not rows:
        return
    fields = [Recommendation._meta.get_field(c.removesuffix("_id")) for c in RECOMMENDATION_COLUMNS]
    json_positions = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    quote = connection.ops.quote_name
    # Only constant, quoted identifiers go into the statement; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(Recommendation._meta.db_table),
        ", ".join(quote(c) for c in RECOMMENDATION_COLUMNS),
        ", ".join(["%s"] * len(RECOMMENDATION_COLUMNS)),
    )
    prepared = []
    for row in rows:
        values = list(row)
        for i in json_positions:
            # RECOMMENDATION_COLUMNS are the model's own columns, never a reverse relation.
            values[i] = fields[i].get_db_prep_save(values[i], connection)  # type: ignore[union-attr]
        prepared.append(values)
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


def orient_veteran(*, actor: User, veteran: Veteran, k: int = TOP) -> OrientationRun:
    """Rank occupations for one veteran now and keep the result."""
    if not access.may_run(actor, veteran):
        raise PermissionDenied(RUN)
    return orient_one(veteran, k, actor=actor)


def evidence_of(engine: Engine, veterans: list[Veteran]) -> list[profiles.Evidence]:
    """The registry's evidence, its sources worded in English whoever asked: they are stored,
    and each reader sees them in their own language (explanations.source_text)."""
    with translation.override("en"):
        return profiles.from_registry(engine, veterans)


def has_evidence(evidence: profiles.Evidence) -> bool:
    """A skill from any source, or an occupation the veteran asked for."""
    return bool(evidence.strength or evidence.preferred)


def orient_one(veteran: Veteran, k: int = TOP, *, actor: User | None = None) -> OrientationRun:
    """Rank and store, without a permission check (the command line, background work).
    NoEvidence when nothing recorded says what the veteran can do."""
    engine = engine_for()
    veteran = _veterans_with_evidence().get(pk=veteran.pk)
    (evidence,) = evidence_of(engine, [veteran])
    if not has_evidence(evidence):
        raise NoEvidence(_("Nothing recorded yet says what this veteran can do."))
    results = recommend(engine, [evidence], k)[0]
    with transaction.atomic():
        (run,) = _store(engine, [(veteran, results)], actor)
        record(
            actor=actor,
            action="orientation.run",
            subject=run,
            changes={"occupations": [None, len(results)]},
        )
    return run


def orient_all(*, k: int = TOP, batch: int = BATCH, progress=None) -> int:
    """Rank occupations for every veteran with evidence, a batch at a time (memory grows with
    the batch, not with the registry); returns how many were ranked. Those with nothing to go
    on are left unranked: their page says what to add.

    Each stored run is audited as a single run is (by the system), in its batch's
    transaction."""
    engine = engine_for()
    done, seen, last = 0, 0, 0
    while True:
        veterans = list(
            _veterans_with_evidence()
            .filter(pk__gt=last, status__in=ORIENTED_STATUSES)
            .order_by("pk")[:batch]
        )
        if not veterans:
            return done
        found = [
            (veteran, evidence)
            for veteran, evidence in zip(veterans, evidence_of(engine, veterans), strict=True)
            if has_evidence(evidence)
        ]
        results = recommend(engine, [evidence for _veteran, evidence in found], k)
        ranked = [(veteran, items) for (veteran, _e), items in zip(found, results, strict=True)]
        with transaction.atomic():
            runs = _store(engine, ranked, None)
            record_all(
                [
                    build(
                        actor=None,
                        action="orientation.run",
                        subject=run,
                        changes={"occupations": [None, len(items)]},
                    )
                    for run, (_veteran, items) in zip(runs, ranked, strict=True)
                ]
            )
        done += len(found)
        seen += len(veterans)
        last = veterans[-1].pk
        if progress:
            progress(seen)


def first_run(veteran: Veteran) -> OrientationRun | None:
    """The latest ranking; when there is none yet and the record holds evidence, one made
    now (by the system), so everyone with evidence has a ranking the first time anyone looks."""
    run = OrientationRun.objects.filter(veteran=veteran).select_related("created_by").first()
    if run is not None:
        return run
    try:
        return orient_one(veteran)
    except LookupError:  # nothing to go on, or no active taxonomy
        return None


def plan_to_show(veteran: Veteran, version: int | None = None) -> CareerPlan | None:
    """That version of the career plan; without one, the latest, made now (by the system)
    when there is none yet, so the plan can be read the first time anyone looks."""
    found = CareerPlan.objects.filter(veteran=veteran)
    if version is not None:
        return found.filter(version=version).first()
    return found.first() or plans.save_plan(actor=None, veteran=veteran)


def give_feedback(
    *, actor: User, veteran: Veteran, occupation: Occupation, decision: str, reason: str = ""
) -> Feedback:
    """Accept, reject (with a reason) or add an occupation by hand; the latest decision counts.
    Staff who may edit the veteran can, and so can the veteran on their own record."""
    if not access.may_decide(actor, veteran):
        raise PermissionDenied(FEEDBACK)
    if decision not in Feedback.Decision.values:
        raise ValidationError({"decision": [_("one of: accepted, rejected, added")]})
    reason = reason.strip()
    if decision == Feedback.Decision.REJECTED and not reason:
        raise ValidationError({"reason": [_("say why the occupation does not fit")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [_("at most 500 characters")]})
    if occupation.is_military:
        raise ValidationError({"occupation": [_("choose a civilian occupation")]})
    with transaction.atomic():
        before = Feedback.objects.filter(veteran=veteran, occupation=occupation).first()
        feedback, _created = Feedback.objects.update_or_create(
            veteran=veteran,
            occupation=occupation,
            defaults={"decision": decision, "reason": reason, "given_by": actor},
        )
        record(
            actor=actor,
            action="orientation.feedback",
            subject=feedback,
            changes={
                "decision": [before.decision if before else None, decision],
                "occupation": [None, occupation.pk],
            },
        )
        plans.save_plan(actor=actor, veteran=veteran)  # the plan follows the decisions
    return feedback


def as_dicts(results: list[Result]) -> list[dict]:
    return [asdict(result) for result in results]


def results_of(run: OrientationRun) -> list[dict]:
    """The run's recommendations, with the Russian names of occupations and skills
    (label_ru) beside the English labels stored at ranking time."""
    items = [
        {
            "occupation_id": item.occupation_id,
            "uri": item.occupation.uri,
            "label": item.occupation.preferred_label,
            "isco_group": item.occupation.isco_group,
            "rank": item.rank,
            "score": item.score,
            "terms": item.terms,
            "matched": item.matched,
            "missing": item.missing,
            "transfers": item.transfers,
            "specialties": item.specialties,
        }
        for item in run.items.select_related("occupation")
    ]
    return display.name_results(items, run.taxonomy_id)


def readable_results(run: OrientationRun, veteran: Veteran, language: str) -> list[dict]:
    """results_of, as a reader sees them (explanations.prepare): sentences, a course."""
    covered = credentials.covered_now(veteran)
    return explanations.prepare(
        results_of(run), region=veteran.region_id, language=language, covered=covered
    )
