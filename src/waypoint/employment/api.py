"""/api/v1/vacancies: open vacancies, filtered by region and occupation."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from waypoint.accounts.access import signed_in
from waypoint.employment import selectors

router = Router(tags=["vacancies"])


class VacancyOut(Schema):
    id: int
    source: str
    source_id: str
    title: str
    employer_id: int
    employer: str
    employer_inn: str
    occupation_id: int | None
    region: str = Field(validation_alias="region_id")
    salary_min: int | None
    salary_max: int | None
    openings: int
    veteran_quota: int
    schedule: str
    employment_type: str
    published_on: date | None

    @staticmethod
    def resolve_employer(vacancy) -> str:
        return vacancy.employer.legal_name

    @staticmethod
    def resolve_employer_inn(vacancy) -> str:
        return vacancy.employer.inn


@router.get("", response=list[VacancyOut], summary="Open vacancies")
@signed_in
@paginate
def vacancy_list(request, q: str = "", region: str = "", occupation: int | None = None):
    return selectors.vacancies(q=q, region=region, occupation=occupation)


@router.get("/{vacancy_id}", response=VacancyOut, summary="One vacancy")
@signed_in
def vacancy_detail(request, vacancy_id: int):
    return get_object_or_404(selectors.vacancies(), pk=vacancy_id)
