"""Adapter: the registry and the vacancies → matching.jobs arrays → ranked, explained matches.

Vacancies: every open vacancy (waypoint.labour.market says which are open and what each
pays), indexed once per process and rebuilt when a vacancy changes (labour.version() is the
index's key). Required skills are the ones the
employer named, or else the essential skills of the occupation the title reads as.

Candidates: one pool of every consenting veteran's features, in the shared cache (Redis or the
database) so every process on every machine ranks from the same pool; a process keeps the copy
it last read while the shared stamp says it is still the current one.

Veterans: their orientation fit (the occupation ranker's scores, best occupations, scaled so
the veteran's best is 1), the skills evidence orientation uses, and their preferences. Work
limitations only ever act as a hard filter: no match shows or explains them to anyone.
"""

import uuid
from dataclasses import dataclass
from threading import Lock

import numpy as np
import scipy.sparse as sp
from django.core.cache import caches
from django.db.models import Q, QuerySet
from django.utils import timezone

from waypoint.employment.models import Vacancy
from waypoint.labour import market as labour
from waypoint.matching.jobs import Seekers, Vacancies, VacancyMatcher
from waypoint.orientation import profiles, rules
from waypoint.orientation.engine import Engine, engine_for
from waypoint.people.models import Consent, Preferences, Veteran, WorkLimitation
from waypoint.regions.models import Region
from waypoint.taxonomy import display
from waypoint.taxonomy.models import Skill

FIT_OCCUPATIONS = 50  # the best occupations per veteran that carry fit
TOP = 20
SEEKERS_TTL = 300  # seconds the shared candidate pool is reused before it is rebuilt
POOL_KEY = "employment:candidate-pool"  # (stamp, ids, seekers)
STAMP_KEY = "employment:candidate-pool-stamp"  # ((taxonomy, consenting count), build id)
R = WorkLimitation.Restriction
BIT = {code: np.uint16(1 << i) for i, code in enumerate(R.values)}
REMOTE = {
    Preferences.RemoteWork.NO: 0,
    Preferences.RemoteWork.HYBRID: 1,
    Preferences.RemoteWork.PREFERRED: 2,
    Preferences.RemoteWork.ONLY: 3,
}
NIGHT_SCHEDULES = {Vacancy.Schedule.SHIFT, Vacancy.Schedule.ROTATION}
SHORT_HOURS = {Vacancy.Employment.PART, Vacancy.Employment.INTERNSHIP}


@dataclass(frozen=True)
class VacancyIndex:
    key: tuple
    engine: Engine
    pks: np.ndarray
    vacancies: Vacancies
    matcher: VacancyMatcher

    def position(self, pk: int) -> int | None:
        at = int(np.searchsorted(self.pks, pk))
        return at if at < len(self.pks) and self.pks[at] == pk else None


@dataclass(frozen=True)
class Match:
    vacancy_id: int
    veteran_id: int
    score: float
    terms: dict[str, float]
    matched: list[str]
    missing: list[str]
    location: str | None


_lock = Lock()
_index: dict[str, VacancyIndex] = {}
_pool: dict[str, tuple] = {}


def regions() -> list[str]:
    return list(Region.objects.order_by("code").values_list("code", flat=True))


def vacancy_index() -> VacancyIndex:
    engine = engine_for()
    key = (engine.taxonomy_id, *labour.version())
    with _lock:
        current = _index.get("vacancies")
        if current is None or current.key != key:
            current = _build_index(engine, key)
            _index["vacancies"] = current
        return current


