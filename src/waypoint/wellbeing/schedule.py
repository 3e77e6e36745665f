"""When screenings fall due, after the deployment health assessments: on return, again
90-180 days after, then yearly; follow-ups after a support programme starts; ad hoc when a
clinician asks. Each screening starts with the short screeners (two-stage battery)."""

from datetime import date, timedelta

from waypoint.wellbeing.models import Screening

# Stage one: short screeners; each positive one brings its full instrument (stage two).
SCREENERS = ("phq2", "gad2", "pcptsd5", "auditc")

POST_DEPLOYMENT_WINDOW = 30
REASSESSMENT_FROM, REASSESSMENT_TO = 90, 180
YEAR = 365
WINDOW = 30  # days to answer an annual, ad hoc or follow-up screening


def windows(returned_on: date | None, today: date) -> list[tuple[str, date, date]]:
    """(occasion, due on, window closes on) for a new record; windows already closed are
    skipped, and a record without a return date starts with a yearly screening now."""
    if returned_on is None:
        return [(Screening.Occasion.ANNUAL, today, today + timedelta(days=WINDOW))]
    planned = [
        (
            Screening.Occasion.POST_DEPLOYMENT,
            returned_on,
            returned_on + timedelta(days=POST_DEPLOYMENT_WINDOW),
        ),
        (
            Screening.Occasion.REASSESSMENT,
            returned_on + timedelta(days=REASSESSMENT_FROM),
            returned_on + timedelta(days=REASSESSMENT_TO),
        ),
    ]
    annual = returned_on + timedelta(days=YEAR)
    while annual + timedelta(days=WINDOW) < today:
        annual += timedelta(days=YEAR)
    planned.append((Screening.Occasion.ANNUAL, annual, annual + timedelta(days=WINDOW)))
    return [(occasion, due, closes) for occasion, due, closes in planned if closes >= today]


def next_annual(screening: Screening) -> tuple[date, date]:
    due = screening.due_on + timedelta(days=YEAR)
    return due, due + timedelta(days=WINDOW)
