"""Plain words for a ranked occupation, in English or Russian: what the veteran already has
(and from where), what they would add, and a course that teaches it. A veteran reads these
sentences; the numbers behind a ranking stay with staff (the pages show them in a <details>).

And for a veteran with nothing to rank on: which parts of the record to fill in, with links.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from waypoint.kit.dates import local_date
from waypoint.orientation.credentials import VEHICLE_SKILLS
from waypoint.people.access import may_edit
from waypoint.taxonomy import display

HELD_SHOWN = 3
MISSING_SHOWN = 4
SOURCES_SHOWN = 3
# How profiles.py words the source of a skill (stored in English, see services.evidence_of).
SOURCES = (
    gettext_noop("military specialty: %(text)s"),
    gettext_noop("civilian job: %(text)s"),
    gettext_noop("confirmed: %(text)s"),
    gettext_noop("declared: %(text)s"),
    gettext_noop("driving licence %(text)s"),
    gettext_noop("course completed: %(text)s"),
    gettext_noop("duties at %(job)s"),
)


def source_text(source: str, language: str) -> str:
    """A stored source ("driving licence C", "military specialty: сапёр") in the reader's
    language; one worded otherwise (an older run) is shown as it is."""
    if source == "duties":
        with translation.override(language):
            return _("duties")
    for template in SOURCES:
        key = "job" if "%(job)s" in template else "text"
        head, tail = template.split(f"%({key})s")
        if source.startswith(head) and source.endswith(tail) and len(source) > len(head + tail):
            text = source[len(head) : len(source) - len(tail)]
            with translation.override(language):
                return _(template) % {key: text}
    return source


def sources_text(sources: list[str], language: str) -> list[str]:
    """Sources in the reader's language, each once, driving licences named together
    ("driving licences B, C, CE")."""
    head, tail = SOURCES[4].split("%(text)s")
    licences = [
        s[len(head) :] for s in sources if s.startswith(head) and not tail and len(s) > len(head)
    ]
    shown: list[str] = []
    for source in sources:
        if source[len(head) :] in licences and source.startswith(head):
            if len(licences) > 1:
                with translation.override(language):
                    order = list(VEHICLE_SKILLS)
                    held = sorted(set(licences), key=lambda c: order.index(c) if c in order else 99)
                    source = _("driving licences %(categories)s") % {"categories": ", ".join(held)}
            else:
                source = source_text(source, language)
        else:
            source = source_text(source, language)
        if source not in shown:
            shown.append(source)
    return shown


def quoted(text: str) -> str:
    return _("“%(text)s”") % {"text": text}


def listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c" in the active language."""
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def duration(weeks: int) -> str:
    if weeks >= 8:
        months = round(weeks / 4.345)
        return ngettext("%(n)d month", "%(n)d months", months) % {"n": months}
    return ngettext("%(n)d week", "%(n)d weeks", weeks) % {"n": weeks}


def sentences(
    *,
    occupation: str,
    held: list[str],
    sources: list[str],
    missing: list[str],
    course: dict | None = None,
    similar: bool = False,
    preferred: bool = False,
    demand: bool = False,
) -> list[str]:
    """The explanation in the active language. Labels come in that language already;
    course: {"title", "provider", "weeks", "start" (ISO date or None), "taught", "leads"}."""
    said = []
    if held:
        shown = [quoted(label) for label in held[:HELD_SHOWN]]
        if len(held) > HELD_SHOWN:
            shown.append(_("%(n)d more") % {"n": len(held) - HELD_SHOWN})
        text = ngettext(
            "You already have the skill %(skills)s",
            "You already have the skills %(skills)s",
            len(held),
        ) % {"skills": listed(shown)}
        if sources:
            text += " " + _("(from: %(sources)s)") % {"sources": "; ".join(sources[:SOURCES_SHOWN])}
        said.append(text + ".")
    elif similar:
        said.append(_("None of your skills is one it asks for, but some are close."))
    else:
        said.append(_("None of your recorded skills is one it asks for yet."))
    name = quoted(occupation)
    if missing:
        shown = [quoted(label) for label in missing[:MISSING_SHOWN]]
        if len(missing) > MISSING_SHOWN:
            shown.append(_("%(n)d more") % {"n": len(missing) - MISSING_SHOWN})
        said.append(
            _("To work as %(occupation)s you would add %(skills)s.")
            % {"occupation": name, "skills": listed(shown)}
        )
    else:
        said.append(_("You have every essential skill of %(occupation)s.") % {"occupation": name})
    if course and (course.get("taught") or course.get("leads")):
        values = {
            "title": quoted(course["title"]),
            "provider": course["provider"],
            "duration": duration(course["weeks"]),
            "date": local_date(course.get("start")),
        }
        if course.get("taught") and missing:
            values["count"] = course["taught"]
            said.append(
                ngettext(
                    "The course %(title)s at %(provider)s (%(duration)s, next group from "
                    "%(date)s) teaches %(count)d of these skills.",
                    "The course %(title)s at %(provider)s (%(duration)s, next group from "
                    "%(date)s) teaches %(count)d of these skills.",
                    course["taught"],
                )
                % values
            )
        else:
            said.append(
                _(
                    "The course %(title)s at %(provider)s (%(duration)s, next group from "
                    "%(date)s) prepares for this occupation."
                )
                % values
            )
    elif missing:
        said.append(_("No open course teaches these skills yet: ask your coordinator."))
    if preferred:
        said.append(_("You named this occupation yourself."))
    if demand:
        said.append(_("Employers are hiring for it where you want to work."))
    return said


