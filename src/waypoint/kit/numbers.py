"""Whole numbers from text: what a query string, a form field or a CSV cell hands over."""

# The largest value of a bigint column (every id) in PostgreSQL and of an integer in SQLite; a
# larger number in a query fails in the database driver, not as a missing row.
MAX_BIGINT = 2**63 - 1
# The largest values of an integer and a small integer column (PositiveIntegerField,
# PositiveSmallIntegerField): PostgreSQL refuses more with an error, SQLite stores it.
MAX_INTEGER = 2**31 - 1
MAX_SMALLINT = 2**15 - 1


def whole_number(text: str) -> int | None:
    """The whole number `text` spells, from 0 to MAX_BIGINT, or None when it spells none.

    Only ASCII digits count: str.isdigit also accepts "²", which int() refuses, and "٣", which
    it reads as 3. A number past what a bigint holds is None too, so that it never reaches a
    query; so is one of more digits than that, which int() refuses past 4300.
    """
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_BIGINT)):
        return None
    number = int(text)
    return number if number <= MAX_BIGINT else None
