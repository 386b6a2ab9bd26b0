"""One HTTP exchange seen by the capture proxy.

A :class:`Hop` is plain data, detached from mitmproxy's flow objects, so a
trace can be kept, compared and serialised after the proxy has stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlsplit

__all__ = ["BODY_LIMIT", "Hop", "Header", "bounded"]

Header = tuple[str, str]

BODY_LIMIT = 256 * 1024
"""Bytes kept per request and per response body (the recorder's default ``body_limit``).

Big enough for any SAML or OAuth message a browser carries; small enough
that a page uploading megabytes costs neither memory nor decoding time.
"""


@dataclass(frozen=True)
class Hop:
    """A request/response pair in the order the proxy finished it.

    ``request_body`` is bounded by the recorder (see ``Recorder.body_limit``);
    ``request_body_truncated`` says when the limit cut it (``body_limit`` is
    then the length it was cut at), and likewise for the response body. ``started`` and
    ``finished`` are epoch seconds taken by mitmproxy; ``status`` is None when
    the exchange failed before a response (``error`` then says why).
    """

    index: int
    method: str
    url: str
    request_headers: tuple[Header, ...]
    request_body: bytes
    status: int | None
    response_headers: tuple[Header, ...]
    started: float
    finished: float
    request_body_truncated: bool = False
    error: str | None = None
    notes: tuple[str, ...] = field(default=())
    response_body: bytes = b""
    """Kept only for protocol payloads (JSON, JWT), bounded like request bodies."""
    response_body_truncated: bool = False
    http_version: str = "HTTP/1.1"
    body_limit: int = BODY_LIMIT

    @property
    def truncated(self) -> tuple[str, ...]:
        """What the body limit cut on this hop, in words (empty when nothing was cut)."""
        cut = (("request body", self.request_body_truncated), ("response body", self.response_body_truncated))
        return tuple(f"{name} cut at {self.body_limit} bytes" for name, was_cut in cut if was_cut)

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def port(self) -> int | None:
        return urlsplit(self.url).port

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"

    @property
    def query(self) -> dict[str, str]:
        """The query string as a dict (last value wins for repeated names)."""
        return dict(parse_qsl(urlsplit(self.url).query, keep_blank_values=True))

    @property
    def duration_ms(self) -> float:
        return max(0.0, (self.finished - self.started) * 1000.0)

    def request_header(self, name: str) -> str | None:
        return _first(self.request_headers, name)

    def response_header(self, name: str) -> str | None:
        return _first(self.response_headers, name)

    @property
    def location(self) -> str | None:
        """The redirect target, for 3xx responses."""
        return self.response_header("location")

    @property
    def is_redirect(self) -> bool:
        return self.status is not None and 300 <= self.status < 400 and self.location is not None

    @property
    def form(self) -> dict[str, str]:
        """The urlencoded form body of a POST, or an empty dict."""
        ctype = (self.request_header("content-type") or "").lower()
        if self.method != "POST" or "application/x-www-form-urlencoded" not in ctype:
            return {}
        text = self.request_body.decode("latin-1")
        return dict(parse_qsl(text, keep_blank_values=True))

    @property
    def back_channel(self) -> bool:
        """A server-to-server call (a mock or SP fetching a token), not the browser.

        Chromium marks every request to a trustworthy origin (https, loopback)
        with ``Sec-Fetch-Mode`` and sends a ``Mozilla/...`` User-Agent; an
        HTTP library does neither.
        """
        if self.request_header("sec-fetch-mode") is not None:
            return False
        return not (self.request_header("user-agent") or "").startswith("Mozilla/")

    @property
    def response_content_type(self) -> str:
        return (self.response_header("content-type") or "").split(";")[0].strip().lower()

    @property
    def label(self) -> str:
        """Short human form used in failure messages: ``#3 POST 127.0.0.1:4001/acs``."""
        port = f":{self.port}" if self.port else ""
        return f"#{self.index} {self.method} {self.host}{port}{self.path}"


def bounded(hop: Hop, limit: int = BODY_LIMIT) -> Hop:
    """``hop`` with each body cut to ``limit`` bytes and marked truncated where cut.

    A hop built by the recorder is already bounded; this applies the same
    limit to hops that come in through the API (``Trace.from_hops``, trace
    files, imports), so the decoders never see more than a recording holds.
    """
    if len(hop.request_body) <= limit and len(hop.response_body) <= limit:
        return hop
    return replace(
        hop,
        request_body=hop.request_body[:limit],
        request_body_truncated=hop.request_body_truncated or len(hop.request_body) > limit,
        response_body=hop.response_body[:limit],
        response_body_truncated=hop.response_body_truncated or len(hop.response_body) > limit,
        body_limit=limit,
    )


def _first(headers: tuple[Header, ...], name: str) -> str | None:
    lname = name.lower()
    for key, value in headers:
        if key.lower() == lname:
            return value
    return None
