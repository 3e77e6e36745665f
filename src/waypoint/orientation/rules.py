"""Hard constraints on recommendations, as simple rules anyone can audit.

Work limitations rule out ISCO-08 groups (a code prefix: "93" is every labourer in mining,
construction, manufacturing and transport). The codes are those of
people.WorkLimitation.Restriction, and the same codes are accepted in a what-if profile.
A limitation that adapts the workplace rather than the occupation (accessible workplace,
reduced hours) rules nothing out: it is for the employer to meet.
"""

LIMITATION_RULES: dict[str, tuple[str, ...]] = {
    # Heavy manual work: building trades, labourers, loading, farm and forest work.
    "no_heavy_lifting": ("711", "712", "9313", "9321", "9329", "9333", "921", "6210", "8111"),
    # Night work is the rule in these: security, emergency dispatch, transport by night.
    "no_night_shifts": ("5414", "4223"),
    "no_work_at_height": ("7119", "7121", "7413", "7214", "8343"),
    "no_prolonged_standing": ("5223", "9112", "5120", "9412"),
    # Every driver and mobile-machine operator.
    "no_driving": ("832", "833", "834", "8311"),
    "no_noise_vibration": ("7212", "7223", "8111", "8113", "8342"),
    "limited_hearing": ("4222", "4223", "5411"),
    "limited_vision": ("83", "7212", "7411", "7412", "7413", "3154"),
    "accessible_workplace": (),
    "reduced_hours": (),
}

# ISCO-08 major group → the least education (ISCED 2011 level) it asks for. Training can
# lift a veteran by one level (vocational retraining, a short programme), not more.
MINIMUM_EDUCATION = {"1": 5, "2": 6, "3": 4}
REACHABLE_BY_TRAINING = 1

# people.Education.Level → ISCED 2011.
ISCED = {
    "basic_general": 2,
    "secondary_general": 3,
    "vocational_worker": 3,
    "vocational_specialist": 5,
    "bachelor": 6,
    "specialist": 7,
    "master": 7,
    "postgraduate": 8,
}


def ruled_out_by_limitations(isco_group: str, limitations: list[str]) -> str | None:
    """The first limitation that rules this ISCO group out, or None."""
    for code in limitations:
        if any(isco_group.startswith(prefix) for prefix in LIMITATION_RULES.get(code, ())):
            return code
    return None


def out_of_reach(isco_group: str, education_level: int | None) -> bool:
    """An education level the veteran cannot reach by training (unknown education: reachable)."""
    if education_level is None or not isco_group:
        return False
    needed = MINIMUM_EDUCATION.get(isco_group[0])
    return needed is not None and education_level + REACHABLE_BY_TRAINING < needed
