"""SAML-tracer's JSON export format: write it, and read it back into a trace.

Format facts (from SAML-tracer's serializer): ``{"requests": [...],
"timestamp": ISO}``; each request has ``method``, ``url``, ``requestId``,
``requestHeaders`` ``[{name, value}]``, ``get``/``post`` ``[[name, value]]``,
``postData`` ``{name: [values]}``, ``protocol`` (``SAML-P`` / ``WS-Fed``),
``saml`` (the decoded message), ``samlart``, ``responseStatus``,
``responseStatusText`` and ``responseHeaders``. SAML-tracer itself filters
only cookies and POST values; this writer redacts URLs, query values,
headers and the decoded XML too, through the shared redactor.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from sso_harness.capture.hop import Hop
from sso_harness.report.redact import Redactor
from sso_harness.trace.trace import DecodeContext, Trace

__all__ = ["trace_to_samltracer", "dump_samltracer", "load_samltracer", "SamlTracerImportError"]

SAML_KEYS = ("SAMLRequest", "SAMLResponse", "SAMLart")
WSFED_KEYS = ("wa", "wreply", "wctx", "wtrealm", "whr", "wresult")


class SamlTracerImportError(ValueError):
    """The file is not an importable SAML-tracer export; the message says why."""


def trace_to_samltracer(trace: Trace, redactor: Redactor, *, now: dt.datetime | None = None) -> dict[str, Any]:
    requests = []
    for h in trace:
        hop = h.hop
        where = f"hop #{hop.index}"
        url = redactor.url(hop.url, where=f"{where} URL")
        req: dict[str, Any] = {
            "method": hop.method,
            "url": url,
            "requestId": str(hop.index),
            "requestHeaders": [{"name": k, "value": v} for k, v in redactor.headers(hop.request_headers, where=f"{where} request")],
        }
        get = parse_qsl(urlsplit(url).query, keep_blank_values=True)
        post: list[tuple[str, str]] = []
        if hop.method == "GET":
            req["get"] = [list(kv) for kv in get]
        elif hop.form:
            post = list(redactor.form(hop.form, where=f"{where} request form").items())
            req["post"] = [list(kv) for kv in post]
            req["postData"] = {k: [v] for k, v in post}
        names = {k for k, _ in get} | {k for k, _ in post}
        if names & set(SAML_KEYS):
            req["protocol"] = "SAML-P"
        elif names & set(WSFED_KEYS):
            req["protocol"] = "WS-Fed"
        if "protocol" in req:
            saml = h.saml
            req["saml"] = redactor.saml_xml(saml.xml, where=f"{where} decoded XML").decode("utf-8", "replace") if saml else None
            req["samlart"] = "[redacted]" if "SAMLart" in names else None
        if hop.status is not None:
            req["responseStatus"] = hop.status
            req["responseStatusText"] = f"{hop.http_version} {hop.status} {_reason(hop.status)}".strip()
            req["responseHeaders"] = [
                {"name": k, "value": v} for k, v in redactor.headers(hop.response_headers, where=f"{where} response")
            ]
        requests.append(req)
    stamp = (now or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {"requests": requests, "timestamp": stamp}


def dump_samltracer(trace: Trace, redactor: Redactor, **kw: Any) -> str:
    return json.dumps(trace_to_samltracer(trace, redactor, **kw), indent=2, ensure_ascii=False)


def load_samltracer(text: str | bytes, *, context: DecodeContext | None = None) -> Trace:
    """Import a SAML-tracer export (current or legacy layout) as a trace.

    POST values may be masked by SAML-tracer's export profiles, so the
    stored decoded ``saml`` field is used for the message, as SAML-tracer's
    own importer does.
    """
    try:
        data = json.loads(text)
    except ValueError:
        raise SamlTracerImportError("the file doesn't seem to contain importable traces (not JSON)") from None
    requests = data.get("requests") if isinstance(data, dict) else None
    if not isinstance(requests, list) or not requests:
        raise SamlTracerImportError("there aren't any requests to import")
    hops = [_hop(i, r) for i, r in enumerate(requests)]
    return Trace.from_hops(hops, context=context)


def _headers(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if isinstance(item, dict):
            out.append((str(item.get("name", "")), str(item.get("value", ""))))
        elif isinstance(item, (list, tuple)) and len(item) == 2:  # legacy [[name, value]]
            out.append((str(item[0]), str(item[1])))
    return tuple(out)


def _hop(i: int, r: Any) -> Hop:
    if not isinstance(r, dict) or "method" not in r or "url" not in r:
        raise SamlTracerImportError(f"requests[{i}] lacks method or url")
    method = str(r["method"]).upper()
    headers = _headers(r.get("requestHeaders"))
    body = b""
    post = r.get("post")
    if method == "POST" and isinstance(post, list):
        pairs = [(str(k), str(v)) for k, v in (p for p in post if isinstance(p, (list, tuple)) and len(p) == 2)]
        saml = r.get("saml")
        if isinstance(saml, str) and saml.strip().startswith("<"):
            # Values may be masked ({hash:...}); rebuild the parameter from the stored decoded message.
            pairs = [(k, base64.b64encode(saml.encode()).decode() if k in ("SAMLResponse", "SAMLRequest") else v) for k, v in pairs]
        body = urlencode(pairs).encode()
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers += (("Content-Type", "application/x-www-form-urlencoded"),)
    status = r.get("responseStatus")
    return Hop(
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        index=int(r.get("requestId") or r.get("id") or i) if str(r.get("requestId") or r.get("id") or i).isdecimal() else i,
        method=method,
        url=str(r["url"]),
        request_headers=headers,
        request_body=body,
        status=int(status) if isinstance(status, int) else None,
        response_headers=_headers(r.get("responseHeaders")),
        started=0.0,
        finished=0.0,
    )


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
