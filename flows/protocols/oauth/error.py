"""OAuth error responses (RFC 6749 §4.1.2.1, §5.2) with Entra's extra fields.

Entra adds ``error_codes`` (AADSTS integers), ``timestamp``, ``trace_id``,
``correlation_id`` and ``error_uri`` to token-endpoint errors, and writes
``AADSTSnnnnn: text`` plus ``Trace ID: / Correlation ID: / Timestamp:``
lines into ``error_description`` (aadsts.md §1).  Redirect errors carry only
the description, so the IDs are recovered from its text when the separate
fields are absent.  Each decoded error carries its catalogue entries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sso_harness.protocols.catalogues.aadsts import AadstsEntry, find_codes, lookup
from sso_harness.protocols.catalogues.oauth_errors import OAuthErrorEntry, lookup_oauth_error

__all__ = ["OAuthErrorFields", "error_fields"]

_GUIDISH = r"[0-9A-Fa-f-]{8,64}"
_TRACE = re.compile(rf"Trace ID:\s*({_GUIDISH})")
_CORRELATION = re.compile(rf"Correlation ID:\s*({_GUIDISH})")
_TIMESTAMP = re.compile(r"Timestamp:\s*(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?Z?)")


@dataclass(frozen=True, kw_only=True)
class OAuthErrorFields:
    """The error part of an authorization or token response (all None when it is not an error).

    ``catalogue`` explains ``error`` (RFC 6749 / OIDC / RFC 8628);
    ``explanations`` explain every AADSTS code found in ``error_codes`` or
    ``error_description``, in order, known codes only.
    """

    error: str | None = None
    error_description: str | None = None
    error_uri: str | None = None
    error_codes: tuple[int, ...] = ()
    trace_id: str | None = None
    correlation_id: str | None = None
    timestamp: str | None = None
    catalogue: OAuthErrorEntry | None = None
    explanations: tuple[AadstsEntry, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.error is not None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _codes(value: Any, description: str | None) -> tuple[int, ...]:
    listed = [v for v in value if isinstance(v, int) and not isinstance(v, bool)] if isinstance(value, list) else []
    # The description may name more codes than the array (e.g. AADSTS75006 + AADSTS90011).
    return tuple(dict.fromkeys([*listed, *find_codes(description)]))


def _search(pattern: re.Pattern[str], text: str | None) -> str | None:
    if text is None:
        return None
    found = pattern.search(text)
    return found.group(1) if found else None


def error_fields(source: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments for :class:`OAuthErrorFields` read from a response's fields."""
    error = _text(source.get("error"))
    description = _text(source.get("error_description"))
    codes = _codes(source.get("error_codes"), description)
    explanations = tuple(entry for entry in (lookup(code) for code in codes) if entry is not None)
    return {
        "error": error,
        "error_description": description,
        "error_uri": _text(source.get("error_uri")),
        "error_codes": codes,
        "trace_id": _text(source.get("trace_id")) or _search(_TRACE, description),
        "correlation_id": _text(source.get("correlation_id")) or _search(_CORRELATION, description),
        "timestamp": _text(source.get("timestamp")) or _search(_TIMESTAMP, description),
        "catalogue": lookup_oauth_error(error),
        "explanations": explanations,
    }
