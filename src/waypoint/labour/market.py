"""The labour market, defined once: which vacancies are open, what a vacancy pays, and how many
openings each region has for each occupation. Orientation (the demand and pay terms of its
ranking), employment (the vacancies it matches) and analytics (the market panels) ask here,
so that a vacancy a veteran is ranked towards is one the dashboards count.

It imports employment's models and nothing of orientation, so orientation can read the market
without importing employment's matching, which imports orientation.

Open. A vacancy is open on a day when it has been published by then (a vacancy without a
publication date counts as published), it has not closed before it (`closes_on` is the last
day it takes applications), and it offers at least one opening. Over a period, a vacancy is
open when it is open on at least one of its days. Orientation and employment used to ignore
the publication date, so a vacancy published with a later date (an employer preparing it
ahead, an import dated in the future) was recommended and matched before it was offered,
while analytics did not count it: the dashboards' rule is the right one, because nobody can
apply to a vacancy that is not offered yet.

Pay. A vacancy's pay is the middle of its advertised range, or the one bound it gives. The
ranking used to take the top of the range (else the bottom) and the dashboards the middle: the
top is what the best-placed candidate might earn, so ranking by it favoured vacancies that
advertise a wide range ("up to 200 000") over those that state their pay narrowly, and told a
veteran that a job met their expectation when only its ceiling did. The middle is the fair
single figure for a range, and the one the medians on the dashboards are made of.
"""

from datetime import date

from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from waypoint.employment.models import Vacancy


def open_vacancies(start: date | None = None, end: date | None = None) -> QuerySet[Vacancy]:
    """Vacancies open on at least one day from `start` (default: today) to `end` (default:
    `start`); with neither, the vacancies open today."""
    start = start or timezone.localdate()
    end = end or start
    return Vacancy.objects.filter(
        Q(published_on__isnull=True) | Q(published_on__lte=end),
        Q(closes_on__isnull=True) | Q(closes_on__gte=start),
        openings__gte=1,
    )


def pay():
    """A vacancy's monthly pay in roubles, as a query expression: the middle of its range
    (rounded down to the rouble), else the one bound it gives, else NULL (not advertised)."""
    return Coalesce(
        ExpressionWrapper((F("salary_min") + F("salary_max")) / 2, output_field=IntegerField()),
        F("salary_min"),
        F("salary_max"),
        output_field=IntegerField(),
    )


def with_pay(vacancies: QuerySet[Vacancy]) -> QuerySet[Vacancy]:
    """The vacancies, each with its `pay` (see pay())."""
    return vacancies.annotate(pay=pay())


def demand(start: date | None = None, end: date | None = None) -> QuerySet:
    """Per region × occupation, among the vacancies open from `start` to `end` (today by
    default) whose occupation is known: `openings` (summed over the vacancies), `vacancies`,
    `paid` (how many of them advertise pay) and `mean_pay` (None when none does)."""
    return (
        with_pay(open_vacancies(start, end).exclude(occupation=None))
        .values("region_id", "occupation_id")
        .annotate(
            openings=Sum("openings"),
            vacancies=Count("pk"),
            paid=Count("pay"),
            mean_pay=Avg("pay"),
        )
        .order_by()
    )


def version() -> tuple:
    """Changes whenever the vacancies open today change (one more, one fewer, one edited) or
    the day does: the key under which a process may keep what it built from them."""
    state = open_vacancies().aggregate(n=Count("pk"), newest=Max("updated_at"), top=Max("pk"))
    return (state["n"], state["newest"], state["top"], timezone.localdate())
