"""One failing SAML sign-in (the IdP sends the wrong audience), written the way other tools write traces.

The flow: SP → IdP AuthnRequest (Redirect) → IdP login page → login POST
(planted password and session cookie) → auto-POST of the SAMLResponse to
the ACS → the SP's page. Each writer below reproduces a real tool's shape:
Chrome devtools (HTTP/2 pseudo-headers, cookie arrays, postData text and
params), Firefox without content (no response text, form only as params,
a local UTC offset), Edge with base64 content, SAML-tracer (unmasked and
default-masked profiles), a mitmproxy flows file (mitmproxy's own writer)
and the harness's trace.json.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from mitmproxy import io as mitm_io
from mitmproxy.test import tflow

from sso_harness.capture.hop import Hop
from sso_harness.report.redact import Redactor
from sso_harness.report.trace_json import dump_trace
from sso_harness.trace.trace import Trace

from sso_harness.mocks.base.keys import KeyPair

from ...diagnose.builders import IDP, NOW, SP, authn_request_url, keypair, signed_response

PASSWORD = "Planted-Pa55word-4410"
COOKIE = "PlantedIdpSession-93c1e7"
WRONG_AUDIENCE = "https://evil.example/sp"
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@dataclass(frozen=True)
class Step:
    method: str
    url: str
    status: int
    form: dict[str, str] | None = None
    req_headers: tuple[tuple[str, str], ...] = ()
    resp_headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    mime: str = "text/html"
    at: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def request_body(self) -> bytes:
        return urlencode(self.form).encode() if self.form is not None else b""

    def headers(self) -> tuple[tuple[str, str], ...]:
        base: tuple[tuple[str, str], ...] = (("User-Agent", UA), ("Sec-Fetch-Mode", "navigate"))
        if self.form is not None:
            base += (("Content-Type", "application/x-www-form-urlencoded"),)
        return base + self.req_headers


def failing_flow(tmp: Path, *, audience: str = WRONG_AUDIENCE, keys: KeyPair | None = None) -> list[Step]:
    keys = keys or keypair(tmp, "intake-idp")
    saml = signed_response(keys, audience=audience)
    request = authn_request_url()
    post_page = (f"<form method='post' action='{SP}/acs'><input type='hidden' name='SAMLResponse' value='{saml}'>"
                 "<input type='hidden' name='RelayState' value='/app/start'></form>").encode()
    return [
        Step("GET", f"{SP}/protected", 302, resp_headers=(("Location", request),), mime="", at=0.0),
        Step("GET", request, 200, body=b"<form><input name=username><input name=password type=password></form>", at=0.2),
        Step("POST", f"{IDP}/login", 200, form={"username": "b.simon@contoso.com", "password": PASSWORD},
             req_headers=(("Cookie", f"idp_session={COOKIE}"),),
             resp_headers=(("Set-Cookie", f"idp_session={COOKIE}; Path=/; Secure; HttpOnly"),), body=post_page, at=1.0),
        Step("POST", f"{SP}/acs", 302, form={"SAMLResponse": saml, "RelayState": "/app/start"},
             resp_headers=(("Location", f"{SP}/app/start"), ("Set-Cookie", "sp_session=s1; Path=/; Secure")), mime="", at=1.5),
        Step("GET", f"{SP}/app/start", 403, body=b"<h1>Forbidden</h1>", at=1.8),
    ]


def _iso(at: float, tz: dt.timezone = dt.timezone.utc) -> str:
    return (NOW + dt.timedelta(seconds=at)).astimezone(tz).isoformat(timespec="milliseconds")


def _nv(pairs: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in pairs]


def _cookies(pairs: tuple[tuple[str, str], ...], name: str) -> list[dict[str, str]]:
    out = []
    for k, v in pairs:
        if k.lower() == name:
            for seg in (v.split(";") if name == "cookie" else v.split(";")[:1]):
                key, _, value = seg.strip().partition("=")
                out.append({"name": key, "value": value})
    return out


def _entry(s: Step, *, flavour: str) -> dict[str, Any]:
    headers = s.headers()
    parts = urlsplit(s.url)
    if flavour in ("chrome", "edge") and parts.scheme == "https":
        headers = ((":authority", parts.netloc), (":method", s.method), (":path", parts.path + ("?" + parts.query if parts.query else "")),
                   (":scheme", "https")) + tuple((k.lower(), v) for k, v in headers)
    request: dict[str, Any] = {
        "method": s.method, "url": s.url,
        "httpVersion": {"chrome": "http/2.0", "edge": "h2", "firefox": "HTTP/2"}[flavour],
        "headers": _nv(headers), "cookies": _cookies(headers, "cookie"),
        "queryString": [{"name": k, "value": v} for k, v in parse_qsl(parts.query)],
        "headersSize": -1, "bodySize": len(s.request_body),
    }
    if s.form is not None:
        params = [{"name": k, "value": v} for k, v in s.form.items()]
        if flavour == "firefox":
            request["postData"] = {"mimeType": "application/x-www-form-urlencoded", "params": params}
        else:
            request["postData"] = {"mimeType": "application/x-www-form-urlencoded", "text": s.request_body.decode(), "params": params}
    content: dict[str, Any] = {"size": len(s.body), "mimeType": s.mime}
    if flavour == "chrome" and s.body:
        content["text"] = s.body.decode()
    elif flavour == "edge" and s.body:
        content.update(text=base64.b64encode(s.body).decode(), encoding="base64")
    resp_headers = s.resp_headers + ((("Content-Type", s.mime),) if s.mime else ())
    entry: dict[str, Any] = {
        "startedDateTime": _iso(s.at, dt.timezone(dt.timedelta(hours=1)) if flavour == "firefox" else dt.timezone.utc),
        "time": 42.5,
        "request": request,
        "response": {
            "status": s.status, "statusText": "", "httpVersion": request["httpVersion"], "headers": _nv(resp_headers),
            "cookies": _cookies(resp_headers, "set-cookie"), "content": content,
            "redirectURL": dict((k.lower(), v) for k, v in resp_headers).get("location", ""), "headersSize": -1,
            "bodySize": len(s.body),
        },
        "cache": {}, "timings": {"blocked": -1, "dns": -1, "connect": -1, "send": 0, "wait": 40, "receive": 2.5},
    }
    if flavour != "firefox":
        entry.update(_initiator={"type": "other"}, _priority="VeryHigh", _resourceType="document", serverIPAddress="203.0.113.7")
    return entry


def har(steps: list[Step], flavour: str) -> bytes:
    """``chrome`` (content as text), ``edge`` (content as base64) or ``firefox`` (no content, form as params only)."""
    creator = {"chrome": ("WebInspector", "537.36"), "edge": ("WebInspector", "537.36"), "firefox": ("Firefox", "133.0")}[flavour]
    doc = {"log": {"version": "1.2", "creator": {"name": creator[0], "version": creator[1]},
                   "pages": [{"startedDateTime": _iso(0), "id": "page_1", "title": SP, "pageTimings": {}}],
                   "entries": [_entry(s, flavour=flavour) for s in steps]}}
    return json.dumps(doc, indent=2).encode()


def _hash(value: str) -> str:
    return "{hash:" + hashlib.sha256(value.encode()).hexdigest() + "}"


def samltracer(steps: list[Step], *, masked: bool) -> bytes:
    """SAML-tracer's export: profile "1" (None) or "2" (Mask values: POST values and cookies hashed)."""
    requests = []
    for i, s in enumerate(steps):
        headers = s.headers()
        if masked:
            headers = tuple((k, "; ".join(f"{c.split('=')[0]}={_hash(c.split('=', 1)[1])}" for c in v.split("; ")))
                            if k.lower() == "cookie" else (k, v) for k, v in headers)
        r: dict[str, Any] = {"method": s.method, "url": s.url, "requestId": str(4500 + i), "requestHeaders": _nv(headers)}
        params = parse_qsl(urlsplit(s.url).query)
        if s.method == "GET":
            r["get"] = [list(p) for p in params]
        if s.form is not None:
            post = [[k, _hash(v) if masked else v] for k, v in s.form.items()]
            r["post"] = post
            r["postData"] = "{overwritten}" if masked else {k: [v] for k, v in s.form.items()}
        names = {k for k, _ in params} | set(s.form or {})
        if names & {"SAMLRequest", "SAMLResponse"}:
            r["protocol"] = "SAML-P"
            if "SAMLResponse" in names:
                r["saml"] = base64.b64decode((s.form or {})["SAMLResponse"]).decode()
            else:
                r["saml"] = "<samlp:AuthnRequest/>"  # SAML-tracer shows the inflated XML; the URL keeps the real one
            r["samlart"] = None
        resp_headers = s.resp_headers + ((("Content-Type", s.mime),) if s.mime else ())
        r.update(responseStatus=s.status, responseStatusText=f"HTTP/1.1 {s.status} X", responseHeaders=_nv(resp_headers))
        requests.append(r)
    return json.dumps({"requests": requests, "timestamp": _iso(30).replace("+00:00", "Z")}, indent=2).encode()


