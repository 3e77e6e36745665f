"""The home page: each person's work today, a section per kind of work they may do.

Each module builds its sections from its apps' selectors and read gates; a section is None
for someone who may not do that work. The order puts what cannot wait first (urgent
well-being alerts), then the person's own caseload and queues, then what they oversee, so
someone with several roles reads their sections in that order."""

from waypoint.web.home import (
    appeals,
    care,
    caseload,
    command,
    employer,
    figures,
    oversight,
    provider,
    referrals,
    veteran,
)
from waypoint.web.home.parts import Section

SECTIONS = (
    care.section,
    caseload.section,
    appeals.queue_section,
    employer.section,
    provider.section,
    referrals.section,
    appeals.hotline_section,
    command.section,
    veteran.section,
    oversight.imports_section,
    figures.section,
    oversight.accounts_section,
    oversight.audit_section,
    oversight.records_section,
)


def sections_for(user) -> list[Section]:
    return [found for build in SECTIONS if (found := build(user)) is not None]
