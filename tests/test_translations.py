"""Every UI string has a Russian translation, and the compiled catalogue matches the source."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "waypoint"
CATALOGUE = PACKAGE / "locale" / "ru" / "LC_MESSAGES"


def _entries(path: Path) -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(path)) if not entry.obsolete]


def test_russian_catalogue_is_complete():
    untranslated = [
        entry.msgid
        for entry in _entries(CATALOGUE / "django.po")
        if not entry.translated() or "fuzzy" in entry.flags
    ]
    assert untranslated == []


def test_compiled_catalogue_matches_the_source():
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    stale = []
    for entry in _entries(CATALOGUE / "django.po"):
        if entry.msgid_plural:
            got = translations.ngettext(entry.msgid, entry.msgid_plural, 1)
            expected = entry.msgstr_plural[0]
        elif entry.msgctxt:
            got = translations.pgettext(entry.msgctxt, entry.msgid)
            expected = entry.msgstr
        else:
            got, expected = translations.gettext(entry.msgid), entry.msgstr
        if got != expected:
            stale.append(entry.msgid)
    assert stale == [], "run: waypoint compilemessages (from src/waypoint)"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    copy = tmp_path / "waypoint"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "ru",
            "--no-obsolete",
            "--no-location",
            "--no-wrap",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "waypoint.settings",
            "WAYPOINT_DEBUG": "1",
            "WAYPOINT_HOME": str(tmp_path / "home"),
            "PATH": "/usr/bin:/bin",
        },
    )
    fresh = {entry.msgid for entry in _entries(copy / "locale/ru/LC_MESSAGES/django.po")}
    known = {entry.msgid for entry in _entries(CATALOGUE / "django.po")}
    assert sorted(fresh - known) == []


def test_django_strings_its_russian_catalogue_lacks_are_translated_in_ours(client, coordinator):
    """Django 6.1's empty choice ("- Select an option -") reached the Russian intake form."""
    from django.conf import settings
    from django.db.models.fields import BLANK_CHOICE_LABEL
    from django.utils import translation

    from waypoint.web.django_strings import DJANGO_STRINGS

    with translation.override("ru"):
        untranslated = [str(s) for s in DJANGO_STRINGS[:-1] if translation.gettext(s) == s]
        assert untranslated == []
        assert str(BLANK_CHOICE_LABEL) == "— Выберите —"
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get("/veterans/new/").content.decode()
    assert "— Выберите —" in page
    assert "Select an option" not in page