def mitmproxy_file(steps: list[Step]) -> bytes:
    """A flows file as ``mitmdump -w`` writes it, built with mitmproxy's own test flows and writer."""
    out = io.BytesIO()
    writer = mitm_io.FlowWriter(out)
    for s in steps:
        f = tflow.tflow(resp=True)
        f.request.method = s.method
        f.request.url = s.url
        f.request.headers.clear()
        for k, v in s.headers():
            f.request.headers.add(k, v)
        f.request.content = s.request_body
        f.request.timestamp_start = f.request.timestamp_end = NOW.timestamp() + s.at
        assert f.response is not None
        f.response.status_code = s.status
        f.response.headers.clear()
        for k, v in s.resp_headers + ((("Content-Type", s.mime),) if s.mime else ()):
            f.response.headers.add(k, v)
        f.response.content = s.body
        f.response.timestamp_start = NOW.timestamp() + s.at + 0.01
        f.response.timestamp_end = NOW.timestamp() + s.at + 0.02
        writer.add(f)
    return out.getvalue()


def hops(steps: list[Step]) -> list[Hop]:
    return [Hop(i, s.method, s.url, s.headers(), s.request_body, s.status,
                s.resp_headers + ((("Content-Type", s.mime),) if s.mime else ()),
                NOW.timestamp() + s.at, NOW.timestamp() + s.at + 0.02) for i, s in enumerate(steps)]


def trace_json(steps: list[Step], *, redacted: bool) -> bytes:
    """The mitmdump script's output (redacted by default, ``sso_no_redact=true`` otherwise)."""
    trace = Trace.from_hops(hops(steps), now=NOW)
    return dump_trace(trace, Redactor(enabled=redacted), metadata={"captured_by": "mitmproxy script"}).encode()
