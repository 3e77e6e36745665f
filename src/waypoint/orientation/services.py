"""Vocational orientation: evidence from the registry → the ranking core → stored, explained
recommendations; and the decisions people take about them."""

from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.audit.services import record
from waypoint.matching.orientation import Explanation, strengths
from waypoint.orientation import plans, profiles
from waypoint.orientation.engine import Engine, engine_for
from waypoint.orientation.models import Feedback, OrientationRun, Recommendation
from waypoint.people.models import Veteran
from waypoint.people.selectors import can_act_for
from waypoint.taxonomy import display
from waypoint.taxonomy.models import Occupation

RUN = "orientation.run_orientation"
FEEDBACK = "orientation.give_orientation_feedback"
TOP = 10
BATCH = 512
ORIENTED_STATUSES = (Veteran.Status.NEW, Veteran.Status.ACTIVE)


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
        row = list(row)
        for i in json_positions:
            row[i] = fields[i].get_db_prep_save(row[i], connection)
        prepared.append(row)
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


def orient_veteran(*, actor: User, veteran: Veteran, k: int = TOP) -> OrientationRun:
    """Rank occupations for one veteran now and keep the result."""
    if not can_act_for(actor, veteran, RUN):
        raise PermissionDenied(RUN)
    return orient_one(veteran, k, actor=actor)


def orient_one(veteran: Veteran, k: int = TOP, *, actor: User | None = None) -> OrientationRun:
    """Rank and store, without a permission check (the command line, background work)."""
    engine = engine_for()
    veteran = _veterans_with_evidence().get(pk=veteran.pk)
    results = recommend(engine, profiles.from_registry(engine, [veteran]), k)[0]
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
    """Rank occupations for every active veteran, a batch at a time (memory grows with the
    batch, not with the registry)."""
    engine = engine_for()
    done, last = 0, 0
    while True:
        veterans = list(
            _veterans_with_evidence()
            .filter(pk__gt=last, status__in=ORIENTED_STATUSES)
            .order_by("pk")[:batch]
        )
        if not veterans:
            return done
        results = recommend(engine, profiles.from_registry(engine, veterans), k)
        with transaction.atomic():
            _store(engine, list(zip(veterans, results, strict=True)), None)
        done += len(veterans)
        last = veterans[-1].pk
        if progress:
            progress(done)


def give_feedback(
    *, actor: User, veteran: Veteran, occupation: Occupation, decision: str, reason: str = ""
) -> Feedback:
    """Accept, reject (with a reason) or add an occupation by hand; the latest decision counts.
    Staff who may edit the veteran can, and so can the veteran on their own record."""
    if not can_act_for(actor, veteran, FEEDBACK):
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
