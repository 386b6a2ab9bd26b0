"""HAR 1.2 files from browser devtools (Chrome, Edge, Firefox), Playwright and proxies.

Shapes taken in (http://www.softwareishard.com/blog/har-12-spec/ and what
browsers actually write):

- request bodies in ``postData.text``, or only in ``postData.params`` (an
  empty or absent text; re-encoded as a form); a ``postData.mimeType`` stands in for a missing
  Content-Type header, so the form can be read;
- response bodies in ``content.text``, plain or ``encoding: "base64"``
  (Edge and Chrome for binary types), or absent (Firefox's and Chrome's
  "without content" exports): the hop then has headers only;
- failed requests (status 0 in Chrome, -1 in Playwright) with their
  ``_error`` / ``_failureText``;
- cookies only in the ``cookies`` array (a Cookie header is rebuilt from it);
- HTTP/2 pseudo-headers, dropped.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from sso_harness.capture.intake.errors import EMPTY, MALFORMED, IntakeError
from sso_harness.capture.intake.readout import Readout, epoch, mapping, member, pairs, sequence, status_code, text
from sso_harness.capture.intake.wire import WireExchange, http_version

__all__ = ["is_har", "read_har"]


def is_har(doc: object) -> bool:
    """A JSON document with ``log.entries``: what every HAR writer produces."""
    return isinstance(doc, Mapping) and isinstance(doc.get("log"), Mapping) and "entries" in doc["log"]


def read_har(doc: Mapping[str, Any]) -> Readout:
    entries = sequence(member(mapping(doc["log"], "log"), "entries", "log"), "log.entries")
    exchanges: list[WireExchange] = []
    bodiless = 0
    for i, raw in enumerate(entries):
        x, missing = _exchange(mapping(raw, f"log.entries[{i}]"), f"log.entries[{i}]")
        exchanges.append(x)
        bodiless += missing
    if not exchanges:
        raise IntakeError(EMPTY, "the HAR has no entries", where="log.entries")
    notes = []
    if bodiless:
        notes.append(f"{bodiless} of {len(exchanges)} responses have no content in the HAR "
                     "(exported without content): those hops have headers only")
    # The recorder keeps hops in the order exchanges finished; devtools list them by start.
    ordered = sorted(exchanges, key=lambda x: x.finished)
    return Readout(exchanges=tuple(ordered), notes=tuple(notes))


def _exchange(entry: Mapping[str, Any], where: str) -> tuple[WireExchange, bool]:
    req = mapping(member(entry, "request", where), f"{where}.request")
    resp = mapping(entry.get("response") or {}, f"{where}.response")
    started = epoch(member(entry, "startedDateTime", where), f"{where}.startedDateTime")
    elapsed = entry.get("time")
    # A negative (-1: unknown) or absurd time (over a day) is taken as unknown.
    duration = float(elapsed) / 1000.0 if isinstance(elapsed, (int, float)) and 0 < elapsed < 86_400_000 else 0.0
    headers = pairs(req.get("headers"), f"{where}.request.headers")
    body, mime = _post_data(req.get("postData"), f"{where}.request.postData")
    if mime and not any(k.lower() == "content-type" for k, _ in headers):
        headers += (("Content-Type", mime),)
    headers += _cookie_header(headers, req.get("cookies"))
    status = status_code(resp.get("status"))
    failed = status is None
    content = mapping(resp.get("content") or {}, f"{where}.response.content")
    response_body, had_text = _content(content, f"{where}.response.content")
    # A body the server sent that the export left out (not a redirect's or a 204's empty one).
    missing = status is not None and not (had_text or content.get("size") == 0 or status in (204, 304) or 300 <= status < 400)
    error = None
    if failed:
        error = str(resp.get("_error") or resp.get("_failureText") or entry.get("_error") or "no response in the HAR")
    return WireExchange(
        method=text(member(req, "method", f"{where}.request"), f"{where}.request.method").upper(),
        url=text(member(req, "url", f"{where}.request"), f"{where}.request.url"),
        request_headers=headers,
        request_body=body,
        status=status,
        response_headers=() if failed else pairs(resp.get("headers"), f"{where}.response.headers"),
        response_body=response_body,
        started=started,
        finished=started + duration,
        http_version=http_version(req.get("httpVersion") or resp.get("httpVersion")),
        error=error,
    ), missing


def _post_data(value: Any, where: str) -> tuple[bytes, str | None]:
    if value is None:
        return b"", None
    post = mapping(value, where)
    mime = post.get("mimeType") if isinstance(post.get("mimeType"), str) and post.get("mimeType") else None
    body = post.get("text")
    # Playwright's "omit" mode and some exporters leave text empty and give the form only as params.
    if isinstance(body, str) and (body or not isinstance(post.get("params"), list)):
        if post.get("encoding") == "base64":
            return _base64(body, f"{where}.text"), mime
        return body.encode("utf-8", "surrogateescape"), mime
    params = post.get("params")
    if isinstance(params, list):
        fields = []
        for i, p in enumerate(params):
            item = mapping(p, f"{where}.params[{i}]")
            if "fileName" not in item:  # a multipart file part has no form value to decode
                fields.append((str(item.get("name", "")), str(item.get("value", ""))))
        return urlencode(fields).encode("ascii"), mime or "application/x-www-form-urlencoded"
    return b"", mime


def _content(content: Mapping[str, Any], where: str) -> tuple[bytes, bool]:
    body = content.get("text")
    if not isinstance(body, str):
        return b"", False
    if content.get("encoding") == "base64":
        return _base64(body, f"{where}.text"), True
    return body.encode("utf-8", "surrogateescape"), True


def _base64(value: str, where: str) -> bytes:
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        raise IntakeError(MALFORMED, "encoding is base64, but the text is not base64", where=where) from None


def _cookie_header(headers: tuple[tuple[str, str], ...], cookies: Any) -> tuple[tuple[str, str], ...]:
    """A Cookie header rebuilt from the HAR's cookie list, when the headers lack one."""
    if any(k.lower() == "cookie" for k, _ in headers) or not isinstance(cookies, list):
        return ()
    jar = [f"{c['name']}={c.get('value', '')}" for c in cookies if isinstance(c, Mapping) and c.get("name")]
    return (("Cookie", "; ".join(jar)),) if jar else ()
