"""What a reader got out of a file, and the small typed accessors readers share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mitmproxy import http

from sso_harness.capture.intake.errors import MALFORMED, IntakeError
from sso_harness.capture.intake.wire import WireExchange

__all__ = ["Readout", "member", "mapping", "sequence", "text", "epoch", "pairs", "status_code"]


@dataclass(frozen=True)
class Readout:
    """``exchanges`` (or, for mitmproxy files, ``flows``) in the order they finished.

    ``timed`` is False when the file has no time per exchange (a SAML-tracer
    export): times are then the export's, and time-based judgement is off.
    ``stamp`` is the file's own time (a SAML-tracer export's), if any.
    """

    exchanges: tuple[WireExchange, ...] = ()
    flows: tuple[http.HTTPFlow, ...] = ()
    timed: bool = True
    notes: tuple[str, ...] = ()
    blocked_hosts: dict[str, int] = field(default_factory=dict)
    stamp: float | None = None
    redacted: bool | None = None
    """For the harness's own files: whether they were written redacted."""


def member(obj: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in obj:
        raise IntakeError(MALFORMED, f"no {key!r}", where=where)
    return obj[key]


def mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise IntakeError(MALFORMED, f"expected an object, found {type(value).__name__}", where=where)
    return value


def sequence(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise IntakeError(MALFORMED, f"expected a list, found {type(value).__name__}", where=where)
    return value


def text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise IntakeError(MALFORMED, f"expected a non-empty string, found {value!r:.40}", where=where)
    return value


_LAST_SECOND = 253402300799.0  # 9999-12-31T23:59:59Z: later times cannot be shown as dates


def epoch(value: Any, where: str) -> float:
    """An ISO-8601 date-time (any offset, ``Z`` allowed) or epoch milliseconds, as epoch seconds (1970 to 9999)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value) / 1000.0
    else:
        try:
            moment = dt.datetime.fromisoformat(text(value, where).replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.timezone.utc)
            seconds = moment.timestamp()
        except (ValueError, OverflowError):
            raise IntakeError(MALFORMED, f"not an ISO-8601 date-time: {value!r:.40}", where=where) from None
    if not 0.0 <= seconds <= _LAST_SECOND:
        raise IntakeError(MALFORMED, f"a time outside 1970-9999: {value!r:.40}", where=where)
    return seconds


def status_code(value: Any) -> int | None:
    """An HTTP status, or None for the "no response" markers tools write (0, -1, null)."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


def pairs(value: Any, where: str) -> tuple[tuple[str, str], ...]:
    """Headers as ``[{name, value}]`` (HAR, SAML-tracer) or ``[[name, value]]`` (legacy exports).

    HTTP/2 pseudo-headers (``:authority``...) are dropped: the URL already says what they say.
    """
    out: list[tuple[str, str]] = []
    for i, item in enumerate(sequence(value, where) if value is not None else []):
        if isinstance(item, Mapping) and "name" in item:
            name, val = str(item["name"]), str(item.get("value", ""))
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            name, val = str(item[0]), str(item[1])
        else:
            raise IntakeError(MALFORMED, "expected {name, value} or [name, value]", where=f"{where}[{i}]")
        if not name.startswith(":"):
            out.append((name, val))
    return tuple(out)
