"""/api/v1: a veteran's orientation runs and decisions, and what-if profiles."""

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Status

from waypoint.accounts.access import requires, signed_in
from waypoint.kit.api import Id, Schema, file_answer
from waypoint.kit.numbers import MAX_INTEGER
from waypoint.orientation import explanations, pdf, plans, selectors, services
from waypoint.taxonomy.models import Occupation

router = Router(tags=["orientation"])


class SkillRef(Schema):
    uri: str
    label: str


class MatchedSkill(SkillRef):
    sources: list[str]


class SkillTransferOut(Schema):
    required: SkillRef
    held: SkillRef
    credit: float


class RecommendationOut(Schema):
    occupation_id: int
    uri: str
    label: str
    isco_group: str
    rank: int
    score: float
    terms: dict[str, float]
    summary: str = Field(
        "",
        description="Plain words for the veteran, in the request's language: what they have, "
        "what they would add, and a course that teaches it (no numbers)",
    )
    matched: list[MatchedSkill]
    missing: list[SkillRef]
    transfers: list[SkillTransferOut]
    specialties: list[str] = Field(
        description="military specialties (as written) that lead to this occupation"
    )


class RunItem(Schema):
    id: int
    created_at: datetime
    taxonomy_version: str
    created_by_id: int | None


class RunOut(RunItem):
    parameters: dict
    recommendations: list[RecommendationOut]


class FeedbackIn(Schema):
    occupation_id: Id
    decision: str = Field(description="accepted, rejected (with a reason) or added")
    reason: str = ""


class FeedbackOut(Schema):
    occupation_id: int
    decision: str
    reason: str
    given_by_id: int
    given_at: datetime


class WhatIfIn(Schema):
    profile: dict = Field(
        description="military_specialties, civilian_jobs, duties, skills, education_level, "
        "region, limitations, desired_occupations, licences; every key optional"
    )
    top: int = Field(10, ge=1, le=100)


def _veteran(request, veteran_id: int):
    return selectors.veteran_for_orientation(request.user, veteran_id)


def _run_out(run) -> dict:
    return {
        "id": run.pk,
        "created_at": run.created_at,
        "taxonomy_version": run.taxonomy_version,
        "created_by_id": run.created_by_id,
        "parameters": run.parameters,
        "recommendations": services.readable_results(run, run.veteran, get_language() or "en"),
    }


@router.get(
    "/veterans/{veteran_id}/orientation",
    response=RunOut,
    summary="The latest ranking of occupations for a veteran",
)
@signed_in
def latest(request, veteran_id: Id):
    run = selectors.run_for(_veteran(request, veteran_id))
    if run is None:
        raise Http404("no orientation yet")
    return _run_out(run)


@router.post(
    "/veterans/{veteran_id}/orientation",
    response={201: RunOut},
    summary="Rank occupations for a veteran now (stored)",
)
@signed_in
def run_now(request, veteran_id: Id):
    veteran = _veteran(request, veteran_id)
    try:
        run = services.orient_veteran(actor=request.user, veteran=veteran)
    except services.NoEvidence as exc:
        add = ", ".join(part["text"] for part in explanations.what_to_add(request.user, veteran))
        message = f"{exc} " + _("Add: %(parts)s.") % {"parts": add}
        raise ValidationError({"evidence": [message]}) from None
    return Status(201, _run_out(run))


@router.get(
    "/veterans/{veteran_id}/orientation/runs",
    response=list[RunItem],
    summary="Every ranking made for a veteran, newest first",
)
@signed_in
def run_list(request, veteran_id: Id):
    return list(selectors.runs(_veteran(request, veteran_id)))


@router.get(
    "/veterans/{veteran_id}/orientation/runs/{run_id}",
    response=RunOut,
    summary="One earlier ranking, as it was made",
)
@signed_in
def run_detail(request, veteran_id: Id, run_id: Id):
    return _run_out(selectors.run_for(_veteran(request, veteran_id), run_id))


@router.get(
    "/veterans/{veteran_id}/orientation/feedback",
    response=list[FeedbackOut],
    summary="Decisions about occupations for a veteran",
)
@signed_in
def feedback_list(request, veteran_id: Id):
    return list(selectors.feedback_for(_veteran(request, veteran_id)))


@router.post(
    "/veterans/{veteran_id}/orientation/feedback",
    response=FeedbackOut,
    summary="Accept, reject (with a reason) or add an occupation by hand",
)
@signed_in
def give_feedback(request, veteran_id: Id, payload: FeedbackIn):
    veteran = _veteran(request, veteran_id)
    occupation = Occupation.objects.filter(pk=payload.occupation_id).first()
    if occupation is None:
        raise ValidationError({"occupation_id": ["no such occupation"]})
    return services.give_feedback(
        actor=request.user,
        veteran=veteran,
        occupation=occupation,
        decision=payload.decision,
        reason=payload.reason,
    )


@router.post(
    "/orientation/what-if",
    response=list[RecommendationOut],
    summary="Rank occupations for a profile that is not in the registry (nothing is stored)",
)
@requires("orientation.run_orientation")
def what_if(request, payload: WhatIfIn):
    try:
        results = services.as_dicts(services.what_if(payload.profile, payload.top))
    except LookupError as exc:
        raise ValidationError({"taxonomy": [str(exc)]}) from None
    region = payload.profile.get("region", "") if isinstance(payload.profile, dict) else ""
    return explanations.prepare(results, region=str(region), language=get_language() or "en")


PlanVersion = Annotated[int, Field(ge=1, le=MAX_INTEGER)]


class PlanItem(Schema):
    version: int
    created_at: datetime
    created_by_id: int | None


class PlanOut(PlanItem):
    content: dict


def _plan(veteran, version: int):
    plan = services.plan_to_show(veteran, version)
    if plan is None:
        raise Http404("no such plan version")
    return plan


@router.get(
    "/veterans/{veteran_id}/plans",
    response=list[PlanItem],
    summary="Every version of a veteran's individual career plan, newest first",
)
@signed_in
def plan_list(request, veteran_id: Id):
    return list(selectors.plans_of(_veteran(request, veteran_id)))


@router.post(
    "/veterans/{veteran_id}/plans",
    response=PlanOut,
    summary="Bring the plan up to date (a new version only when its content changed)",
)
@signed_in
def plan_save(request, veteran_id: Id):
    veteran = _veteran(request, veteran_id)
    return plans.save_plan(actor=request.user, veteran=veteran)


@router.get(
    "/veterans/{veteran_id}/plans/{version}",
    response=PlanOut,
    summary="One version of the plan, as data",
)
@signed_in
def plan_detail(request, veteran_id: Id, version: PlanVersion):
    return _plan(_veteran(request, veteran_id), version)


@router.get(
    "/veterans/{veteran_id}/plans/{version}/pdf",
    summary="One version of the plan as a PDF, in English or Russian",
    response={200: None},
    openapi_extra=file_answer("application/pdf", description="The plan as a PDF"),
)
@signed_in
def plan_pdf(request, veteran_id: Id, version: PlanVersion, lang: Literal["en", "ru"] = "en"):
    plan = _plan(_veteran(request, veteran_id), version)
    return HttpResponse(pdf.render_plan(plan, lang), content_type="application/pdf")
