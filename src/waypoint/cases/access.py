"""Who may see and do what with cases, their tasks, notes, documents and referrals. The only
module that decides it: views, API, templates, services and other apps ask here.

Read gates (`*_visible_to`) answer a queryset: missing and forbidden look the same (404). The
`may_*` predicates answer one action each on one record.
"""

from django.db.models import Q, QuerySet

from waypoint.accounts.models import User
from waypoint.cases.models import Case, Document, Note, Referral, Task, Visibility
from waypoint.people.access import SELF_SERVICE, may_edit, veterans_visible_to
from waypoint.people.models import Veteran

VIEW = "cases.view_case"
MANAGE = "cases.manage_cases"
SUPERVISE = "cases.supervise_cases"
ANSWER = "cases.answer_referrals"


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


# --- read gates -----------------------------------------------------------------------------


def cases_visible_to(user) -> QuerySet[Case]:
    """The one read gate for cases: staff who work cases see those of veterans in their
    scope and those their organisation owns; a veteran sees their own."""
    if not _active(user):
        return Case.objects.none()
    if user.has_perm(VIEW):
        allowed = Q(veteran__in=veterans_visible_to(user))
        if user.organisation_id:
            allowed |= Q(organisation_id=user.organisation_id)
        return Case.objects.filter(allowed)
    if user.has_perm(SELF_SERVICE):
        return Case.objects.filter(veteran__account=user)
    return Case.objects.none()


def tasks_visible_to(user) -> QuerySet[Task]:
    """Tasks of cases the person sees, tasks assigned to them, and their organisation's
    queue."""
    if not _active(user):
        return Task.objects.none()
    allowed = Q(case__in=cases_visible_to(user)) | Q(assignee=user)
    if user.organisation_id:
        allowed |= Q(queue_id=user.organisation_id)
    return Task.objects.filter(allowed)


def _records_visible_to(model: type[Note] | type[Document], user) -> QuerySet:
    """Notes and documents: the case must be visible, then the record's level decides. The
    team is the case's coordinator and whoever may manage it (`may_manage`, as a query); the
    organisation adds the staff of the case's organisation. An author always reads their own."""
    if not _active(user):
        return model.objects.none()
    team = Q(case__coordinator=user) | Q(author=user)
    if user.has_perm(SUPERVISE):
        if user.effective_scope == "all":
            team = Q(pk__isnull=False)
        elif user.organisation_id:
            team |= Q(case__organisation_id=user.organisation_id)
    if user.has_perm(MANAGE) and user.has_perm("people.change_veteran"):
        team |= Q(case__veteran__in=veterans_visible_to(user))
    organisation = team
    if user.organisation_id:
        organisation = team | Q(case__organisation_id=user.organisation_id)
    return model.objects.filter(
        Q(case__in=cases_visible_to(user)),
        Q(visibility=Visibility.CASE)
        | (Q(visibility=Visibility.ORGANISATION) & organisation)
        | (Q(visibility=Visibility.TEAM) & team),
    )


def notes_visible_to(user) -> QuerySet[Note]:
    return _records_visible_to(Note, user)


def documents_visible_to(user) -> QuerySet[Document]:
    """Documents, by the notes' rule; a download is a read of one of these."""
    return _records_visible_to(Document, user)


def referrals_visible_to(user) -> QuerySet[Referral]:
    """The sending side reads the referrals of the cases it sees; a receiving
    organisation's staff, only those addressed to their organisation."""
    if not _active(user):
        return Referral.objects.none()
    allowed = Q(case__in=cases_visible_to(user))
    if answers_referrals(user):
        allowed |= Q(receiver_id=user.organisation_id)
    return Referral.objects.filter(allowed)


def referrals_addressed_to(user) -> QuerySet[Referral]:
    """A receiving organisation's inbox, and nothing else."""
    if not _active(user) or not answers_referrals(user):
        return Referral.objects.none()
    return Referral.objects.filter(receiver_id=user.organisation_id)


# --- predicates -----------------------------------------------------------------------------


def may_see(user, case: Case) -> bool:
    return cases_visible_to(user).filter(pk=case.pk).exists()


def may_open_case(user, veteran: Veteran) -> bool:
    """Staff who manage cases and may edit the veteran's record."""
    return user.has_perm(MANAGE) and may_edit(user, veteran)


def may_manage(user, case: Case) -> bool:
    """The case's team (move it, add tasks, refer, transfer): staff who manage cases and may
    edit the veteran's record, or supervisors of its organisation."""
    if user.has_perm(SUPERVISE) and (
        user.effective_scope == "all" or user.organisation_id == case.organisation_id
    ):
        return True
    return may_open_case(user, case.veteran)


def may_work_on(user, task: Task) -> bool:
    """Take, finish or cancel a task: its assignee, its queue's organisation, the case team."""
    if task.assignee_id == user.pk:
        return True
    if task.queue_id and task.queue_id == user.organisation_id:
        return True
    return task.case is not None and may_manage(user, task.case)


def may_write(user, case: Case) -> bool:
    """Notes and documents are written by staff who work cases and see this one."""
    return user.has_perm(VIEW) and may_see(user, case)


def may_edit_note(user, note: Note) -> bool:
    """Only its author (and only within the edit window, which the note itself keeps)."""
    return note.author_id == user.pk


def may_download(user, document: Document) -> bool:
    return documents_visible_to(user).filter(pk=document.pk).exists()


def answers_referrals(user) -> bool:
    """Staff who answer the referrals addressed to their organisation (and are told of them)."""
    return user.has_perm(ANSWER) and bool(user.organisation_id)


def may_answer(user, referral: Referral) -> bool:
    """The receiving organisation's staff who answer referrals: they accept or decline it,
    and reading it as the receiver is audited."""
    return answers_referrals(user) and user.organisation_id == referral.receiver_id


def may_hand_over_caseloads(user) -> bool:
    """Supervisors reassign a leaving coordinator's caseload."""
    return user.has_perm(SUPERVISE)


def handed_over_by(supervisor, people: QuerySet[User]) -> QuerySet[User]:
    """Whose caseloads a supervisor hands over, and to whom: people of the supervisor's
    organisation, or anyone's with scope "all"."""
    if not may_hand_over_caseloads(supervisor):
        return people.none()
    if supervisor.effective_scope != User.Scope.ALL:
        return people.filter(organisation_id=supervisor.organisation_id or -1)
    return people


def may_take_caseload(user) -> bool:
    """Who may receive a caseload being handed over."""
    return user.is_active and user.has_perm(MANAGE)


def may_take_transfer(user) -> bool:
    """Who may receive a transferred case: someone who can manage it in the registry."""
    return user.has_perm(MANAGE) and user.has_perm("people.change_veteran")


def works_cases(user) -> bool:
    """Staff who keep a caseload and its tasks (within their scope: cases_visible_to)."""
    return user.has_perm(VIEW)
