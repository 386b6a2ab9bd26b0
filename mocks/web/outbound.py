"""The mocks' own outbound HTTP (back-channel calls), optionally via a proxy.

A relying party redeems its authorization code server to server; a harness
that records only the browser would miss that hop. Pointing ``proxy`` at the
capture proxy (``http://127.0.0.1:PORT``) records it too. Without a proxy the
call goes direct; environment proxy variables are ignored either way, so a
CI machine's ``HTTP_PROXY`` cannot divert loopback traffic.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from http.client import HTTPMessage
from typing import IO
from dataclasses import dataclass
from urllib.parse import urlencode

from sso_harness.mocks.web import trace_context

__all__ = ["NoRedirect", "OutboundHttp", "OutboundResponse", "OutboundError"]

USER_AGENT = "sso-harness-mock/1.0"


@dataclass(frozen=True)
class OutboundResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class OutboundError(OSError):
    """The peer could not be reached (connection refused, timeout, proxy down)."""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A urllib handler that hands a 3xx back as the answer instead of following it."""

    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: HTTPMessage, newurl: str
    ) -> urllib.request.Request | None:
        return None  # a back-channel client reports a redirect, it does not follow it


class OutboundHttp:
    """A tiny HTTP client. ``proxy`` is ``None`` (direct) or ``http://host:port``."""

    def __init__(self, proxy: str | None = None, *, timeout: float = 15.0) -> None:
        self.proxy = proxy
        self.timeout = timeout
        proxies = {"http": proxy, "https": proxy} if proxy else {}
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies), NoRedirect)

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> OutboundResponse:
        return self._send(urllib.request.Request(url, headers=self._headers(headers), method="GET"))

    def post_form(self, url: str, fields: Mapping[str, str], headers: Mapping[str, str] | None = None) -> OutboundResponse:
        data = urlencode(fields).encode()
        h = {"Content-Type": "application/x-www-form-urlencoded", **self._headers(headers)}
        return self._send(urllib.request.Request(url, data=data, headers=h, method="POST"))

    def _headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        traceparent = trace_context.current()  # the served request's, so the call joins its trace
        traced = {trace_context.HEADER: traceparent} if traceparent else {}
        return {"User-Agent": USER_AGENT, "Accept": "application/json", **traced, **dict(extra or {})}

    def _send(self, request: urllib.request.Request) -> OutboundResponse:
        try:
            with self._opener.open(request, timeout=self.timeout) as r:
                return OutboundResponse(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
        except urllib.error.HTTPError as err:
            return OutboundResponse(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())
        except (urllib.error.URLError, OSError) as exc:
            raise OutboundError(f"{request.get_method()} {request.full_url}: {exc}") from exc
