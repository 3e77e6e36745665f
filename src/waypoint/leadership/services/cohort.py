"""The end of selection: the ranked shortlist, the cohort and its reserve, placements.

The shortlist ranks everyone the council approved by the composite score (scoring.py). The
cohort takes the top of it, never more than the track's cohort size; the rest wait on the
reserve list, in rank order, for a place that frees up. A cohort member is placed in a
civil-service or municipal post.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.audit.services import diff, record, snapshot
from waypoint.employment.models import Employer, Vacancy
from waypoint.leadership import access
from waypoint.leadership.models import MANAGE, Candidacy, Track
from waypoint.leadership.selectors import Standing, standings
from waypoint.leadership.services import check_step, locked, move

S = Candidacy.Stage
HOLDS_PLACE = (S.COHORT, S.PLACED)
PUBLIC_SECTORS: tuple[str, ...] = (Employer.Sector.STATE, Employer.Sector.MUNICIPAL)


def publish_shortlist(*, actor: User, track: Track) -> list[Standing]:
    """Rank everyone the council approved, with everyone ranked before, by the composite
    score (scoring.py); the newly approved join the shortlist."""
    if not access.may_publish_shortlist(actor, track):
        raise PermissionDenied(MANAGE)
    with transaction.atomic():
        track = Track.objects.select_for_update().get(pk=track.pk)
        if track.status != Track.Status.SELECTION:
            raise ValidationError(
                {
                    "track": [
                        _(
                            "the shortlist is drawn up once applications have closed and "
                            "selection is under way"
                        )
                    ]
                }
            )
        if not track.candidacies.filter(stage=S.APPROVED).exists():
            raise ValidationError(
                {
                    "shortlist": [
                        _("no candidate approved by the council is waiting for the shortlist")
                    ]
                }
            )
        ranking = standings(track, for_update=True)
        for standing in ranking:
            candidacy = standing.candidacy
            before = snapshot(candidacy, ["composite", "rank"])
            candidacy.composite = standing.composite.shown
            candidacy.rank = standing.rank
            changes = diff(before, snapshot(candidacy, ["composite", "rank"]))
            if candidacy.stage == S.APPROVED:
                move(
                    actor=actor,
                    candidacy=candidacy,
                    to=S.SHORTLISTED,
                    action="leadership.candidacy.shortlist",
                    changes=changes,
                )
            elif changes:
                candidacy.save(update_fields=["composite", "rank", "updated_at"])
                record(
                    actor=actor,
                    action="leadership.candidacy.rerank",
                    subject=candidacy,
                    changes=changes,
                )
    return ranking


def form_cohort(*, actor: User, track: Track) -> dict:
    """Fill the cohort's free places from the top of the shortlist and the reserve, in rank
    order; the rest stay, or go, on the reserve list. Never more than the cohort size."""
    if not access.may_form_cohort(actor, track):
        raise PermissionDenied(MANAGE)
    with transaction.atomic():
        track = Track.objects.select_for_update().get(pk=track.pk)
        if track.status != Track.Status.SELECTION:
            raise ValidationError(
                {"track": [_("the cohort is formed while selection is under way")]}
            )
        waiting = track.candidacies.filter(stage=S.APPROVED).count()
        if waiting:
            raise ValidationError(
                {
                    "shortlist": [
                        _(
                            "%(n)s approved candidates are not on the shortlist yet: draw up "
                            "the shortlist first"
                        )
                        % {"n": waiting}
                    ]
                }
            )
        pool = list(
            track.candidacies.select_for_update()
            .filter(stage__in=(S.SHORTLISTED, S.RESERVE))
            .order_by("rank", "pk")
        )
        if not pool:
            raise ValidationError(
                {"shortlist": [_("no one is on the shortlist or the reserve list")]}
            )
        places = max(track.cohort_size - track.candidacies.filter(stage__in=HOLDS_PLACE).count(), 0)
        moved = {S.COHORT: 0, S.RESERVE: 0}
        for position, candidacy in enumerate(pool):
            to = S.COHORT if position < places else S.RESERVE
            if candidacy.stage != to:
                move(
                    actor=actor,
                    candidacy=candidacy,
                    to=to,
                    action="leadership.candidacy.cohort",
                    changes={"rank": [None, candidacy.rank]},
                )
                moved[to] += 1
    return {"cohort": moved[S.COHORT], "reserve": moved[S.RESERVE]}


def place(
    *,
    actor: User,
    candidacy: Candidacy,
    start_date: date | None,
    vacancy: Vacancy | None = None,
    employer: Employer | None = None,
    post_title: str = "",
) -> Candidacy:
    """A cohort member takes up a civil-service or municipal post: a vacancy flagged as
    such, or a post at an employer of the state or municipal sector."""
    if not access.may_place(actor, candidacy):
        raise PermissionDenied(MANAGE)
    errors: dict[str, list[str]] = {}
    post_title = post_title.strip()
    if vacancy is None and employer is None:
        errors["vacancy"] = [
            _("choose a civil-service or municipal vacancy, or a state or municipal employer")
        ]
    elif vacancy is not None and employer is not None:
        errors["vacancy"] = [_("give a vacancy or an employer, not both")]
    elif vacancy is not None:
        if not (vacancy.is_civil_service or vacancy.is_municipal):
            errors["vacancy"] = [
                _("the vacancy is neither in the civil service nor in municipal service")
            ]
        employer = vacancy.employer
        post_title = post_title or vacancy.title
    elif employer is not None and employer.sector not in PUBLIC_SECTORS:
        errors["employer"] = [
            _(
                "the employer is in the %(sector)s sector; the track places into state and "
                "municipal posts"
            )
            % {"sector": employer.get_sector_display()}
        ]
    if employer is not None and not post_title:
        errors["post_title"] = [_("name the post")]
    if start_date is None:
        errors["start_date"] = [_("give the date the post starts")]
    with transaction.atomic():
        current = locked(candidacy)
        check_step(current, S.PLACED)
        # A missing employer or date is one of the errors (a vacancy brings its employer).
        if errors or employer is None or start_date is None:
            raise ValidationError(errors)
        current.placement_vacancy = vacancy
        current.placement_employer = employer
        current.placement_post = post_title[:300]
        current.placement_start = start_date
        return move(
            actor=actor,
            candidacy=current,
            to=S.PLACED,
            action="leadership.candidacy.place",
            changes={
                "placement_vacancy": [None, vacancy.pk if vacancy else None],
                "placement_employer": [None, employer.pk],
                "placement_post": [None, post_title],
                "placement_start": [None, start_date.isoformat()],
            },
        )
