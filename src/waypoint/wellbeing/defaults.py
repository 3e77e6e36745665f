"""The default risk rules: a safety flag is urgent and alerts the clinician on duty; severe
depression, anxiety or distress and a provisional PTSD diagnosis are high; scores at the usual
clinical cut-offs and a positive AUDIT-C are moderate; any other positive screener is low.

Seeded after migrate when there are no rules at all (a fresh install, or a test flush);
administrators then change them in the admin, and switch one off rather than delete it."""


def _(message: str) -> str:
    """Marks a name for translation (makemessages reads `_`) without Django's settings:
    scoring imports these names and runs before any configuration (`waypoint wellbeing score`)."""
    return message


# name, instrument ("" = any), condition, value, tier, raises an urgent alert. Names are kept
# in English and read in the interface's language (wellbeing.labels.rule).
RULES = [
    (
        _("Safety flag (PHQ-9 item 9, a positive suicide screen)"),
        "",
        "flag",
        "safety",
        "urgent",
        True,
    ),
    (_("PHQ-9 severe (20 or more)"), "phq9", "total_at_least", "20", "high", False),
    (_("GAD-7 severe (15 or more)"), "gad7", "total_at_least", "15", "high", False),
    (_("PCL-5 provisional PTSD diagnosis"), "pcl5", "flag", "provisional_diagnosis", "high", False),
    (_("K10 very high (30 or more)"), "k10", "total_at_least", "30", "high", False),
    (_("PHQ-9 moderate or above (10 or more)"), "phq9", "total_at_least", "10", "moderate", False),
    (_("GAD-7 moderate or above (10 or more)"), "gad7", "total_at_least", "10", "moderate", False),
    (_("PCL-5 at or above the cut-point (33)"), "pcl5", "positive", "", "moderate", False),
    (_("AUDIT-C positive (sex-specific cut-off)"), "auditc", "positive", "", "moderate", False),
    (_("K10 high (22 or more)"), "k10", "total_at_least", "22", "moderate", False),
    (_("K6 serious distress (13 or more)"), "k6", "total_at_least", "13", "moderate", False),
    (_("Any positive screen"), "", "positive", "", "low", False),
]


def seed_risk_rules(sender, **kwargs) -> None:
    if sender.name != "waypoint.wellbeing":
        return
    from waypoint.wellbeing.models import RiskRule

    if RiskRule.objects.exists():
        return
    RiskRule.objects.bulk_create(
        RiskRule(
            name=name,
            instrument=instrument,
            condition=condition,
            value=value,
            tier=tier,
            raises_alert=alert,
        )
        for name, instrument, condition, value, tier, alert in RULES
    )
