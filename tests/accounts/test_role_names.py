"""Roles and permissions read in Russian wherever a person sees them: every role's label and
every permission Django knows, its own "Can add …" ones included."""

import re

from django.contrib.auth.models import Permission
from django.utils import translation

from waypoint.accounts.roles import ROLES, permission_label, role_label

LATIN_WORD = re.compile(r"\b[A-Za-z]{2,}\b")
# Abbreviations that stay Latin in Russian text.
ALLOWED = {"PDF", "CSV", "API", "ISCO", "ESCO", "FHIR"}


def _english(text: str) -> list[str]:
    return [word for word in LATIN_WORD.findall(text) if word not in ALLOWED]


def test_every_role_and_permission_has_a_russian_name(db):
    with translation.override("ru"):
        roles = {role.code: role_label(role.code) for role in ROLES}
        permissions = {
            f"{p.content_type.app_label}.{p.codename}": permission_label(p)
            for p in Permission.objects.select_related("content_type")
        }
    assert {code: label for code, label in roles.items() if _english(label)} == {}
    english = sorted(f"{code}: {label}" for code, label in permissions.items() if _english(label))
    assert english == []


def test_a_models_own_permission_is_named_by_the_model(db):
    permission = Permission.objects.get(codename="add_veteran")
    with translation.override("ru"):
        assert permission_label(permission) == "Может добавлять: ветеран"
    with translation.override("en"):
        assert permission_label(permission) == "Can add: veteran"
