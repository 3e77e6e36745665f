"""Sealing text at rest: Fernet (AES-128-CBC + HMAC-SHA256) with keys from the environment.

WAYPOINT_DATA_KEYS holds the keys, newest first: the newest seals, any of them unseals, and
`reseal` moves a token to the newest key (key rotation). The database alone reveals nothing.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SealError(ValueError):
    """A token no configured key opens: a key was dropped before rotation finished."""


@cache
def _keys(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _fernet() -> MultiFernet:
    return _keys(tuple(settings.WAYPOINT_DATA_KEYS))


def seal(text: str) -> str:
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii") if text else ""


def unseal(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise SealError("no configured key opens this value (WAYPOINT_DATA_KEYS)") from exc


def reseal(token: str) -> str:
    """The same text sealed with the newest key."""
    if not token:
        return ""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise SealError("no configured key opens this value (WAYPOINT_DATA_KEYS)") from exc
