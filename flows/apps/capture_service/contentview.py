"""A mitmproxy content view that decodes SAML, WS-Federation, OAuth/OIDC messages and JWTs live.

    mitmweb -s <this file>        (or mitmdump -s; the capture script loads it too)

In mitmweb's and mitmdump's "auto" mode it is chosen for any message that
carries a SAMLRequest/SAMLResponse, a WS-Fed ``wresult``, tokens or a JWT.
It decodes with the harness's own hop decoders, so what mitmweb shows is
what a trace and a bundle say: a request shows the messages of its query
and form, a response those of its Location header and body. This is the
engineer's own screen, next to mitmproxy's raw view of the same bytes, so
nothing is redacted here; trusted certificates are not known, so
signatures are reported as unchecked.

mitmproxy 11 API: a :class:`mitmproxy.contentviews.View` registered with
``contentviews.add`` on ``load`` and removed on ``done``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, ClassVar

from mitmproxy import contentviews, http
from mitmproxy import flow as mitm_flow
from mitmproxy.addonmanager import Loader
from mitmproxy.contentviews.base import TViewLine, TViewResult

from sso_harness.capture.hop import Hop
from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.oauth import decode_oauth_any
from sso_harness.protocols.oauth import to_json as oauth_json
from sso_harness.report.redact import Redactor
from sso_harness.report.views import message_view
from sso_harness.trace.decoded import DecodedMessage
from sso_harness.trace.trace import decode_hop

__all__ = ["SsoView", "SsoContentView", "addons", "decoded_messages"]

_MARKERS = (b"SAMLResponse", b"SAMLRequest", b"SAMLart", b"wa=wsign", b"wresult", b"response_type=", b"id_token",
            b"access_token", b"eyJ")
_JWT = re.compile(rb"^\s*eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\s*$")
_REQUEST_SOURCES = ("request",)


def _pairs(headers: http.Headers) -> tuple[tuple[str, str], ...]:
    return tuple(headers.items(multi=True))  # type: ignore[no-untyped-call]  # mitmproxy leaves Headers.items unannotated


def _hop(data: bytes, f: http.HTTPFlow | None, message: http.Message | None) -> Hop:
    """A hop for the message on screen: the request with ``data`` as its body, or the whole exchange."""
    if f is None:
        # No flow (a view of loose bytes): read them as a form body, the usual carrier.
        return Hop(0, "POST", "http://unknown/", (("Content-Type", "application/x-www-form-urlencoded"),), data,
                   None, (), 0.0, 0.0)
    req = f.request
    is_request = message is None or message is req
    body = data if is_request else (req.get_content(strict=False) or b"")
    resp = None if is_request else f.response
    return Hop(0, req.method, req.pretty_url, _pairs(req.headers), body,
               resp.status_code if resp is not None else None, _pairs(resp.headers) if resp is not None else (),
               req.timestamp_start, req.timestamp_start, response_body=data if resp is not None else b"")


def decoded_messages(data: bytes, f: http.HTTPFlow | None = None, message: http.Message | None = None) -> list[DecodedMessage]:
    """The messages the on-screen request or response carries (never raises)."""
    hop = _hop(data, f, message)
    on_request = f is None or message is None or message is f.request
    found = [m for m in decode_hop(hop).messages if m.source.startswith(_REQUEST_SOURCES) == on_request]
    location = hop.location if not on_request else None
    if not found and location and "?" in location:
        # A redirect carries its message (SAMLRequest, wa=, an authorize request) to the next request.
        ahead = Hop(0, "GET", location, hop.request_headers, b"", None, (), hop.started, hop.started)
        found = [m for m in decode_hop(ahead).messages if m.source.startswith(_REQUEST_SOURCES)]
    return found


def _lines(text: str, style: str = "text") -> Iterator[TViewLine]:
    for line in text.splitlines():
        yield [(style, line)]


def _json_lines(view: object) -> Iterator[TViewLine]:
    # The decoders' JSON views are the one description of a message (secrets already reduced to
    # presence and a fingerprint there), laid out as mitmproxy's JSON view would.
    yield from _lines(json.dumps(view, indent=2, ensure_ascii=False, default=str))


def _render(messages: list[DecodedMessage]) -> Iterator[TViewLine]:
    shown = Redactor(enabled=False)  # the engineer's own screen; mitmproxy shows the same bytes raw
    for i, m in enumerate(messages):
        if i:
            yield [("text", "")]
        yield [("header", f"{m.badge} {m.kind}  ({m.source})")]
        view = message_view(m, shown, where=m.source)
        yield from _json_lines(view["decoded"])
        if "xml" in view:
            yield [("header", "XML")]
            yield from _lines(str(view["xml"]))


class SsoView(contentviews.View):
    """``SSO``: decoded SAML / WS-Fed / OAuth / OIDC messages and JWTs."""

    name: ClassVar[str] = "SSO"

    # None makes mitmproxy fall back to its Raw view (mitmproxy.contentviews.get_content_view handles it).
    def __call__(self, data: bytes, *, content_type: str | None = None, flow: mitm_flow.Flow | None = None,  # type: ignore[override]
                 http_message: http.Message | None = None, **unknown_metadata: Any) -> TViewResult | None:
        f = flow if isinstance(flow, http.HTTPFlow) else None
        messages = decoded_messages(data, f, http_message)
        if messages:
            kinds = ", ".join(dict.fromkeys(f"{m.badge} {m.kind}" for m in messages))
            return f"SSO: {kinds}", _render(messages)
        if _JWT.match(data):
            try:
                jwt = decode_oauth_any(data.strip())
            except DecodeError:
                return None
            return "SSO: JWT", _json_lines(oauth_json(jwt, reveal_claims=True))
        return None

    def render_priority(self, data: bytes, *, content_type: str | None = None, flow: mitm_flow.Flow | None = None,
                        http_message: http.Message | None = None, **unknown_metadata: Any) -> float:
        """Above the JSON and form views when the message (or its URL or Location) names a protocol parameter."""
        places = [data]
        if isinstance(http_message, http.Request):
            places.append(http_message.url.encode("utf-8", "replace"))
        elif isinstance(http_message, http.Response):
            places.append(http_message.headers.get("location", "").encode("utf-8", "replace"))
        return 2.0 if any(marker in place for place in places for marker in _MARKERS) else 0.0


class SsoContentView:
    """The addon that registers :class:`SsoView` for as long as mitmproxy runs."""

    def __init__(self) -> None:
        self.view = SsoView()

    def load(self, loader: Loader) -> None:
        if contentviews.get(self.view.name) is None:
            contentviews.add(self.view)

    def done(self) -> None:
        if self.view in contentviews.views:
            contentviews.remove(self.view)


addons = [SsoContentView()]
