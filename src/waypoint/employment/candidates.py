"""What an employer may learn about a candidate: only what hiring needs, only with consent.

The profile is built field by field from an allow-list, so a new field on the veteran's record
never reaches employers by accident. Never included: birth date, sex, address, health and work
limitations, deployments and discharge reasons, consents, the coordinator's notes.
"""

from waypoint.people.models import Veteran

HIRING_FIELDS = (
    "name",
    "region",
    "phone",
    "email",
    "service",
    "jobs",
    "education",
    "skills",
    "languages",
    "driving_licences",
)


def hiring_profile(veteran: Veteran) -> dict:
    """The candidate as the employer sees them (callers check consent first)."""
    return {
        "name": veteran.full_name,
        "region": str(veteran.region),
        "phone": veteran.phone,
        "email": veteran.email,
        "service": [
            {
                "specialty": record.specialty,
                "branch": record.get_branch_display(),
                "rank": record.get_rank_display(),
                "from": record.start_date.year,
                "to": record.end_date.year if record.end_date else None,
            }
            for record in veteran.service_records.all()
        ],
        "jobs": [
            {
                "title": job.title,
                "employer": job.employer,
                "from": job.start_year,
                "to": job.end_year,
            }
            for job in veteran.civilian_jobs.all()
        ],
        "education": [
            {
                "level": item.get_level_display(),
                "institution": item.institution,
                "field": item.field_of_study,
                "year": item.graduation_year,
            }
            for item in veteran.education.all()
        ],
        "skills": [
            {"name": skill.name, "level": skill.get_level_display()}
            for skill in veteran.skills.all()
        ],
        "languages": [
            {"language": item.get_language_display(), "level": item.level}
            for item in veteran.languages.all()
        ],
        "driving_licences": veteran.licence_categories,
    }