def _build_index(engine: Engine, key: tuple) -> VacancyIndex:
    codes = regions()
    region_at = {code: i for i, code in enumerate(codes)}
    rows = list(
        labour.with_pay(labour.open_vacancies())
        .order_by("pk")
        .values_list(
            "pk",
            "occupation_id",
            "region_id",
            "schedule",
            "employment_type",
            "pay",
            "veteran_quota",
            "accessible_for",
        )
    )
    pks = np.array([row[0] for row in rows], dtype=np.int64)
    occupation = np.array(
        [engine.occupation_position.get(row[1], -1) for row in rows], dtype=np.int32
    )
    schedule = np.array([row[3] for row in rows], dtype=object)
    employment = np.array([row[4] for row in rows], dtype=object)
    # The matcher's `salary_max` is the vacancy's pay figure: the one labour.pay() defines.
    salary = np.array([np.nan if row[5] is None else row[5] for row in rows], dtype=np.float32)
    vacancies = Vacancies(
        occupation=occupation,
        skills=_required_skills(engine, pks, occupation),
        region=np.array([region_at[row[2]] for row in rows], dtype=np.int32),
        remote=schedule == Vacancy.Schedule.REMOTE,
        salary_max=salary,
        quota=np.array([row[6] > 0 for row in rows], dtype=bool),
        conflicts=_conflicts(engine, occupation, schedule, employment, [row[7] for row in rows]),
    )
    return VacancyIndex(
        key=key,
        engine=engine,
        pks=pks,
        vacancies=vacancies,
        matcher=VacancyMatcher().fit(vacancies),
    )


def _required_skills(engine: Engine, pks: np.ndarray, occupation: np.ndarray) -> sp.csr_matrix:
    n_skills = len(engine.skill_pks)
    through = Vacancy.skills.through.objects.filter(vacancy_id__in=pks.tolist()).values_list(
        "vacancy_id", "skill_id"
    )
    rows, cols = [], []
    for vacancy_id, skill_id in through:
        column = engine.skill_position.get(skill_id)
        if column is not None:
            rows.append(int(np.searchsorted(pks, vacancy_id)))
            cols.append(column)
    named = sp.csr_matrix(
        (np.ones(len(rows), np.float32), (rows, cols)), shape=(len(pks), n_skills)
    )
    named.data[:] = 1.0
    essential = _essential_matrix(engine)
    coded = np.where(occupation >= 0, occupation, 0)
    fallback = essential[coded]
    use_fallback = (np.diff(named.indptr) == 0) & (occupation >= 0)
    return (named + sp.diags(use_fallback.astype(np.float32)) @ fallback).tocsr()


def _essential_matrix(engine: Engine) -> sp.csr_matrix:
    memo = engine.memo
    if "essential_matrix" not in memo:
        lengths = [len(skills) for skills in engine.essential_of]
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        indices = (
            np.concatenate(engine.essential_of).astype(np.int64)
            if engine.essential_of
            else np.zeros(0, np.int64)
        )
        memo["essential_matrix"] = sp.csr_matrix(
            (np.ones(len(indices), np.float32), indices, indptr),
            shape=(len(engine.essential_of), len(engine.skill_pks)),
        )
    return memo["essential_matrix"]


def _conflicts(engine, occupation, schedule, employment, accessible) -> np.ndarray:
    """The limitations each vacancy cannot accommodate: its occupation's (rules.py), night
    shifts on shift and rotation schedules, reduced hours on full-time work, unless the
    employer marked it suitable."""
    memo = engine.memo
    if "limitation_bits" not in memo:
        by_occupation = np.zeros(len(engine.isco_groups), dtype=np.uint16)
        for i, isco in enumerate(engine.isco_groups):
            for code, bit in BIT.items():
                if rules.ruled_out_by_limitations(isco, [code]):
                    by_occupation[i] |= bit
        memo["limitation_bits"] = by_occupation
    conflicts = np.where(occupation >= 0, memo["limitation_bits"][occupation], 0).astype(np.uint16)
    conflicts[np.isin(schedule, list(NIGHT_SCHEDULES))] |= BIT[R.NO_NIGHT_SHIFTS]
    conflicts[~np.isin(employment, list(SHORT_HOURS)) & (schedule != "flexible")] |= BIT[
        R.REDUCED_HOURS
    ]
    for i, codes in enumerate(accessible):
        for code in codes or ():
            if code in BIT:
                conflicts[i] &= ~BIT[code]
    return conflicts


