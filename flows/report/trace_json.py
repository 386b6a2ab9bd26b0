"""The trace as JSON, in a versioned schema, and back.

Schema ``sso-harness/trace`` version 1 (documented in docs/trace-schema.md).
Everything goes through one :class:`~sso_harness.report.redact.Redactor`, so the
written file is redacted unless the caller built the redactor with
``enabled=False`` (``--no-redact``), which is recorded in the file.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sso_harness.version import __version__
from sso_harness.capture.hop import Hop
from sso_harness.capture.intake import Format, IntakeError, read_capture
from sso_harness.report.redact import Redactor
from sso_harness.report.views import message_view
from sso_harness.trace.trace import DecodeContext, Trace, TraceHop

__all__ = ["SCHEMA", "VERSION", "trace_to_dict", "dump_trace", "load_trace", "TraceFormatError"]

_FORMATS: tuple[Format, ...] = ("trace-json",)  # the one format this loader takes

SCHEMA = "sso-harness/trace"
VERSION = 1


class TraceFormatError(IntakeError):
    """The file is not a trace this version can read: ``code`` is the intake's (``intake.malformed``...), the message says why and where."""


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _hop_dict(h: TraceHop, redactor: Redactor) -> dict[str, Any]:
    hop: Hop = h.hop
    where = f"hop #{hop.index}"
    out: dict[str, Any] = {
        "index": hop.index,
        "started": _iso(hop.started),
        "duration_ms": round(hop.duration_ms, 3),
        "method": hop.method,
        "url": redactor.url(hop.url, where=f"{where} URL"),
        "http_version": hop.http_version,
        "status": hop.status,
        "error": hop.error,
        "back_channel": hop.back_channel,
        "request_headers": [list(kv) for kv in redactor.headers(hop.request_headers, where=f"{where} request")],
        "response_headers": [list(kv) for kv in redactor.headers(hop.response_headers, where=f"{where} response")],
        "request_body_truncated": hop.request_body_truncated,
        "response_body_truncated": hop.response_body_truncated,
    }
    if hop.notes:
        out["notes"] = list(hop.notes)  # e.g. browser noise, numbered after the flow's own hops
    if hop.truncated:
        # What was cut, in words; every message read from a cut body also carries "truncated".
        out["truncated"] = list(hop.truncated)
        out["body_limit"] = hop.body_limit
    if hop.form:
        out["request_form"] = redactor.form(hop.form, where=f"{where} request form")
    elif hop.request_body and "json" in (hop.request_header("content-type") or ""):
        out["request_json"] = redactor.json_text(hop.request_body, where=f"{where} request body")
    if hop.response_body:
        if "json" in hop.response_content_type:
            out["response_json"] = redactor.json_text(hop.response_body, where=f"{where} response body")
        else:
            redactor._note(f"{where} response body", f"{hop.response_content_type or 'body'} (not exported)")
    out["messages"] = [message_view(m, redactor, where=f"{where} {m.kind}") for m in h.messages]
    out["errors"] = [{"reason": e.reason, "where": e.where, "offset": e.offset, "code": e.code} for e in h.errors]
    return out


def trace_to_dict(trace: Trace, redactor: Redactor, *, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    hops = [_hop_dict(h, redactor) for h in trace]
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "generator": f"sso-harness {__version__}",
        "evaluated_at": trace.evaluated_at.isoformat().replace("+00:00", "Z") if trace.evaluated_at else None,
        "redaction": {"enabled": redactor.enabled, "pii_masked": redactor.enabled and redactor.pii},
        "metadata": metadata or {},
        "blocked_hosts": trace.blocked_hosts,
        "hops": hops,
        "exchanges": [e.to_json() for e in trace.exchanges],
        "redactions": [{"where": r.where, "what": r.what} for r in redactor.log],
    }


def dump_trace(trace: Trace, redactor: Redactor, **kw: Any) -> str:
    return json.dumps(trace_to_dict(trace, redactor, **kw), indent=2, ensure_ascii=False)


def load_trace(text: str | bytes, *, context: DecodeContext | None = None) -> Trace:
    """Rebuild a :class:`Trace` from a trace JSON file and decode it again.

    The file is read by the capture intake (:mod:`sso_harness.capture.intake`),
    as ``sso-harness open`` reads it: hops are numbered from 0 in file order,
    and a trace without hops is an empty trace. Anything else than a trace
    JSON of this version raises :class:`TraceFormatError` with the intake's
    code. Redacted values stay redacted: a message whose signature was
    masked no longer verifies, and that is reported as such.
    """
    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
    try:
        intake = read_capture(data, formats=_FORMATS, allow_empty=True)
    except IntakeError as exc:
        raise TraceFormatError(exc.code, exc.what, where=exc.where) from None
    return Trace.from_hops(intake.hops, context=context, blocked_hosts=intake.blocked_hosts)
