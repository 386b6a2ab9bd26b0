"""One exchange read from a file, as plain values, and the mitmproxy flow the recorder takes.

Every reader produces :class:`WireExchange` values (or, for mitmproxy's own
files, flows); the intake hands each one to a
:class:`~sso_harness.capture.recorder.Recorder`, so an imported hop is made
by the same code, with the same body limit and truncation marks, as a hop
the capture proxy records.
"""

from __future__ import annotations

from dataclasses import dataclass

from mitmproxy import connection, flow, http

from sso_harness.capture.hop import Header

__all__ = ["WireExchange", "to_flow", "http_version"]


@dataclass(frozen=True)
class WireExchange:
    """What a trace file says about one request and its answer.

    ``status`` is None when the exchange failed before a response (``error``
    then says why); ``response_body`` is the decoded body when the file has
    it. Times are epoch seconds.
    """

    method: str
    url: str
    request_headers: tuple[Header, ...]
    request_body: bytes
    status: int | None
    response_headers: tuple[Header, ...]
    response_body: bytes
    started: float
    finished: float
    http_version: str = "HTTP/1.1"
    error: str | None = None
    request_truncated: bool = False
    response_truncated: bool = False
    """Cut before the file was written (the harness's own traces say so); kept as marks on the hop."""
    body_limit: int | None = None
    """The limit those bodies were cut at, when the file says (the harness's own traces do)."""


def http_version(value: object) -> str:
    """``h2``, ``http/2.0``, ``HTTP/2`` and their kin as mitmproxy spells them; HTTP/1.1 when unknown."""
    text = str(value or "").strip().lower()
    if text in ("h2", "http/2", "http/2.0", "h2c"):
        return "HTTP/2.0"
    if text in ("h3", "http/3", "http/3.0") or text.startswith("h3-"):
        return "HTTP/3"
    if text == "http/1.0":
        return "HTTP/1.0"
    return "HTTP/1.1"


def _headers(pairs: tuple[Header, ...]) -> http.Headers:
    return http.Headers([(k.encode("utf-8", "surrogateescape"), v.encode("utf-8", "surrogateescape")) for k, v in pairs])


def to_flow(x: WireExchange) -> http.HTTPFlow:
    """A finished mitmproxy flow carrying ``x`` byte for byte (headers are not recomputed)."""
    client = connection.Client(peername=("127.0.0.1", 0), sockname=("127.0.0.1", 0), timestamp_start=x.started)
    f = http.HTTPFlow(client, connection.Server(address=None))
    version = x.http_version.encode()
    request = http.Request("", 0, x.method.encode("utf-8", "surrogateescape"), b"", b"", b"", version,
                           _headers(x.request_headers), x.request_body, None, x.started, x.started)
    # The URL setter fills scheme, host, port and path; headers and body stay as read.
    request.url = x.url
    f.request = request
    if x.status is not None:
        f.response = http.Response(version, x.status, b"", _headers(x.response_headers), x.response_body, None,
                                   x.started, x.finished)
    else:
        f.error = flow.Error(x.error or "no response")
    return f
