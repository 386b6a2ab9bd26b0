"""Injectable time and identifiers, so signed output can be reproduced."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable

__all__ = ["Clock", "IdSource", "system_clock", "random_ids", "fixed_clock", "counter_ids"]

Clock = Callable[[], dt.datetime]
IdSource = Callable[[], str]


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def random_ids() -> str:
    """SAML IDs must be xs:ID (an NCName), so never start with a digit."""
    return f"_{uuid.uuid4()}"


def fixed_clock(at: dt.datetime) -> Clock:
    return lambda: at


def counter_ids(prefix: str = "_id") -> IdSource:
    counter = itertools.count(1)
    return lambda: f"{prefix}{next(counter):04d}"
