"""Veterans × vacancies: known answers for every term and constraint, exactness of the ranked
lists against brute force, explanations, and input checks."""

import math

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from waypoint.matching.jobs import (
    STRENGTH_STEP,
    TERMS,
    Seekers,
    Vacancies,
    VacancyMatcher,
)

NAN = float("nan")
N_OCCUPATIONS, N_SKILLS, N_REGIONS = 4, 6, 3


def make_vacancies(
    required: list[list[int]],
    *,
    occupation: list[int] | None = None,
    region: list[int] | None = None,
    remote: list[bool] | None = None,
    salary: list[float] | None = None,
    quota: list[bool] | None = None,
    conflicts: list[int] | None = None,
    n_skills: int = N_SKILLS,
) -> Vacancies:
    n = len(required)
    rows = [row for row, skills in enumerate(required) for _ in skills]
    columns = [skill for skills in required for skill in skills]
    return Vacancies(
        occupation=np.array(occupation or [0] * n, dtype=np.int32),
        skills=sp.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, columns)), shape=(n, n_skills)
        ),
        region=np.array(region or [0] * n, dtype=np.int32),
        remote=np.array(remote or [False] * n, dtype=bool),
        salary_max=np.array(salary or [NAN] * n, dtype=np.float32),
        quota=np.array(quota or [False] * n, dtype=bool),
        conflicts=np.array(conflicts or [0] * n, dtype=np.uint16),
    )


def sparse_rows(rows: list[dict[int, float]], n_columns: int) -> sp.csr_matrix:
    owner = [i for i, row in enumerate(rows) for _ in row]
    columns = [column for row in rows for column in row]
    values = [value for row in rows for value in row.values()]
    return sp.csr_matrix(
        (np.array(values, np.float32), (owner, columns)), shape=(len(rows), n_columns)
    )


def make_seekers(
    fit: list[dict[int, float]],
    skills: list[dict[int, float]] | None = None,
    *,
    region: list[int] | None = None,
    regions: list[list[int]] | None = None,
    relocate: list[bool] | None = None,
    remote: list[int] | None = None,
    expected: list[float] | None = None,
    limitations: list[int] | None = None,
    n_occupations: int = N_OCCUPATIONS,
    n_skills: int = N_SKILLS,
    n_regions: int = N_REGIONS,
) -> Seekers:
    m = len(fit)
    return Seekers(
        fit=sparse_rows(fit, n_occupations),
        skills=sparse_rows(skills or [{}] * m, n_skills),
        region=np.array(region or [0] * m, dtype=np.int32),
        regions=sparse_rows([dict.fromkeys(r, 1.0) for r in regions or [[]] * m], n_regions),
        relocate=np.array(relocate or [False] * m, dtype=bool),
        remote=np.array(remote or [0] * m, dtype=np.int8),
        expected_salary=np.array(expected or [NAN] * m, dtype=np.float32),
        limitations=np.array(limitations or [0] * m, dtype=np.uint16),
    )


def only(term: str) -> VacancyMatcher:
    """A matcher that scores a single term at weight 1."""
    return VacancyMatcher(**{f"{name}_weight": float(name == term) for name in TERMS})


def test_every_term_known_answer():
    jobs = make_vacancies([[0, 1, 2]], occupation=[1], region=[2], salary=[33_000], quota=[True])
    people = make_seekers(
        [{1: 0.8, 3: 0.2}], [{0: 1.0, 1: 0.5, 5: 1.0}], region=[2], expected=[30_000]
    )
    matcher = VacancyMatcher().fit(jobs)
    # 0.45 × 0.8 + 0.35 × (1 + 0.5) / 3 + 0.1 × home + 0.05 × 0.1 + 0.05 × quota
    expected = 0.36 + 0.175 + 0.1 + 0.005 + 0.05
    assert matcher.score_pairs(people, [0], [0])[0] == pytest.approx(expected, abs=1e-6)
    why = matcher.explain(people, 0, 0)
    assert why.score == pytest.approx(expected, abs=1e-6)
    assert why.terms == pytest.approx(
        {"fit": 0.36, "coverage": 0.175, "location": 0.1, "pay": 0.005, "quota": 0.05}, abs=1e-6
    )
    assert sum(why.terms.values()) == pytest.approx(why.score, abs=1e-6)
    assert why.matched.tolist() == [0, 1]
    assert why.missing.tolist() == [2]
    assert why.location == "home"
    assert why.reason is None
    indices, scores = matcher.top_vacancies(people, k=2)
    assert indices.tolist() == [[0, -1]]
    assert scores[0, 0] == pytest.approx(expected, abs=1e-6)
    assert scores[0, 1] == -np.inf


