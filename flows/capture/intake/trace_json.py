"""The harness's own ``trace.json`` (schema ``sso-harness/trace`` version 1, docs/trace-schema.md).

Written by a capture's bundle and by the mitmdump script. Values it holds
redacted stay redacted (a masked signature no longer verifies); the
``redaction`` member says whether it was written redacted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlencode

from sso_harness.capture.intake.errors import EMPTY, MALFORMED, UNSUPPORTED_VERSION, IntakeError
from sso_harness.capture.intake.readout import Readout, epoch, mapping, member, pairs, sequence, text
from sso_harness.capture.intake.wire import WireExchange

__all__ = ["TRACE_SCHEMA", "TRACE_VERSION", "is_trace_json", "read_trace_json", "trace_exchange"]

TRACE_SCHEMA: Final = "sso-harness/trace"
TRACE_VERSION: Final = 1


def is_trace_json(doc: object) -> bool:
    return isinstance(doc, Mapping) and doc.get("schema") == TRACE_SCHEMA


def read_trace_json(doc: Mapping[str, Any], *, allow_empty: bool = False) -> Readout:
    """The hops of a trace.json; one without hops is refused (``intake.empty``) unless ``allow_empty``."""
    if doc.get("version") != TRACE_VERSION:
        raise IntakeError(UNSUPPORTED_VERSION, f"trace schema version {doc.get('version')!r} is not supported "
                                               f"(this release reads version {TRACE_VERSION})", where="version")
    hops = sequence(doc.get("hops", []), "hops")
    if not hops and not allow_empty:
        raise IntakeError(EMPTY, "the trace has no hops", where="hops")
    exchanges = tuple(trace_exchange(mapping(h, f"hops[{i}]"), f"hops[{i}]") for i, h in enumerate(hops))
    blocked = doc.get("blocked_hosts") or {}
    redaction = doc.get("redaction")
    redacted = bool(redaction.get("enabled", True)) if isinstance(redaction, Mapping) else None
    counts = {str(k): v for k, v in mapping(blocked, "blocked_hosts").items() if isinstance(v, int) and not isinstance(v, bool)}
    return Readout(exchanges=exchanges, blocked_hosts=counts, redacted=redacted)


def trace_exchange(h: Mapping[str, Any], where: str) -> WireExchange:
    """One ``hops[]`` member; the request body is rebuilt from ``request_form`` or ``request_json``."""
    started = epoch(member(h, "started", where), f"{where}.started")
    duration = h.get("duration_ms", 0)
    if not isinstance(duration, (int, float)) or isinstance(duration, bool) or not 0 <= duration < 86_400_000:
        raise IntakeError(MALFORMED, f"duration_ms is not a duration: {duration!r:.40}", where=where)
    body = b""
    form = h.get("request_form")
    if isinstance(form, Mapping):
        body = urlencode({str(k): str(v) for k, v in form.items()}).encode()
    elif isinstance(h.get("request_json"), str):
        body = h["request_json"].encode()
    status = h.get("status")
    return WireExchange(
        method=text(member(h, "method", where), f"{where}.method"),
        url=text(member(h, "url", where), f"{where}.url"),
        request_headers=pairs(h.get("request_headers", []), f"{where}.request_headers"),
        request_body=body,
        status=status if isinstance(status, int) and not isinstance(status, bool) else None,
        response_headers=pairs(h.get("response_headers", []), f"{where}.response_headers"),
        response_body=(h.get("response_json") or "").encode() if isinstance(h.get("response_json"), str) else b"",
        started=started,
        finished=started + float(duration) / 1000.0,
        http_version=str(h.get("http_version") or "HTTP/1.1"),
        error=h.get("error") if isinstance(h.get("error"), str) else ("no response" if status is None else None),
        request_truncated=h.get("request_body_truncated") is True,
        response_truncated=h.get("response_body_truncated") is True,
        body_limit=limit if isinstance(limit := h.get("body_limit"), int) and not isinstance(limit, bool) and limit > 0 else None,
    )
