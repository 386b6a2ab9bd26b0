"""xs:dateTime handling for SAML timestamps (SAML core §1.3.3).

SAML requires UTC timestamps without fractional-second precision limits;
real IdPs send ``Z``, ``+00:00``, 7-digit .NET fractions and sometimes no zone
at all.  We accept all of those (no zone ⇒ UTC, fractions truncated to
microseconds) and refuse anything else with a :class:`DecodeError` naming
the field.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sso_harness.protocols.errors import DecodeError

__all__ = ["format_instant", "parse_instant"]

_DATETIME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)"
    r"[Tt](?P<hour>\d\d):(?P<minute>\d\d):(?P<second>\d\d)"
    r"(?:\.(?P<fraction>\d+))?"
    r"(?P<zone>[Zz]|[+-]\d\d:?\d\d)?",
    re.ASCII,
)


def parse_instant(value: str | None, *, where: str) -> datetime | None:
    """Parse an xs:dateTime into an aware UTC ``datetime``; None stays None.

    Raises :class:`DecodeError` (``where`` = the field, e.g.
    ``"Assertion/Conditions@NotOnOrAfter"``) for unparseable values.
    """
    if value is None:
        return None
    text = value.strip()
    match = _DATETIME.fullmatch(text)
    if match is None:
        raise DecodeError(f"not an xs:dateTime: {value[:64]!r}", where=where)
    fraction = (match["fraction"] or "")[:6].ljust(6, "0")
    zone = match["zone"]
    offset = timedelta(0)
    if zone and zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    try:
        naive = datetime(
            int(match["year"]),
            int(match["month"]),
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"]),
            int(fraction),
        )
        return (naive - offset).replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        raise DecodeError(f"not a valid date/time: {value[:64]!r}", where=where) from None


def format_instant(moment: datetime | None) -> str | None:
    """ISO-8601 in UTC with a ``Z`` suffix; fractional seconds only when
    non-zero, without trailing zeros (``…T14:17:26.184Z``)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    text = utc.isoformat(timespec="seconds")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}".rstrip("0")
    return text + "Z"
