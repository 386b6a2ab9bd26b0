"""HAR 1.2 export of a trace (http://www.softwareishard.com/blog/har-12-spec/).

Browsers' devtools and Fiddler open these. Everything is redacted through
the shared :class:`~sso_harness.report.redact.Redactor`; bodies are written only
for forms and protocol JSON, which are the parts a reader needs.
"""

from __future__ import annotations

import datetime as dt
import json
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from sso_harness.version import __version__
from sso_harness.report.redact import Redactor
from sso_harness.trace.trace import Trace

__all__ = ["trace_to_har", "dump_har"]


def _nv(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in pairs]


def _cookies(headers: list[tuple[str, str]], name: str) -> list[dict[str, str]]:
    out = []
    for k, v in headers:
        if k.lower() != name:
            continue
        segments = v.split(";") if name == "cookie" else v.split(";")[:1]
        for seg in segments:
            key, sep, value = seg.strip().partition("=")
            if sep:
                out.append({"name": key, "value": value})
    return out


def trace_to_har(trace: Trace, redactor: Redactor) -> dict[str, Any]:
    entries = []
    for h in trace:
        hop = h.hop
        where = f"hop #{hop.index}"
        url = redactor.url(hop.url, where=f"{where} URL")
        req_headers = redactor.headers(hop.request_headers, where=f"{where} request")
        resp_headers = redactor.headers(hop.response_headers, where=f"{where} response")
        request: dict[str, Any] = {
            "method": hop.method,
            "url": url,
            "httpVersion": hop.http_version,
            "cookies": _cookies(req_headers, "cookie"),
            "headers": _nv(req_headers),
            "queryString": _nv(parse_qsl(urlsplit(url).query, keep_blank_values=True)),
            "headersSize": -1,
            "bodySize": len(hop.request_body),
        }
        if hop.form:
            form = redactor.form(hop.form, where=f"{where} request form")
            request["postData"] = {"mimeType": "application/x-www-form-urlencoded", "params": _nv(list(form.items()))}
        content: dict[str, Any] = {"size": len(hop.response_body), "mimeType": hop.response_content_type or ""}
        if hop.response_body and "json" in hop.response_content_type:
            text = redactor.json_text(hop.response_body, where=f"{where} response body")
            if text is not None:
                content["text"] = text
        status = hop.status or 0
        entries.append(
            {
                "startedDateTime": dt.datetime.fromtimestamp(hop.started, dt.timezone.utc).isoformat(timespec="milliseconds"),
                "time": round(hop.duration_ms, 3),
                "request": request,
                "response": {
                    "status": status,
                    "statusText": _reason(status),
                    "httpVersion": hop.http_version,
                    "cookies": _cookies(resp_headers, "set-cookie"),
                    "headers": _nv(resp_headers),
                    "content": content,
                    "redirectURL": dict((k.lower(), v) for k, v in resp_headers).get("location", ""),
                    "headersSize": -1,
                    "bodySize": len(hop.response_body) if hop.response_body else -1,
                    **({"_error": hop.error} if hop.error else {}),
                },
                "cache": {},
                "timings": {"send": 0, "wait": round(hop.duration_ms, 3), "receive": 0},
                "_backChannel": hop.back_channel,
                "_messages": [m.kind for m in h.messages],
            }
        )
    return {"log": {"version": "1.2", "creator": {"name": "sso-harness", "version": __version__}, "pages": [], "entries": entries}}


def dump_har(trace: Trace, redactor: Redactor) -> str:
    return json.dumps(trace_to_har(trace, redactor), indent=2, ensure_ascii=False)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