@pytest.mark.parametrize(
    ("veteran", "vacancy", "location", "reason", "value"),
    [
        ({}, {"region": [0]}, "home", None, 1.0),
        ({"regions": [[1]]}, {"region": [1]}, "accepted_region", None, 0.5),
        ({}, {"region": [1]}, None, "region", None),
        ({"relocate": [True]}, {"region": [1]}, "relocation", None, 0.0),
        ({"relocate": [True], "regions": [[1]]}, {"region": [1]}, "accepted_region", None, 0.5),
        ({"remote": [1]}, {"region": [2], "remote": [True]}, "remote", None, 1.0),
        ({"remote": [2]}, {"region": [2], "remote": [True]}, "remote", None, 1.0),
        ({"remote": [0]}, {"region": [2], "remote": [True]}, None, "region", None),
        ({"remote": [0]}, {"region": [0], "remote": [True]}, "home", None, 1.0),
        (
            {"remote": [0], "regions": [[2]]},
            {"region": [2], "remote": [True]},
            "accepted_region",
            None,
            0.5,
        ),
        ({"remote": [3]}, {"region": [0]}, None, "remote_only", None),
        ({"remote": [3], "relocate": [True]}, {"region": [1]}, None, "remote_only", None),
        ({"remote": [3]}, {"region": [2], "remote": [True]}, "remote", None, 1.0),
        ({"limitations": [0b0101]}, {"conflicts": [0b0100]}, "home", "limitations", None),
        ({"limitations": [0b0101]}, {"conflicts": [0b1010]}, "home", None, 1.0),
    ],
)
def test_location_and_hard_constraints(veteran, vacancy, location, reason, value):
    jobs = make_vacancies([[0]], **vacancy)
    people = make_seekers([{}], **veteran)
    matcher = only("location").fit(jobs)
    score = matcher.score_pairs(people, [0], [0])[0]
    why = matcher.explain(people, 0, 0)
    assert (why.location, why.reason) == (location, reason)
    indices, _ = matcher.top_vacancies(people, k=1)
    if value is None:
        assert score == -np.inf
        assert why.score == -np.inf
        assert indices.tolist() == [[-1]]
    else:
        assert score == pytest.approx(value)
        assert why.terms["location"] == pytest.approx(value)
        assert indices.tolist() == [[0]]


@pytest.mark.parametrize(
    ("salary", "expected", "pay"),
    [
        (110.0, 100.0, 0.1),
        (150.0, 100.0, 0.5),
        (400.0, 100.0, 0.5),  # clipped above
        (60.0, 100.0, -0.4),
        (0.0, 100.0, -1.0),  # clipped below by construction
        (NAN, 100.0, 0.0),
        (110.0, NAN, 0.0),
        (NAN, NAN, 0.0),
    ],
)
def test_pay(salary, expected, pay):
    matcher = only("pay").fit(make_vacancies([[]], salary=[salary]))
    people = make_seekers([{}], expected=[expected])
    assert matcher.score_pairs(people, [0], [0])[0] == pytest.approx(pay, abs=1e-6)
    assert matcher.explain(people, 0, 0).terms["pay"] == pytest.approx(pay, abs=1e-6)


def test_quota_fit_and_unknown_occupation():
    jobs = make_vacancies([[], [], []], occupation=[2, -1, 3], quota=[False, True, False])
    people = make_seekers([{2: 0.7}])
    assert only("quota").fit(jobs).score_pairs(people, [0, 0, 0], [0, 1, 2]).tolist() == [
        0,
        1,
        0,
    ]
    fit = only("fit").fit(jobs).score_pairs(people, [0, 0, 0], [0, 1, 2])
    # -1 is not coded; occupation 3 is not in the veteran's sparse fit row
    assert fit == pytest.approx([0.7, 0, 0])


