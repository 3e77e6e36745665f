"""Every page, as every persona, in Russian: no English words in the interface.

The pages are the permission matrix's GET page rows (tests/test_permission_matrix.py keeps those
complete for every route of the URL conf), rendered on one world built once, in Russian: the
matrix's, with its leadership, appeals, case-records and well-being parts, a clinical record
keeper, and screenings the `veteran_user` answered on their own record. Every HTML answer,
whatever its status (refusals and "not found" pages too), is reduced to what a person reads
(text, and the attributes shown on screen); each Latin-script word outside the allow-list is
a finding, reported with the text around it and the pages and personas where it showed.
"""

import re
from collections import defaultdict
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from tests.appeals.world import appeals_world
from tests.cases.casefile_world import casefile_world
from tests.conftest import PERSONAS, make_organisation, make_user
from tests.leadership.world import leadership_world
from tests.route_matrix import ANONYMOUS, all_rows, send, world  # noqa: F401
from tests.wellbeing.world import consent as wellbeing_consent
from tests.wellbeing.world import wellbeing_world
from waypoint.accounts.models import Organisation, User
from waypoint.leadership.models import Track
from waypoint.people.models import Veteran
from waypoint.taxonomy.models import Taxonomy
from waypoint.wellbeing import services as wellbeing
from waypoint.wellbeing.models import Screening

RUSSIAN_PERSONAS = (ANONYMOUS, *PERSONAS, "record_keeper")

# Words a Russian reader meets in Latin letters on purpose: the product's name; formats,
# standards and instruments known by their Latin abbreviations; keys of the keyboard; brands
# of authenticator apps; the switch that reveals the English names of occupations.
ALLOWED_WORDS = {
    *("Waypoint", "EN"),
    *("PDF", "CSV", "XLSX", "DOCX", "ODT", "TXT", "JPEG", "PNG", "JSON", "API", "OpenAPI"),
    *("csv", "xlsx", "pdf"),  # file name extensions
    *("FHIR", "ESCO", "ISCO", "ISCED", "O*NET", "GDPR", "UTC", "SMS", "QR", "ID", "TOTP"),
    *("PHQ", "GAD", "PC", "PTSD", "AUDIT", "C"),  # PHQ-9, GAD-7, PC-PTSD-5, AUDIT-C
    *("GPS", "SQL", "HACCP"),  # in the names of skills
    *("Tab", "Enter", "Ctrl", "Esc"),
    *("FreeOTP", "Google", "Authenticator", "Yandex", "Key"),
    *("I", "II", "III", "IV", "V"),  # disability groups
    *("A", "B", "BE", "C1", "CE", "D", "DE", "M", "Tm", "Tb"),  # driving licence categories
}
# E-mail addresses, web addresses, file names, and codes: with digits (ISCO, ОКЗ, ESCO
# codes), or identifiers people type in filters and file headers (people.veteran, last_name).
NOT_WORDS = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+"
    r"|\bhttps?://\S+"
    r"|\burn:\S+"
    r"|\b[\w.-]*\d[\w.-]*\b"
    r"|\b[a-z][a-z0-9]*(?:[._][a-z0-9]*)+"
)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z*'’]*")
# Attributes whose values a person sees or hears.
SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "label"}
# Not read as words: scripts and styles, codes and keys set as such, and text the page marks
# as another language (the English names the "EN" switch reveals, citations, "English").
HIDDEN = {"script", "style", "template", "code", "kbd", "samp"}
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class VisibleText(HTMLParser):
    """What a person reads: text outside script and style, and attributes shown on screen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.views: list[str] = []  # links to other views of the same page: "?tab=skills"
        self._open: list[bool] = []  # per open element: is its content left out?

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and (values.get("href") or "").startswith("?"):
            self.views.append(values["href"])
        foreign = (values.get("lang") or "ru")[:2] != "ru"
        if tag == "html" and foreign:
            # The page itself says it is not Russian (Django's own error pages do).
            self.parts.append(f"<html lang={values['lang']}>")
            foreign = False
        if tag not in VOID:
            self._open.append(tag in HIDDEN or foreign or self._hidden)
        if foreign or self._hidden:
            return
        self.parts.extend(value for name, value in attrs if name in SHOWN_ATTRIBUTES and value)
        shows_value = values.get("type") in ("submit", "button", "reset")
        if tag == "input" and shows_value and values.get("value"):
            self.parts.append(values["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._open.pop()

    def handle_endtag(self, tag):
        if tag not in VOID and self._open:
            self._open.pop()

    @property
    def _hidden(self) -> bool:
        return bool(self._open) and self._open[-1]

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data)


def _read(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser


def visible_text(html: str) -> list[str]:
    return [" ".join(part.split()) for part in _read(html).parts]


def latin_words(text: str, data_words: set[str]) -> list[str]:
    found = []
    for word in LATIN_WORD.findall(NOT_WORDS.sub(" ", text)):
        word = word.strip("'’")
        if word and word not in ALLOWED_WORDS and word not in data_words:
            found.append(word)
    return found


def _data_words() -> set[str]:
    """Proper names the world's data wrote in Latin letters (people, organisations, logins):
    shown as typed, never translated."""
    names = []
    for user in User.objects.all():
        names += [user.username, user.first_name, user.last_name, user.email]
    names += Organisation.objects.values_list("name", flat=True)
    names += Track.objects.values_list("title", flat=True)
    names += Taxonomy.objects.values_list("name", flat=True)
    for veteran in Veteran.objects.all():
        names += [veteran.last_name_latin, veteran.first_name_latin]
    return {word for name in names if name for word in LATIN_WORD.findall(name)}


@pytest.fixture
def russian_world(request, db):
    """Built in Russian, as Russian-speaking staff would have left it: what the services
    write in the actor's language (task titles, notices) is Russian too."""
    with translation.override("ru"):
        world = request.getfixturevalue("world")
        world = {**world, **leadership_world(request.getfixturevalue)}
        world = {**world, **casefile_world(request.getfixturevalue, world)}
        world = {**world, **appeals_world(request.getfixturevalue, world["veteran"])}
        world = {**world, **wellbeing_world(request.getfixturevalue, world["veteran"])}
        _own_screenings(
            request.getfixturevalue("veteran_user"), request.getfixturevalue("clinician")
        )
    return world