def seekers_for(engine: Engine, veterans: list[Veteran]) -> Seekers:
    codes = regions()
    region_at = {code: i for i, code in enumerate(codes)}
    evidences = profiles.from_registry(engine, veterans)
    fit = _fit(engine, evidences)
    skills = profiles.to_profiles(engine, evidences).skills.tocsr().astype(np.float32)
    preferences = {
        p.veteran_id: p
        for p in Preferences.objects.filter(veteran__in=veterans).prefetch_related("regions")
    }
    today = timezone.localdate()
    limits = {
        w.veteran_id: w.restrictions
        for w in WorkLimitation.objects.filter(veteran__in=veterans).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
    }
    rows, cols = [], []
    relocate, remote, salary, bits = [], [], [], []
    for i, veteran in enumerate(veterans):
        p = preferences.get(veteran.pk)
        for region in p.regions.all() if p else ():
            if region.pk != veteran.region_id:
                rows.append(i)
                cols.append(region_at[region.pk])
        relocate.append(bool(p and p.willing_to_relocate))
        remote.append(REMOTE.get(p.remote_work, 1) if p else 1)
        salary.append(p.expected_salary if p and p.expected_salary else np.nan)
        mask = np.uint16(0)
        for code in limits.get(veteran.pk, ()):
            mask |= BIT.get(code, np.uint16(0))
        bits.append(mask)
    m = len(veterans)
    return Seekers(
        fit=fit,
        skills=skills,
        region=np.array([region_at[v.region_id] for v in veterans], dtype=np.int32),
        regions=sp.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, cols)), shape=(m, len(codes))
        ),
        relocate=np.array(relocate, dtype=bool),
        remote=np.array(remote, dtype=np.int8),
        expected_salary=np.array(salary, dtype=np.float32),
        limitations=np.array(bits, dtype=np.uint16),
    )


def _fit(engine: Engine, evidences: list) -> sp.csr_matrix:
    """The ranker's scores for the best occupations, scaled so each veteran's best is 1."""
    n_occupations = len(engine.occupation_pks)
    if not evidences:
        return sp.csr_matrix((0, n_occupations), dtype=np.float32)
    rows = profiles.to_profiles(engine, evidences)
    total = np.asarray(engine.ranker.score(rows).total, dtype=np.float32)
    k = min(FIT_OCCUPATIONS, n_occupations)
    best = np.argpartition(-np.nan_to_num(total, neginf=-1e9), k - 1, axis=1)[:, :k]
    values = np.take_along_axis(total, best, axis=1)
    values = np.where(np.isfinite(values) & (values > 0), values, 0)
    top = values.max(axis=1, keepdims=True)
    values = np.divide(values, top, out=np.zeros_like(values), where=top > 0)
    m = len(evidences)
    matrix = sp.csr_matrix(
        (values.ravel(), (np.repeat(np.arange(m), k), best.ravel())), shape=(m, n_occupations)
    )
    matrix.eliminate_zeros()
    return matrix


def _explained(index: VacancyIndex, seekers: Seekers, row: int, col: int, veteran_id: int):
    explanation = index.matcher.explain(seekers, row, col)
    engine = index.engine
    shown = [*explanation.matched.tolist(), *explanation.missing.tolist()]
    russian = display.names(Skill, [int(engine.skill_pks[s]) for s in shown])
    labels = {
        s: display.Term(
            engine.skill_labels[s], russian.get(int(engine.skill_pks[s]), ("", ""))[0]
        ).text
        for s in shown
    }
    return Match(
        vacancy_id=int(index.pks[col]),
        veteran_id=veteran_id,
        score=round(float(explanation.score), 4),
        terms={name: round(float(value), 4) for name, value in explanation.terms.items()},
        matched=[labels[s] for s in explanation.matched.tolist()],
        missing=[labels[s] for s in explanation.missing.tolist()],
        location=explanation.location,
    )