def test_coverage_rounds_strengths_and_ignores_empty_requirements():
    jobs = make_vacancies([[0, 1], [], [4]])
    people = make_seekers([{}], [{0: 0.3, 1: 1.0, 3: 1.0}])
    coverage = only("coverage").fit(jobs).score_pairs(people, [0, 0, 0], [0, 1, 2])
    rounded = round(0.3 / STRENGTH_STEP) * STRENGTH_STEP
    assert coverage.tolist() == pytest.approx([(rounded + 1) / 2, 0, 0], abs=1e-7)
    why = only("coverage").fit(jobs).explain(people, 0, 2)
    assert (why.matched.tolist(), why.missing.tolist()) == ([], [4])


def test_ranking_ties_go_to_the_lower_vacancy():
    jobs = make_vacancies([[0], [1], [0], [0], [2]], region=[0, 0, 0, 0, 1])
    people = make_seekers([{}, {}], [{0: 1.0}, {1: 1.0}], region=[0, 1])
    matcher = VacancyMatcher(block=2).fit(jobs)
    indices, scores = matcher.top_vacancies(people, k=3)
    assert indices.tolist() == [[0, 2, 3], [4, -1, -1]]
    assert scores[0, 0] == scores[0, 1] == scores[0, 2]
    assert scores[1, 1] == -np.inf
    assert matcher.top_candidates(people, 0, k=3)[0].tolist() == [0, -1, -1]
    assert matcher.top_candidates(people, 4, k=3)[0].tolist() == [1, -1, -1]


def test_relocating_veteran_finds_far_vacancies_by_fit_and_by_skills():
    # 0 is near (home) with a weak fit; 1 is far in a fit occupation; 2 is far, no fit, but
    # asks for the veteran's best skill. Far vacancies without fit are scored only when the
    # list is not already beyond their reach (at most 0.35 + 0.05 + 0.025).
    jobs = make_vacancies([[], [], [0]], occupation=[0, 1, 3], region=[0, 2, 2])
    people = make_seekers([{0: 0.2, 1: 1.0}], [{0: 1.0}], relocate=[True])
    matcher = VacancyMatcher().fit(jobs)
    assert matcher.score_pairs(people, [0, 0, 0], [0, 1, 2]) == pytest.approx([0.19, 0.45, 0.35])
    assert matcher.top_vacancies(people, k=1)[0].tolist() == [[1]]
    assert matcher.top_vacancies(people, k=2)[0].tolist() == [[1, 2]]
    two = make_seekers([{0: 0.2, 1: 1.0}, {}], [{0: 1.0}, {}], relocate=[True, False])
    assert matcher.top_vacancies(two, k=1)[0].tolist() == [[1], [0]]
    assert matcher.top_vacancies(two, k=2)[0].tolist() == [[1, 2], [0, -1]]


def test_top_candidates_known_answer():
    jobs = make_vacancies([[0, 1]], occupation=[1])
    people = make_seekers(
        [{1: 0.2}, {1: 0.9}, {1: 0.9}, {1: 1.0}],
        [{0: 1.0}, {0: 1.0}, {0: 1.0, 1: 1.0}, {}],
        region=[0, 0, 0, 1],
    )
    matcher = VacancyMatcher().fit(jobs)
    indices, scores = matcher.top_candidates(people, 0, k=4)
    assert indices.tolist() == [2, 1, 0, -1]  # the fourth lives elsewhere
    assert scores.tolist() == pytest.approx(
        [0.405 + 0.35 + 0.1, 0.405 + 0.175 + 0.1, 0.09 + 0.175 + 0.1, -np.inf]
    )


# Exactness against brute force


