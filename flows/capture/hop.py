"""One HTTP exchange seen by the capture proxy.

A :class:`Hop` is plain data, detached from mitmproxy's flow objects, so a
trace can be kept, compared and serialised after the proxy has stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

__all__ = ["Hop", "Header"]

Header = tuple[str, str]


@dataclass(frozen=True)
class Hop:
    """A request/response pair in the order the proxy finished it.

    ``request_body`` is bounded by the recorder (see ``Recorder.body_limit``);
    ``request_body_truncated`` says when the limit cut it. ``started`` and
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


def _first(headers: tuple[Header, ...], name: str) -> str | None:
    lname = name.lower()
    for key, value in headers:
        if key.lower() == lname:
            return value
    return None
