"""Who may see what of the taxonomies. The only module that decides it: the browser, the
API and the services ask here.

Occupations and skills are public reference data for everyone signed in. Which veterans hold
an occupation is the registry's business: listed on an occupation's page only to staff who
read the registry, and then only the veterans people.access lets them see. Imports and the
choice of the taxonomy used for matching run from the command line (the operator), audited.
"""

from django.db.models import QuerySet

from waypoint.taxonomy.models import Occupation, Skill

VIEW_VETERANS = "people.view_veteran"


def occupations_visible_to(user) -> QuerySet[Occupation]:
    if not user.is_authenticated:
        return Occupation.objects.none()
    return Occupation.objects.all()


def skills_visible_to(user) -> QuerySet[Skill]:
    if not user.is_authenticated:
        return Skill.objects.none()
    return Skill.objects.all()


def may_list_veterans_of_occupation(user) -> bool:
    """Then people.selectors.veterans_with_occupation narrows to the veterans in their scope."""
    return user.has_perm(VIEW_VETERANS)