def brute_force(matcher: VacancyMatcher, people: Seekers, k: int):
    m, n = people.n, matcher.n_vacancies_
    rows, cols = np.repeat(np.arange(m), n), np.tile(np.arange(n), m)
    scores = matcher.score_pairs(people, rows, cols).reshape(m, n)
    indices = np.full((m, k), -1)
    best = np.full((m, k), -np.inf, dtype=np.float32)
    for veteran in range(m):
        ranked = sorted(range(n), key=lambda j: (-scores[veteran, j], j))[:k]
        ranked = [j for j in ranked if scores[veteran, j] > -np.inf]
        indices[veteran, : len(ranked)] = ranked
        best[veteran, : len(ranked)] = scores[veteran, ranked]
    return scores, indices, best


def spec_score(jobs: Vacancies, people: Seekers, v: int, j: int, weights: dict) -> float:
    """The documented score of one pair in plain Python, for comparison."""
    remote_vacancy, level = bool(jobs.remote[j]), int(people.remote[v])
    accepted = people.regions[v].indices.tolist()
    if people.limitations[v] & jobs.conflicts[j]:
        return -math.inf
    if level == 3 and not remote_vacancy:
        return -math.inf
    if jobs.region[j] == people.region[v] or (remote_vacancy and level >= 1):
        location = 1.0
    elif jobs.region[j] in accepted:
        location = 0.5
    elif people.relocate[v]:
        location = 0.0
    else:
        return -math.inf
    held = dict(zip(people.skills[v].indices.tolist(), people.skills[v].data.tolist(), strict=True))
    required = jobs.skills[j].indices.tolist()
    strengths = [
        round(min(held.get(s, 0.0), 1.0) / STRENGTH_STEP) * STRENGTH_STEP for s in required
    ]
    coverage = sum(strengths) / len(required) if required else 0.0
    occupation = int(jobs.occupation[j])
    fit_row = dict(zip(people.fit[v].indices.tolist(), people.fit[v].data.tolist(), strict=True))
    fit = fit_row.get(occupation, 0.0) if occupation >= 0 else 0.0
    salary, expected = float(jobs.salary_max[j]), float(people.expected_salary[v])
    pay = 0.0 if math.isnan(salary) or math.isnan(expected) else (salary - expected) / expected
    pay = min(max(pay, -1.0), 0.5)
    terms = {"fit": fit, "coverage": coverage, "location": location, "pay": pay}
    terms["quota"] = float(jobs.quota[j])
    return sum(weights[name] * value for name, value in terms.items())


@st.composite
def instances(draw):
    n_skills, n_occupations = draw(st.integers(1, 5)), draw(st.integers(1, 4))
    n_regions, n, m = draw(st.integers(1, 3)), draw(st.integers(0, 9)), draw(st.integers(1, 5))

    def listed(strategy, size):
        return draw(st.lists(strategy, min_size=size, max_size=size))

    skill = st.integers(0, n_skills - 1)
    jobs = make_vacancies(
        [sorted(s) for s in listed(st.sets(skill, max_size=n_skills), n)],
        occupation=listed(st.integers(-1, n_occupations - 1), n),
        region=listed(st.integers(0, n_regions - 1), n),
        remote=listed(st.booleans(), n),
        salary=listed(st.sampled_from([NAN, 0.0, 80.0, 100.0, 160.0]), n),
        quota=listed(st.booleans(), n),
        conflicts=listed(st.integers(0, 3), n),
        n_skills=n_skills,
    )
    strength = st.sampled_from([0.3, 0.5, 1.0])
    people = make_seekers(
        listed(st.dictionaries(st.integers(0, n_occupations - 1), strength), m),
        listed(st.dictionaries(skill, strength), m),
        region=listed(st.integers(0, n_regions - 1), m),
        regions=listed(st.lists(st.integers(0, n_regions - 1), unique=True), m),
        relocate=listed(st.booleans(), m),
        remote=listed(st.integers(0, 3), m),
        expected=listed(st.sampled_from([NAN, 100.0, 200.0]), m),
        limitations=listed(st.sampled_from([0, 0, 1, 2]), m),
        n_occupations=n_occupations,
        n_skills=n_skills,
        n_regions=n_regions,
    )
    matcher = VacancyMatcher(
        block=draw(st.sampled_from([1, 3, 1 << 22])), n_jobs=draw(st.sampled_from([1, 2]))
    )
    return jobs, people, matcher.fit(jobs), draw(st.integers(1, 4))


