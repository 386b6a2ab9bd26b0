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

import datetime as dt
import json
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from sso_harness.capture.intake import Format, IntakeError, read_capture
from sso_harness.report.redact import Redactor
from sso_harness.trace.trace import DecodeContext, Trace

__all__ = ["trace_to_samltracer", "dump_samltracer", "load_samltracer", "SamlTracerImportError"]

_FORMATS: tuple[Format, ...] = ("saml-tracer",)  # the one format this loader takes

SAML_KEYS = ("SAMLRequest", "SAMLResponse", "SAMLart")
WSFED_KEYS = ("wa", "wreply", "wctx", "wtrealm", "whr", "wresult")


class SamlTracerImportError(IntakeError):
    """The file is not an importable SAML-tracer export: ``code`` is the intake's, the message says why."""


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

    The export is read by the capture intake (:mod:`sso_harness.capture.intake`):
    hops are numbered from 0 in export order, and POST values masked by
    SAML-tracer's export profiles are rebuilt from the stored decoded
    ``saml`` field, as SAML-tracer's own importer does. Anything else raises
    :class:`SamlTracerImportError` with the intake's code.
    """
    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
    try:
        intake = read_capture(data, formats=_FORMATS)
    except IntakeError as exc:
        raise SamlTracerImportError(exc.code, exc.what, where=exc.where) from None
    return Trace.from_hops(intake.hops, context=context)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
