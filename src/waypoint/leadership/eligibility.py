"""A track's eligibility rules, checked against the veteran's record.

The result is a proposal with every rule's outcome and figures, stored on the candidacy; a
selection officer decides. Rules a track does not set are not checked.

- region: a regional track is for veterans registered in its region.
- education: the highest recorded education, as an ISCED 2011 level (the mapping of
  orientation.rules.ISCED: bachelor 6, specialist and master 7), at least the track's.
- management or command experience, in years to a tenth, at least the track's. Counted:
  * service records with an officer's rank (junior lieutenant and above), or whose military
    specialty names a command post ("командир", "начальник", "commander", "chief", "head");
  * civilian jobs coded as an ISCO-08 manager occupation (major group 1), or whose title
    names a management post (руководитель, начальник, директор, заведующий, управляющий,
    глава, бригадир, manager, director, head, chief, supervisor, foreman). "Менеджер" alone
    is not counted: in Russian job titles it mostly names a sales or office post.
  Service runs from its start to its end (or today); a job from its start year to its end
  year (or this year). Periods are added as recorded, without merging overlaps; each counted
  period is listed for the reviewing officer.
- no disqualifying record: the candidate's declaration (an unexpunged criminal conviction or
  another bar to state and municipal service) made when applying; the system cannot verify
  it, the officer can.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.orientation.rules import ISCED
from waypoint.people.models import ServiceRecord, Veteran

OFFICER_RANKS = frozenset(
    {
        ServiceRecord.Rank.JUNIOR_LIEUTENANT,
        ServiceRecord.Rank.LIEUTENANT,
        ServiceRecord.Rank.SENIOR_LIEUTENANT,
        ServiceRecord.Rank.CAPTAIN,
        ServiceRecord.Rank.MAJOR,
        ServiceRecord.Rank.LIEUTENANT_COLONEL,
        ServiceRecord.Rank.COLONEL,
        ServiceRecord.Rank.GENERAL,
    }
)
COMMAND_WORDS = ("командир", "начальник", "commander", "chief", "head")
MANAGEMENT_WORDS = (
    "руководител",
    "начальник",
    "директор",
    "заведующ",
    "управляющ",
    "глава",
    "бригадир",
    "manager",
    "director",
    "head",
    "chief",
    "supervisor",
    "foreman",
)
DAYS_PER_YEAR = 365.25


def _names(text: str, words: tuple[str, ...]) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in words)


def management_periods(veteran: Veteran, today: date) -> list[dict]:
    """The service and jobs that count as management or command, with their years."""
    periods = []
    for service in veteran.service_records.all():
        if service.rank in OFFICER_RANKS:
            why = "officer_rank"
        elif _names(service.specialty, COMMAND_WORDS):
            why = "command_post"
        else:
            continue
        end = service.end_date or today
        periods.append(
            {
                "kind": "service",
                "title": service.specialty,
                "from": service.start_date.isoformat(),
                "to": end.isoformat(),
                "years": round(max((end - service.start_date).days, 0) / DAYS_PER_YEAR, 1),
                "why": why,
            }
        )
    for job in veteran.civilian_jobs.select_related("occupation", "suggested_occupation"):
        occupation = job.coded_occupation
        if occupation is not None and occupation.isco_group.startswith("1"):
            why = "manager_occupation"
        elif _names(job.title, MANAGEMENT_WORDS):
            why = "management_title"
        else:
            continue
        end = job.end_year or today.year
        periods.append(
            {
                "kind": "job",
                "title": job.title,
                "from": str(job.start_year),
                "to": str(end),
                "years": float(max(end - job.start_year, 0)),
                "why": why,
            }
        )
    return periods


def check(track, veteran: Veteran, *, has_disqualifying_record: bool) -> dict:
    """Every rule the track sets, passed or not, with the figures behind it."""
    today = timezone.localdate()
    checks: list[dict] = []
    if track.region_id:
        checks.append(
            {
                "rule": "region",
                "passed": veteran.region_id == track.region_id,
                "required": track.region_id,
                "found": veteran.region_id,
            }
        )
    if track.min_education is not None:
        levels = [ISCED.get(education.level) for education in veteran.education.all()]
        found = max((level for level in levels if level is not None), default=None)
        checks.append(
            {
                "rule": "education",
                "passed": found is not None and found >= track.min_education,
                "required": track.min_education,
                "found": found,
            }
        )
    if track.min_management_years:
        periods = management_periods(veteran, today)
        years = round(sum(period["years"] for period in periods), 1)
        checks.append(
            {
                "rule": "management",
                "passed": years >= track.min_management_years,
                "required": track.min_management_years,
                "found": years,
                "periods": periods,
            }
        )
    if track.requires_clean_record:
        checks.append({"rule": "record", "passed": not has_disqualifying_record})
    return {
        "eligible": all(item["passed"] for item in checks),
        "checked_at": timezone.now().isoformat(),
        "checks": checks,
    }


def explain(item: dict) -> str:
    """One rule's outcome in words, in the reader's language."""
    rule, passed = item["rule"], item["passed"]
    if rule == "region":
        if passed:
            return _("region: registered in the track's region (%(required)s)") % item
        return (
            _(
                "region: the track is for veterans of region %(required)s; "
                "the veteran is registered in %(found)s"
            )
            % item
        )
    if rule == "education":
        if passed:
            return (
                _("education: ISCED level %(found)s; the track asks for %(required)s or higher")
                % item
            )
        if item["found"] is None:
            return (
                _("education: none recorded; the track asks for ISCED %(required)s or higher")
                % item
            )
        return (
            _(
                "education: the highest recorded level is ISCED %(found)s; "
                "the track asks for %(required)s or higher"
            )
            % item
        )
    if rule == "management":
        if passed:
            return (
                _(
                    "management or command experience: %(found)s years counted; "
                    "the track asks for at least %(required)s"
                )
                % item
            )
        return (
            _(
                "management or command experience: only %(found)s years counted; "
                "the track asks for at least %(required)s"
            )
            % item
        )
    if rule == "record":
        if passed:
            return _("declared no disqualifying record")
        return _(
            "declared a disqualifying record (an unexpunged criminal conviction or another bar "
            "to public service)"
        )
    return rule


def period_reason(code: str) -> str:
    """Why a period of service or work counted as management or command."""
    labels = {
        "officer_rank": _("officer's rank"),
        "command_post": _("command post"),
        "management_title": _("management post"),
        "manager_occupation": _("manager occupation (ISCO-08 group 1)"),
    }
    return labels.get(code, code)