def course_of(programmes: list) -> dict | None:
    """The best of training.selectors.programmes_closing_gap, as sentences() takes it."""
    for programme in programmes:
        if programme.taught or programme.leads:
            return {
                "id": programme.pk,
                "title": programme.title,
                "provider": str(programme.provider),
                "weeks": programme.duration_weeks,
                "start": programme.next_start.isoformat() if programme.next_start else None,
                "taught": programme.taught,
                "leads": bool(programme.leads),
            }
    return None


def explain(items: list[dict], language: str) -> None:
    """Add `sentences` and `summary` (plain text) to ranked items (services.results_of, with
    `missing` already without what the veteran's documents cover, and with `course`)."""
    # Names as the display rule gives them (waypoint.taxonomy.display): results_of has already
    # added the Russian ones.
    with translation.override(language):
        for item in items:
            item["shown"] = display.term(item, language).text
            for skill in item["matched"] + item["missing"]:
                skill["shown"] = display.term(skill, language).text
            for skill in item["matched"]:
                skill["sources_shown"] = [
                    source_text(source, language) for source in skill.get("sources", [])
                ]
            sources = sources_text(
                [source for skill in item["matched"][:HELD_SHOWN] for source in skill["sources"]],
                language,
            )
            terms = item.get("terms", {})
            item["sentences"] = sentences(
                occupation=item["shown"],
                held=[s["shown"] for s in item["matched"]],
                sources=sources,
                missing=[s["shown"] for s in item["missing"]],
                course=item.get("course"),
                similar=bool(item.get("transfers")),
                preferred=terms.get("preference", 0) > 0,
                demand=terms.get("demand", 0) > 0,
            )
            item["summary"] = " ".join(item["sentences"])


def what_to_add(user, veteran) -> list[dict]:
    """The parts of a record that would let occupations be ranked, each with where to add
    it (None when this user cannot edit the record)."""
    editable = may_edit(user, veteran)

    def link(name: str, *args) -> str | None:
        return reverse(name, args=[veteran.pk, *args]) if editable else None

    wanted = []
    if not veteran.service_records.exists():
        wanted.append(
            {"text": _("a military specialty"), "url": link("people:part_add", "service")}
        )
    if not veteran.civilian_jobs.exists():
        wanted.append({"text": _("a civilian job"), "url": link("people:part_add", "job")})
    if not veteran.skills.exists():
        wanted.append({"text": _("skills"), "url": link("people:part_add", "skill")})
    if not veteran.driving_licences:
        wanted.append({"text": _("driving licences"), "url": link("people:veteran_edit")})
    if not wanted:  # there is something, but nothing the taxonomy understood
        wanted.append(
            {
                "text": _(
                    "skills in other words, or the occupation each specialty and job stands for"
                ),
                "url": link("people:part_add", "skill"),
            }
        )
    return wanted


def prepare(items: list[dict], *, region: str, language: str, covered=frozenset()) -> list[dict]:
    """Ranked items as a reader sees them: without the missing skills the veteran's documents
    now cover (a ranking made before a licence was recorded never asks for it), with the
    programmes that close the gap, the best of them as `course`, and the sentences."""
    from waypoint.training.selectors import programmes_closing_gap

    for item in items:
        item["missing"] = [s for s in item["missing"] if s["uri"] not in covered]
        item["programmes"] = programmes_closing_gap(
            item["occupation_id"], [s["uri"] for s in item["missing"]], region
        )
        item["course"] = course_of(item["programmes"])
    explain(items, language)
    return items