def vacancies_for(veteran: Veteran, k: int = TOP) -> list[Match]:
    """The vacancies that suit a veteran best, explained."""
    index = vacancy_index()
    if not len(index.pks):
        return []
    seekers = seekers_for(index.engine, [veteran])
    found, _scores = index.matcher.top_vacancies(seekers, k)
    return [_explained(index, seekers, 0, int(col), veteran.pk) for col in found[0] if col >= 0]


def _consenting() -> "QuerySet[Veteran]":
    return Veteran.objects.filter(
        consents__purpose=Consent.Purpose.SHARE_EMPLOYERS, consents__withdrawn_at=None
    ).distinct()


def candidate_pool(engine: Engine) -> tuple[list[int], Seekers]:
    """Every veteran who shared their profile with employers, as seekers: one pool shared by
    every process, rebuilt after SEEKERS_TTL seconds (a coordinator's edit shows in the next
    pool) or at once when the number of consenting veterans changes.

    The pool is features only, never the answer to "may an employer see this person":
    candidates_for asks the database that for every candidate it returns.
    """
    key = (engine.taxonomy_id, _consenting().count())
    shared = caches["default"]
    stamp = shared.get(STAMP_KEY)
    if stamp is not None and stamp[0] == key:
        with _lock:
            local = _pool.get("pool")
        if local is not None and local[0] == stamp:
            return local[1], local[2]
        found = shared.get(POOL_KEY)
        if found is not None and found[0] == stamp:
            with _lock:
                _pool["pool"] = found
            return found[1], found[2]
    veterans = list(_consenting().order_by("pk"))
    seekers = seekers_for(engine, veterans)
    ids = [v.pk for v in veterans]
    built = ((key, uuid.uuid4().hex), ids, seekers)
    # The pool before its stamp: whoever reads the new stamp finds the pool it names.
    shared.set(POOL_KEY, built, timeout=SEEKERS_TTL)
    shared.set(STAMP_KEY, built[0], timeout=SEEKERS_TTL)
    with _lock:
        _pool["pool"] = built
    return ids, seekers


def candidates_for(vacancy: Vacancy, k: int = TOP, among: set[int] | None = None) -> list[Match]:
    """The consenting veterans who suit a vacancy best, explained; `among` keeps to those
    veteran ids (a coordinator's scope).

    Consent is read from the database for the candidates found, on every call: a withdrawal
    takes effect at once, however old the pool. Those who withdrew are passed over and the
    search widens until k consenting candidates are found or the pool is exhausted.
    """
    index = vacancy_index()
    col = index.position(vacancy.pk)
    if col is None:
        return []
    ids, seekers = candidate_pool(index.engine)
    if among is not None:
        keep = np.flatnonzero(np.isin(np.array(ids, dtype=np.int64), list(among)))
        ids, seekers = [ids[i] for i in keep], seekers.take(keep)
    wanted = k
    while ids:
        found, _scores = index.matcher.top_candidates(seekers, col, wanted)
        rows = [int(row) for row in found if row >= 0]
        consenting = set(
            _consenting().filter(pk__in=[ids[row] for row in rows]).values_list("pk", flat=True)
        )
        kept = [row for row in rows if ids[row] in consenting]
        if len(kept) >= k or len(rows) < wanted or wanted >= len(ids):
            return [_explained(index, seekers, row, col, ids[row]) for row in kept[:k]]
        wanted *= 2
    return []


def forget() -> None:
    """Drop the indexes of this process and the shared candidate pool (tests; after a bulk
    change)."""
    caches["default"].delete_many([POOL_KEY, STAMP_KEY])
    with _lock:
        _index.clear()
        _pool.clear()