@settings(max_examples=200, deadline=None)
@given(instance=instances())
def test_rankings_equal_brute_force(instance):
    jobs, people, matcher, k = instance
    scores, indices, best = brute_force(matcher, people, k)
    found, found_scores = matcher.top_vacancies(people, k)
    assert found.tolist() == indices.tolist()
    assert np.array_equal(found_scores, best)
    for veteran in range(people.n):
        one, one_scores = matcher.top_vacancies(people.take([veteran]), k)
        assert one.tolist() == [indices[veteran].tolist()]
        assert np.array_equal(one_scores[0], best[veteran])
    for vacancy in range(jobs.n):
        column = scores[:, vacancy]
        ranked = [v for v in sorted(range(people.n), key=lambda v: (-column[v], v))[:k]]
        ranked = [v for v in ranked if column[v] > -np.inf]
        candidates, candidate_scores = matcher.top_candidates(people, vacancy, k)
        assert candidates.tolist() == ranked + [-1] * (k - len(ranked))
        assert candidate_scores[: len(ranked)].tolist() == column[ranked].tolist()


@settings(max_examples=150, deadline=None)
@given(instance=instances())
def test_scores_follow_the_documented_formula_and_explain_themselves(instance):
    jobs, people, matcher, _ = instance
    weights = {name: getattr(matcher, f"{name}_weight") for name in TERMS}
    for v in range(people.n):
        for j in range(jobs.n):
            score = float(matcher.score_pairs(people, [v], [j])[0])
            assert score == pytest.approx(spec_score(jobs, people, v, j, weights), abs=1e-6)
            why = matcher.explain(people, v, j)
            assert why.score == score
            assert (why.reason is None) == (score > -np.inf)
            if why.reason is None:
                assert sum(why.terms.values()) == pytest.approx(score, abs=1e-6)
            required = set(jobs.skills[j].indices.tolist())
            held = set(people.skills[v].indices.tolist())
            assert why.matched.tolist() == sorted(required & held)
            assert why.missing.tolist() == sorted(required - held)


def test_seeded_instance_equals_brute_force_across_block_sizes():
    rng = np.random.default_rng(5)
    n, m, n_skills, n_occupations, n_regions = 400, 60, 40, 12, 5
    required = [sorted(rng.choice(n_skills, rng.integers(0, 6), replace=False)) for _ in range(n)]
    jobs = make_vacancies(
        required,
        occupation=rng.integers(-1, n_occupations, n).tolist(),
        region=rng.choice(n_regions, n, p=[0.5, 0.2, 0.15, 0.1, 0.05]).tolist(),
        remote=(rng.random(n) < 0.1).tolist(),
        salary=np.where(rng.random(n) < 0.2, NAN, rng.uniform(50, 200, n)).tolist(),
        quota=(rng.random(n) < 0.1).tolist(),
        conflicts=(rng.random(n) < 0.3).astype(int).tolist(),
        n_skills=n_skills,
    )
    people = make_seekers(
        [{int(o): float(rng.random()) for o in rng.choice(n_occupations, 4)} for _ in range(m)],
        [{int(s): float(rng.random()) for s in rng.choice(n_skills, 8)} for _ in range(m)],
        region=rng.integers(0, n_regions, m).tolist(),
        regions=[
            rng.choice(n_regions, rng.integers(0, 3), replace=False).tolist() for _ in range(m)
        ],
        relocate=(rng.random(m) < 0.2).tolist(),
        remote=rng.integers(0, 4, m).tolist(),
        expected=np.where(rng.random(m) < 0.1, NAN, rng.uniform(50, 200, m)).tolist(),
        limitations=(rng.random(m) < 0.2).astype(int).tolist(),
        n_occupations=n_occupations,
        n_skills=n_skills,
        n_regions=n_regions,
    )
    _, indices, best = brute_force(VacancyMatcher().fit(jobs), people, 20)
    for block, n_jobs in [(1, 1), (97, 2), (1 << 22, 1)]:
        found, scores = (
            VacancyMatcher(block=block, n_jobs=n_jobs).fit(jobs).top_vacancies(people, 20)
        )
        assert found.tolist() == indices.tolist()
        assert np.array_equal(scores, best)


