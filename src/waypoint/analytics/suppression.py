"""Small-number suppression: a cell that counts fewer than five people is shown as "<5", and a
rate or a statistic computed over fewer than five people is not shown at all ("<5"), in every
view and export that leaves the case team, so that nobody can be re-identified."""

THRESHOLD = 5
SUPPRESSED = "<5"


def count(value: int | None) -> int | str | None:
    if value is None:
        return None
    return SUPPRESSED if 0 < value < THRESHOLD else value


def over(people: int | None, value):
    """A figure computed over `people` persons: shown only when they are five or more."""
    if not people:
        return None
    return SUPPRESSED if people < THRESHOLD else value


def rate(numerator: int, denominator: int) -> float | str | None:
    if not denominator:
        return None
    return over(denominator, round(100 * numerator / denominator, 1))


def age_band(birth_date, today) -> str:
    """An age in ten-year bands, for a person not shown by name."""
    age = (today - birth_date).days // 365
    low = age // 10 * 10
    return f"{low}–{low + 9}"


def days_band(days: int) -> str:
    """A wait in 30-day bands, for a person not shown by name."""
    low = max(days, 0) // 30 * 30
    return f"{low}–{low + 29}"
