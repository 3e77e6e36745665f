"""The active taxonomy as arrays for the ranking core, built once per process (and cached on
disk under WAYPOINT_HOME/cache like the text index)."""

from dataclasses import dataclass
from functools import cached_property
from threading import Lock

import numpy as np
import scipy.sparse as sp

from waypoint.kit import cache
from waypoint.matching.orientation import OccupationRanker, Requirements, similar_skills
from waypoint.taxonomy import normalization
from waypoint.taxonomy.models import Occupation, OccupationSkill, Skill, SkillRelation, Taxonomy

ENGINE_FORMAT = 2  # raise when the pickled Engine or OccupationRanker change shape
RELATED_SKILL_SIMILARITY = 0.6  # skills the taxonomy links (broader, essential for, optional)
SIMILAR_SKILLS = 5
SIMILARITY_THRESHOLD = 0.35  # cosine of words in labels and descriptions
CO_REQUIRED_THRESHOLD = 0.5  # cosine of the sets of occupations that require each skill


@dataclass(frozen=True)
class Engine:
    taxonomy_id: int
    taxonomy_name: str
    occupation_pks: np.ndarray
    occupation_uris: list[str]
    occupation_labels: list[str]
    isco_groups: list[str]
    military: np.ndarray  # bool: never recommended as civilian work
    regulated: np.ndarray  # bool
    skill_pks: np.ndarray
    skill_uris: list[str]
    skill_labels: list[str]
    essential_of: list[np.ndarray]  # skill positions per occupation
    optional_of: list[np.ndarray]
    ranker: OccupationRanker

    @cached_property
    def memo(self) -> dict:
        """Derived values other modules compute once per engine (masks, licence skills)."""
        return {}

    @cached_property
    def occupation_position(self) -> dict[int, int]:
        return {pk: i for i, pk in enumerate(self.occupation_pks.tolist())}

    @cached_property
    def skill_position(self) -> dict[int, int]:
        return {pk: i for i, pk in enumerate(self.skill_pks.tolist())}

    @cached_property
    def uri_position(self) -> dict[str, int]:
        return {uri: i for i, uri in enumerate(self.skill_uris)}


_engines: dict[tuple, Engine] = {}
_lock = Lock()


def engine_for(taxonomy: Taxonomy | None = None) -> Engine:
    taxonomy = taxonomy or normalization.active_taxonomy()
    key = (taxonomy.pk, taxonomy.imported_at)
    with _lock:
        if key not in _engines:
            if len(_engines) > 4:
                _engines.clear()
            _engines[key] = cache.load_or_build(
                f"orientation-{taxonomy.code}",
                f"{normalization.cache_version(taxonomy)}|{ENGINE_FORMAT}",
                lambda: build(taxonomy),
            )
        return _engines[key]


def build(taxonomy: Taxonomy) -> Engine:
    occupations = list(
        Occupation.objects.filter(taxonomy=taxonomy)
        .order_by("pk")
        .values_list("pk", "uri", "preferred_label", "isco_group", "is_military", "regulated_note")
    )
    skills = list(
        Skill.objects.filter(taxonomy=taxonomy)
        .order_by("pk")
        .values_list("pk", "uri", "preferred_label")
    )
    occupation_at = {row[0]: i for i, row in enumerate(occupations)}
    skill_at = {row[0]: i for i, row in enumerate(skills)}
    shape = (len(occupations), len(skills))
    links = {
        OccupationSkill.Relation.ESSENTIAL: ([], []),
        OccupationSkill.Relation.OPTIONAL: ([], []),
    }
    for occupation, skill, relation in (
        OccupationSkill.objects.filter(occupation__taxonomy=taxonomy)
        .values_list("occupation_id", "skill_id", "relation")
        .iterator(chunk_size=50_000)
    ):
        rows, columns = links[relation]
        rows.append(occupation_at[occupation])
        columns.append(skill_at[skill])
    essential, optional = (
        sp.csr_matrix((np.ones(len(r), np.float32), (r, c)), shape=shape) for r, c in links.values()
    )
    similarity = _similarity(taxonomy, skill_at, len(skills)).maximum(
        _co_required(essential + optional)
    )
    ranker = OccupationRanker().fit(Requirements(essential, optional), similarity.tocsr())
    return Engine(
        taxonomy_id=taxonomy.pk,
        taxonomy_name=str(taxonomy),
        occupation_pks=np.array([row[0] for row in occupations], dtype=np.int64),
        occupation_uris=[row[1] for row in occupations],
        occupation_labels=[row[2] for row in occupations],
        isco_groups=[row[3] for row in occupations],
        military=np.array([row[4] for row in occupations], dtype=bool),
        regulated=np.array([bool(row[5]) for row in occupations], dtype=bool),
        skill_pks=np.array([row[0] for row in skills], dtype=np.int64),
        skill_uris=[row[1] for row in skills],
        skill_labels=[row[2] for row in skills],
        essential_of=_row_lists(essential),
        optional_of=_row_lists(optional),
        ranker=ranker,
    )


def _similarity(taxonomy: Taxonomy, skill_at: dict[int, int], n: int) -> sp.csr_matrix:
    """Skills the taxonomy relates, and skills whose labels and descriptions read alike."""
    index = normalization.skill_index(taxonomy)
    vectors = index.documents.labels_.T.tocsr()  # concepts × features, in the index's order
    order = np.array([skill_at[pk] for pk in index.pks], dtype=np.int64)
    textual = similar_skills(vectors, k=SIMILAR_SKILLS, threshold=SIMILARITY_THRESHOLD).tocoo()
    rows, columns, values = [order[textual.row]], [order[textual.col]], [textual.data]
    related = np.array(
        list(
            SkillRelation.objects.filter(source__taxonomy=taxonomy).values_list(
                "source_id", "target_id"
            )
        ),
        dtype=np.int64,
    ).reshape(-1, 2)
    if len(related):
        source = np.array([skill_at[pk] for pk in related[:, 0]], dtype=np.int64)
        target = np.array([skill_at[pk] for pk in related[:, 1]], dtype=np.int64)
        rows += [source, target]
        columns += [target, source]
        values += [np.full(len(source), RELATED_SKILL_SIMILARITY, np.float32)] * 2
    matrix = sp.coo_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))), shape=(n, n)
    ).tocsr()
    matrix.sum_duplicates()
    return matrix.minimum(1).tocsr()


def _co_required(requirements: sp.csr_matrix) -> sp.csr_matrix:
    """Skills that the same occupations ask for (a welder's and a fitter's skills)."""
    by_skill = sp.csr_matrix(requirements.T, dtype=np.float32)
    by_skill.data[:] = 1
    norms = np.sqrt(np.asarray(by_skill.sum(axis=1)).ravel())
    norms[norms == 0] = 1
    vectors = (sp.diags(1 / norms) @ by_skill).tocsr()
    return similar_skills(vectors, k=SIMILAR_SKILLS, threshold=CO_REQUIRED_THRESHOLD)


def _row_lists(matrix: sp.csr_matrix) -> list[np.ndarray]:
    return [
        matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]].copy()
        for i in range(matrix.shape[0])
    ]