def test_thousands_of_equal_scores_keep_the_lowest_positions():
    n = 3_000
    jobs = make_vacancies([[0]] * n, region=[i % 2 for i in range(n)])
    people = make_seekers([{}, {}, {}], [{0: 1.0}] * 3, region=[0, 1, 0], relocate=[0, 0, 1])
    for block in (1, 500, 1 << 22):
        indices, scores = VacancyMatcher(block=block).fit(jobs).top_vacancies(people, k=5)
        assert indices.tolist() == [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9], [0, 2, 4, 6, 8]]
        assert len(set(scores.ravel().tolist())) == 1


# Input checks


def test_seekers_shapes_name_the_axes():
    with pytest.raises(
        ValueError,
        match=r"seekers.skills is veterans × skills \(2, 6\) but "
        r"seekers.fit is veterans × occupations \(3, 4\)",
    ):
        Seekers(
            fit=sp.csr_matrix((3, 4)),
            skills=sp.csr_matrix((2, 6)),
            region=np.zeros(3, np.int32),
            regions=sp.csr_matrix((3, 2)),
            relocate=np.zeros(3, bool),
            remote=np.zeros(3, np.int8),
            expected_salary=np.zeros(3, np.float32) + 1,
            limitations=np.zeros(3, np.uint16),
        )
    with pytest.raises(
        ValueError,
        match=r"seekers.region has shape \(2,\) but seekers.fit has "
        r"3 rows \(veterans × occupations\)",
    ):
        make_seekers([{}, {}, {}], region=[0, 0])
    with pytest.raises(ValueError, match=r"seekers\.remote"):
        make_seekers([{}], remote=[4])
    with pytest.raises(ValueError, match=r"seekers\.expected_salary"):
        make_seekers([{}], expected=[0.0])
    with pytest.raises(ValueError, match=r"seekers\.skills values"):
        make_seekers([{}], [{0: -0.5}])


def test_vacancies_shapes_name_the_axes():
    with pytest.raises(
        ValueError,
        match=r"vacancies.region has shape \(1,\) but vacancies.skills "
        r"has 2 rows \(vacancies × skills\)",
    ):
        make_vacancies([[0], [1]], region=[0])
    with pytest.raises(ValueError, match=r"vacancies\.occupation"):
        make_vacancies([[0]], occupation=[-2])
    with pytest.raises(ValueError, match=r"vacancies\.salary_max"):
        make_vacancies([[0]], salary=[-1.0])


def test_matcher_checks_seekers_against_the_vacancies():
    matcher = VacancyMatcher().fit(make_vacancies([[0]], occupation=[3], region=[2]))
    with pytest.raises(
        ValueError,
        match=r"seekers.skills is veterans × skills \(1, 5\) but "
        r"vacancies.skills has 6 skills",
    ):
        matcher.top_vacancies(make_seekers([{}], n_skills=5))
    with pytest.raises(
        ValueError,
        match=r"seekers.fit is veterans × occupations \(1, 2\) but "
        r"vacancies.occupation uses positions up to 3",
    ):
        matcher.top_vacancies(make_seekers([{}], n_occupations=2))
    with pytest.raises(ValueError, match=r"seekers.regions is veterans × regions \(1, 2\)"):
        matcher.top_vacancies(make_seekers([{}], n_regions=2))
    people = make_seekers([{}])
    with pytest.raises(ValueError, match="rows are veteran positions"):
        matcher.score_pairs(people, [1], [0])
    with pytest.raises(ValueError, match="cols are vacancy positions"):
        matcher.score_pairs(people, [0], [1])
    with pytest.raises(ValueError, match="vacancy is a vacancy position"):
        matcher.top_candidates(people, 5)
    with pytest.raises(ValueError, match="k must be"):
        matcher.top_vacancies(people, k=0)
    with pytest.raises(RuntimeError, match="fit"):
        VacancyMatcher().top_vacancies(people)
    with pytest.raises(ValueError, match="weights"):
        VacancyMatcher(pay_weight=-1).fit(make_vacancies([[0]]))
