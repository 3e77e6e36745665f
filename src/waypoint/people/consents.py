"""The consent texts a veteran agrees to, by version. A new wording gets a new version."""

from django.utils.translation import gettext_lazy as _

from waypoint.people.models import Consent

CURRENT_VERSION = "2026-11"

TEXTS = {
    Consent.Purpose.PERSONAL_DATA: _(
        "I agree that the veterans' support fund keeps my identity, contact details, service "
        "record, education and work experience in the Waypoint registry, and shares them with "
        "the agencies that help me return to civilian work (Federal Law 152-FZ, art. 9). I can "
        "withdraw this consent at any time; the registry then keeps only what the law requires."
    ),
    Consent.Purpose.HEALTH_DATA: _(
        "I agree, in writing, that my health-related limits on work (disability group and "
        "restrictions) are recorded and seen only by my coordinator, career counsellor and "
        "clinician, to find work and training I can do (152-FZ, art. 10)."
    ),
    Consent.Purpose.SHARE_EMPLOYERS: _(
        "I agree that employers I apply to, or that my coordinator proposes me to, see the part "
        "of my profile needed for hiring: name, contacts, skills, experience and education."
    ),
    Consent.Purpose.SHARE_TRAINING: _(
        "I agree that training providers I apply to see my name, contacts and education."
    ),
    Consent.Purpose.CONTACT: _(
        "I agree to be contacted by phone, SMS and e-mail about jobs, training and support."
    ),
    Consent.Purpose.WELLBEING: _(
        "I agree to answer psychological well-being questionnaires, voluntarily. My answers and "
        "scores are seen only by the clinicians of my care team and by me; no decision about me "
        "is taken by the software, and my command learns only a duty limitation a clinician "
        "decides to disclose, which I am told about. I can withdraw at any time: screening stops "
        "and past screenings are hidden from everyone but the clinical record keeper."
    ),
}
