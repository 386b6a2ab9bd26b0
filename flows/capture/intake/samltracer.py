"""SAML-tracer's JSON export (the browser extension; format in docs: /work/shared/reference/samltracer.md).

``{"requests": [...], "timestamp": ISO}``; each request has ``method``,
``url``, ``requestHeaders``, ``post`` ``[[name, value]]`` (or ``postData``
``{name: [values]}``), ``saml`` (the decoded message) and, when a response
was seen, ``responseStatus``, ``responseStatusText`` and
``responseHeaders``. The legacy layout (``id``, headers as ``[[name,
value]]``, a numeric timestamp) is read too.

SAML-tracer's default export masks POST values (``{hash:...}``), so the
SAML message of a POST is rebuilt from the stored decoded ``saml`` field,
as SAML-tracer's own importer does. The export has no time per request
(only the moment of export), so the readout is not ``timed``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from sso_harness.capture.intake.errors import EMPTY, IntakeError
from sso_harness.capture.intake.readout import Readout, epoch, mapping, member, pairs, sequence, status_code, text
from sso_harness.capture.intake.wire import WireExchange, http_version

__all__ = ["is_samltracer", "read_samltracer"]

_SAML_FIELDS = ("SAMLResponse", "SAMLRequest")
_MASKS = ("{hash:", "{obf:")


def is_samltracer(doc: object) -> bool:
    return isinstance(doc, Mapping) and isinstance(doc.get("requests"), list) and "log" not in doc


def read_samltracer(doc: Mapping[str, Any]) -> Readout:
    requests = sequence(doc["requests"], "requests")
    if not requests:
        raise IntakeError(EMPTY, "there aren't any requests in the export", where="requests")
    stamp = epoch(doc["timestamp"], "timestamp") if doc.get("timestamp") is not None else None
    own = [r.get("timestamp") if isinstance(r, Mapping) else None for r in requests]
    # Some derived tools add a time per request (ms); SAML-tracer itself does not.
    timed = all(isinstance(t, (int, float)) and not isinstance(t, bool) for t in own)
    clear = _clear_values(requests)
    exchanges = []
    for i, raw in enumerate(requests):
        where = f"requests[{i}]"
        at = epoch(own[i], f"{where}.timestamp") if timed else (stamp or 0.0)
        exchanges.append(_exchange(mapping(raw, where), where, at, clear))
    notes = () if timed else ("SAML-tracer exports carry no time per request: clock and validity-window checks are off",)
    return Readout(exchanges=tuple(exchanges), timed=timed, notes=notes, stamp=stamp)


def _clear_values(requests: list[Any]) -> dict[str, str]:
    """SHA-256 hex → value, for every query value in the export's URLs (SAML-tracer never masks those).

    The mask profile hashes POST values with SHA-256, so a masked RelayState
    that the SP had sent in clear in a redirect is recovered exactly.
    """
    out: dict[str, str] = {}
    for r in requests:
        if isinstance(r, Mapping) and isinstance(r.get("url"), str):
            for _, value in parse_qsl(urlsplit(r["url"]).query, keep_blank_values=True):
                out[hashlib.sha256(value.encode("utf-8")).hexdigest()] = value
    return out


def _exchange(r: Mapping[str, Any], where: str, at: float, clear: Mapping[str, str]) -> WireExchange:
    method = text(member(r, "method", where), f"{where}.method").upper()
    headers = pairs(r.get("requestHeaders"), f"{where}.requestHeaders")
    body = b""
    form = _form(r, clear)
    if method == "POST" and form is not None:
        body = urlencode(form).encode("utf-8")
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers += (("Content-Type", "application/x-www-form-urlencoded"),)
    status = status_code(r.get("responseStatus"))
    answered = status is not None
    status_line = str(r.get("responseStatusText") or "")
    return WireExchange(
        method=method,
        url=text(member(r, "url", where), f"{where}.url"),
        request_headers=headers,
        request_body=body,
        status=status,
        response_headers=pairs(r.get("responseHeaders"), f"{where}.responseHeaders") if answered else (),
        response_body=b"",
        started=at,
        finished=at,
        http_version=http_version(status_line.split(" ", 1)[0]) if status_line.upper().startswith("HTTP/") else "HTTP/1.1",
        error=None if answered else "no response in the SAML-tracer export",
    )


def _form(r: Mapping[str, Any], clear: Mapping[str, str]) -> list[tuple[str, str]] | None:
    post = r.get("post")
    fields: list[tuple[str, str]]
    if isinstance(post, list):
        fields = [(str(p[0]), str(p[1])) for p in post if isinstance(p, (list, tuple)) and len(p) == 2]
    elif isinstance(r.get("postData"), Mapping):
        fields = [(str(k), str(v)) for k, vs in r["postData"].items() for v in (vs if isinstance(vs, list) else [vs])]
    else:
        return None
    fields = [(k, clear.get(v[6:-1], v) if v.startswith("{hash:") and v.endswith("}") else v) for k, v in fields]
    saml = r.get("saml")
    if not isinstance(saml, str) or not saml.strip().startswith("<"):
        return fields
    rebuilt = []
    for k, v in fields:
        if k in _SAML_FIELDS:
            v = base64.b64encode(saml.encode("utf-8")).decode("ascii")
        elif k == "wresult" and v.startswith(_MASKS):
            v = saml
        rebuilt.append((k, v))
    return rebuilt
