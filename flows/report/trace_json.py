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
from urllib.parse import urlencode

from sso_harness.version import __version__
from sso_harness.capture.hop import BODY_LIMIT, Hop
from sso_harness.report.redact import Redactor
from sso_harness.report.views import message_view
from sso_harness.trace.trace import DecodeContext, Trace, TraceHop

__all__ = ["SCHEMA", "VERSION", "trace_to_dict", "dump_trace", "load_trace", "TraceFormatError"]

SCHEMA = "sso-harness/trace"
VERSION = 1


class TraceFormatError(ValueError):
    """The file is not a trace this version can read; the message says why and where."""


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

    Redacted values stay redacted: a message whose signature was masked no
    longer verifies, and that is reported as such.
    """
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise TraceFormatError(f"not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise TraceFormatError(f"not an sso-harness trace (schema is {data.get('schema') if isinstance(data, dict) else None!r})")
    if data.get("version") != VERSION:
        raise TraceFormatError(f"trace schema version {data.get('version')!r} is not supported (this is version {VERSION})")
    listed, blocked = data.get("hops", []), data.get("blocked_hosts") or {}
    if not isinstance(listed, list) or not isinstance(blocked, dict):
        raise TraceFormatError("hops must be a list and blocked_hosts an object")
    hops = []
    for i, h in enumerate(listed):
        try:
            hops.append(_hop_from_dict(h))
        # A hand-edited or hostile file can put any JSON type anywhere: each wrong one
        # surfaces as one of these while the hop is rebuilt.
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise TraceFormatError(f"hops[{i}]: {type(exc).__name__}: {exc}") from None
    return Trace.from_hops(hops, context=context, blocked_hosts=blocked)


def _texts(h: dict[str, Any], *names: str) -> None:
    for name in names:
        if name in h and h[name] is not None and not isinstance(h[name], str):
            raise TypeError(f"{name} must be a string, got {type(h[name]).__name__}")


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    pairs = tuple((k, v) for k, v in value or [])
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in pairs):
        raise TypeError("headers must be [name, value] string pairs")
    return pairs


def _hop_from_dict(h: dict[str, Any]) -> Hop:
    _texts(h, "method", "url", "started", "error", "http_version", "request_json", "response_json")
    if h.get("status") is not None and (not isinstance(h["status"], int) or isinstance(h["status"], bool)):
        raise TypeError(f"status must be an integer or null, got {type(h['status']).__name__}")
    started = dt.datetime.fromisoformat(h["started"].replace("Z", "+00:00")).timestamp()
    headers = _pairs(h.get("request_headers", []))
    body = b""
    if "request_form" in h:
        body = urlencode(h["request_form"]).encode()
    elif h.get("request_json"):
        body = h["request_json"].encode()
    return Hop(
        index=int(h["index"]),
        method=h["method"],
        url=h["url"],
        request_headers=headers,
        request_body=body,
        status=h.get("status"),
        response_headers=_pairs(h.get("response_headers", [])),
        started=started,
        finished=started + float(h.get("duration_ms", 0)) / 1000,
        error=h.get("error"),
        response_body=(h.get("response_json") or "").encode(),
        http_version=h.get("http_version", "HTTP/1.1"),
        request_body_truncated=h.get("request_body_truncated") is True,
        response_body_truncated=h.get("response_body_truncated") is True,
        body_limit=h["body_limit"] if isinstance(h.get("body_limit"), int) else BODY_LIMIT,
    )
