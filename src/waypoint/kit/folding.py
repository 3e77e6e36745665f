"""Text as search and duplicate checks compare it: "ИВАНОВ", "иванов" and "Иванов" are one
name, and so are "Пётр" and "Петр" (ё is written as е more often than not).

SQLite's LIKE and lower() fold only ASCII, so the folding is done here, once, when a record is
saved, and compared as stored text on every database.
"""


def fold(text: str) -> str:
    """Case folded, ё read as е, runs of spaces made one."""
    return " ".join(text.casefold().replace("ё", "е").split())


def identity_key(last_name: str, first_name: str) -> str:
    """What a person's name is compared by when looking for a duplicate record."""
    return f"{fold(last_name)}|{fold(first_name)}"
