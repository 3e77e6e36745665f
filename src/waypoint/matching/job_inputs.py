"""What the job match takes in and gives back: the vacancies, the veterans, and the
explanation of one pair's score. The scoring itself is in waypoint.matching.jobs.
"""

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

TERMS = ("fit", "coverage", "location", "pay", "quota")
LOCATIONS = ("home", "remote", "accepted_region", "relocation")
REASONS = ("limitations", "remote_only", "region")
REMOTE_ONLY = 3  # seekers.remote: 0 on-site only, 1 hybrid fine, 2 remote preferred, 3 only
STRENGTH_STEP = 1 / 1024  # sums of up to 2**13 such strengths are exact in float32
PAY_CAP = 0.5
ACCEPTED_REGION = 0.5


@dataclass(frozen=True)
class Vacancies:
    """n vacancies; every array has one entry per vacancy (a row of `skills`)."""

    occupation: np.ndarray  # int32, position on the occupation axis, -1 when not coded
    skills: sp.csr_matrix  # vacancies × skills, nonzero where required (rows may be empty)
    region: np.ndarray  # int32 region position (0 … n_regions-1)
    remote: np.ndarray  # bool: can be done remotely
    salary_max: np.ndarray  # float32, NaN when unknown (the adapter passes max, else min)
    quota: np.ndarray  # bool: openings reserved for veterans
    conflicts: np.ndarray  # uint16 bitmask: work-limitation codes it cannot accommodate

    def __post_init__(self) -> None:
        n = self.skills.shape[0]
        for name in ("occupation", "region", "remote", "salary_max", "quota", "conflicts"):
            _check_vector("vacancies", name, getattr(self, name), n, "vacancies × skills")
        if n and self.occupation.min() < -1:
            raise ValueError("vacancies.occupation must be -1 (not coded) or a position ≥ 0")
        if n and self.region.min() < 0:
            raise ValueError("vacancies.region must be a region position ≥ 0")
        if np.any(np.asarray(self.salary_max) < 0):
            raise ValueError("vacancies.salary_max must be ≥ 0 or NaN (unknown)")

    @property
    def n(self) -> int:
        return int(self.skills.shape[0])


@dataclass(frozen=True)
class Seekers:
    """m veterans; every array has one entry per veteran (a row of `fit`)."""

    fit: sp.csr_matrix  # veterans × occupations, orientation fit 0 … 1 (top occupations only)
    skills: sp.csr_matrix  # veterans × skills, strength 0 … 1
    region: np.ndarray  # int32 home region position
    regions: sp.csr_matrix  # veterans × regions, nonzero where they would also work
    relocate: np.ndarray  # bool: willing to relocate anywhere
    remote: np.ndarray  # int8: 0 on-site only, 1 hybrid fine, 2 remote preferred, 3 remote only
    expected_salary: np.ndarray  # float32, NaN when unknown
    limitations: np.ndarray  # uint16 bitmask of the veteran's work limitations

    def __post_init__(self) -> None:
        m = self.fit.shape[0]
        axes = "veterans × occupations"
        for name in ("skills", "regions"):
            value = getattr(self, name)
            if value.ndim != 2 or value.shape[0] != m:
                raise ValueError(
                    f"seekers.{name} is veterans × {name} {value.shape} but seekers.fit is "
                    f"{axes} {self.fit.shape}: both need one row per veteran"
                )
        for name in ("region", "relocate", "remote", "expected_salary", "limitations"):
            _check_vector("seekers", name, getattr(self, name), m, "veterans × occupations")
        if m and (self.remote.min() < 0 or self.remote.max() > REMOTE_ONLY):
            raise ValueError("seekers.remote must be 0 (on-site), 1 (hybrid), 2 or 3 (remote only)")
        if m and self.region.min() < 0:
            raise ValueError("seekers.region must be a region position ≥ 0")
        if np.any(np.asarray(self.expected_salary) <= 0):
            raise ValueError("seekers.expected_salary must be > 0 or NaN (unknown)")
        for name in ("fit", "skills"):
            data = getattr(self, name).data
            if data.size and not (np.all(np.isfinite(data)) and data.min() >= 0):
                raise ValueError(f"seekers.{name} values must be finite and ≥ 0")

    @property
    def n(self) -> int:
        return int(self.fit.shape[0])

    def take(self, rows: np.ndarray | list[int] | slice) -> "Seekers":
        """The veterans at `rows`, as a new Seekers (row order kept)."""
        index = np.arange(self.n)[rows]
        return Seekers(
            fit=self.fit[index],
            skills=self.skills[index],
            region=self.region[index],
            regions=self.regions[index],
            relocate=self.relocate[index],
            remote=self.remote[index],
            expected_salary=self.expected_salary[index],
            limitations=self.limitations[index],
        )


@dataclass(frozen=True)
class JobExplanation:
    """Why one vacancy scored what it did for one veteran.

    `terms` hold each weighted contribution; they add up to `score` (to float32 rounding) when
    the pair is admissible. When it is not, `score` is -inf, `reason` says why (one of
    REASONS, the first that applies) and `terms` show what the pair would have scored.
    """

    seeker: int
    vacancy: int
    score: float
    terms: dict[str, float]
    matched: np.ndarray  # skill positions required and held, ascending
    missing: np.ndarray  # skill positions required and not held, ascending
    location: str | None  # one of LOCATIONS, None when out of reach
    reason: str | None = None
    strengths: dict[int, float] = field(default_factory=dict)  # matched skill → strength


def _check_vector(owner: str, name: str, value: np.ndarray, n: int, axes: str) -> None:
    shape = np.shape(value)
    if shape != (n,):
        matrix = "skills" if owner == "vacancies" else "fit"
        raise ValueError(
            f"{owner}.{name} has shape {shape} but {owner}.{matrix} has {n} rows ({axes}): "
            f"one entry per {'vacancy' if owner == 'vacancies' else 'veteran'}"
        )
