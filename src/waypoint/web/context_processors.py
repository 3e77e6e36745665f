from django.urls import reverse
from django.utils.translation import gettext as _

from waypoint.accounts.access import may, may_see_administration
from waypoint.accounts.roles import role_label
from waypoint.people.access import own_record_of
from waypoint.shared.notifications import unread_count


def navigation(request) -> dict:
    """The menu: each entry shows only to people who may open it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    entries = [
        (_("Home"), "web:home", None),
        (_("Veterans"), "people:veteran_list", "people.view_veteran"),
        (_("New intake"), "people:intake", "people.add_veteran"),
        (_("Import"), "people:import", "people.import_veterans"),
        (_("Cases"), "cases:caseload", "cases.view_case"),
        (_("Referrals"), "cases:referrals", "cases.answer_referrals"),
        (_("Log an appeal"), "appeals:log", "appeals.log_appeal"),
        (_("Appeals"), "appeals:list", "appeals.work_appeals"),
        (_("Appeal reports"), "appeals:reports", "appeals.view_appeal_reports"),
        (_("Occupations"), "taxonomy:browse", None),
        (_("Training"), "training:catalogue", "training.view_programme"),
        (_("Enrolments"), "training:enrolments", "training.view_programme"),
        (_("Vacancies"), "employment:vacancies", None),
        (_("Leadership track"), "leadership:tracks", "leadership.view_track"),
        (_("Well-being"), "wellbeing:home", "wellbeing.provide_care"),
        (_("Duty limitations"), "wellbeing:notices", "wellbeing.receive_command_notices"),
        (_("Clinical records"), "wellbeing:records", "wellbeing.keep_clinical_records"),
        (_("Analytics"), "analytics:home", "analytics.view_labour_market"),
        (_("Audit log"), "audit:event_list", "audit.view_auditevent"),
    ]
    items = [
        {
            "label": label,
            "url": reverse(name),
            "active": request.resolver_match is not None
            and request.resolver_match.view_name == name,
        }
        for label, name, permission in entries
        if permission is None or may(user, permission)
    ]
    own = own_record_of(user)
    if own is not None:
        items.append(
            {
                "label": _("My record"),
                "url": reverse("people:veteran_detail", args=[own.pk]),
                "active": False,
            }
        )
        items.append(
            {"label": _("My well-being"), "url": reverse("wellbeing:mine"), "active": False}
        )
    unread = unread_count(user)
    items.append(
        {
            "label": f"{_('Notifications')} ({unread})" if unread else _("Notifications"),
            "url": reverse("shared:notifications"),
            "active": request.resolver_match is not None
            and request.resolver_match.view_name == "shared:notifications",
        }
    )
    # The product's own administration pages; Django's admin (for rare cases) is linked there.
    if may_see_administration(user):
        items.append(
            {
                "label": _("Administration"),
                "url": reverse("accounts:manage"),
                "active": request.resolver_match is not None
                and request.resolver_match.namespace == "accounts",
            }
        )
    elif user.is_staff:
        items.append({"label": _("Administration"), "url": reverse("admin:index"), "active": False})
    roles = ", ".join(role_label(group.name) for group in user.groups.all())
    return {"nav_items": items, "user_roles": roles, "unread_notifications": unread}