def _own_screenings(person: User, clinician: User) -> None:
    """The `veteran_user`'s own record answered a screening with a short and an alcohol
    instrument, so their own well-being page lists instruments and scores."""
    veteran = Veteran.objects.get(account=person)
    wellbeing_consent(veteran, person)
    record = wellbeing.open_record(
        actor=clinician, veteran=veteran, returned_on=timezone.localdate() - timedelta(days=10)
    )
    screening = record.screenings.get(occasion=Screening.Occasion.POST_DEPLOYMENT)
    for instrument, answers in (("phq2", [0, 1]), ("gad2", [0, 0]), ("auditc", [2, 1, 0])):
        if instrument in screening.pending:
            wellbeing.submit_response(
                actor=person, screening=screening, instrument_id=instrument, answers=answers
            )


@pytest.fixture
def record_keeper(db):
    return make_user("clinical_record_keeper", make_organisation(name="Archive"))


def test_every_page_speaks_russian_to_every_persona(request, russian_world):
    pages = [row for row in all_rows() if not row.is_api and row.method == "GET"]
    findings: dict[str, set[str]] = defaultdict(set)
    rendered = 0
    personas = {name: request.getfixturevalue(name) for name in RUSSIAN_PERSONAS[1:]}
    data_words = _data_words()
    for name in RUSSIAN_PERSONAS:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
        if name != ANONYMOUS:
            client.force_login(personas[name])
        seen: set[str] = set()
        for row in pages:
            # The row's page, then each other view of it that it links to (a veteran's tabs,
            # an analytics panel, the next page of a list), once per persona.
            try:
                path = row.path(russian_world).split("?")[0]
            except KeyError as missing:
                pytest.fail(f"{row.label} needs {missing}: build its part of the world here")
            answers = [send(client, row, russian_world)]
            while answers:
                response = answers.pop()
                if "text/html" not in response.get("Content-Type", ""):
                    continue
                rendered += 1
                page = _read(response.content.decode())
                for text in (" ".join(part.split()) for part in page.parts):
                    for word in latin_words(text, data_words):
                        findings[f"{word}: {text[:120]}"].add(f"{row.label} as {name}")
                for view in page.views:
                    # A view in another language is asked for, not met (the plan in English).
                    if "lang=" not in view and path + view not in seen:
                        seen.add(path + view)
                        answers.append(client.get(path + view.replace("&amp;", "&")))
    assert rendered > len(pages)
    report = [f"{finding}\n    on {sorted(where)[:3]}" for finding, where in findings.items()]
    assert not report, "English on Russian pages:\n" + "\n".join(sorted(report))


def test_what_a_person_reads_and_what_is_a_finding():
    html = """<html lang="ru"><head><title>Вакансии · Waypoint</title><style>p{}</style></head>
    <body><script>var x = "English";</script><p>Водитель <span lang="en">(driver)</span></p>
    <input placeholder="Search" value="typed"><button type="submit">Save</button>
    <input type="submit" value="Send"><img src="a.png" alt="Logo"><br/>
    <code>people.veteran</code> <kbd>Tab</kbd> <p>Text after</p></body></html>"""
    shown = visible_text(html)
    assert shown == [
        "Вакансии · Waypoint",
        "Водитель",
        "Search",
        "Save",
        "Send",
        "Logo",
        "Text after",
    ]
    assert latin_words(" ".join(shown), set()) == [
        "Search",
        "Save",
        "Send",
        "Logo",
        "Text",
        "after",
    ]
    # Django's own error pages declare themselves English: that is a finding, not a pass.
    assert visible_text('<html lang="en"><h1>Not Found</h1></html>') == [
        "<html lang=en>",
        "Not Found",
    ]


def test_codes_addresses_and_names_from_the_data_are_not_findings():
    text = (
        "ОКЗ 8322 · ISCO 8322 · http://data.europa.eu/esco/occupation/x · a.b@mail.ru · "
        "consent_personal_data · people.veteran · v.csv · PHQ-9 · Ivanov Petr"
    )
    assert latin_words(text, {"Ivanov", "Petr"}) == []
    assert latin_words("cut-off for sex m", set()) == ["cut", "off", "for", "sex", "m"]
