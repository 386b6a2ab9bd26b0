"""Replay a recorded flow from static servers: the floor of that very flow.

A calibration run records every hop with its full response (status,
headers, body). The replay binds one loopback server per origin of the
recording and answers each (method, path) with the recorded responses in
order, origins rewritten to the replay's. The browser then walks the same
hops with the same driver, but nothing behind them computes: no crypto, no
pysaml2, no proxy. What the real flow costs beyond its replay is ours.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from sso_harness.capture.hop import Hop
from sso_harness.mocks.web.http import Handler, MockServer, Request, Response

__all__ = ["Replay"]

_SKIP_HEADERS = {"content-length", "content-type", "connection", "transfer-encoding", "date", "server", "cache-control", "keep-alive"}


@dataclass(frozen=True)
class _Recorded:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    content_type: str


def _origin(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


class Replay:
    """Static servers answering a recorded flow; :meth:`rewind` before each walk."""

    def __init__(self, hops: Iterable[Hop], *, exclude_origins: Iterable[str] = ()) -> None:
        excluded = set(exclude_origins)
        self._hops = [h for h in hops if h.status is not None and _origin(h.url) not in excluded]
        self.servers: dict[str, MockServer] = {}
        for hop in self._hops:
            origin = _origin(hop.url)
            if origin not in self.servers:
                self.servers[origin] = MockServer(self._handler(origin), name="replay")
        self._answers: dict[tuple[str, str, str], list[_Recorded]] = defaultdict(list)
        self._cursor: dict[tuple[str, str, str], int] = defaultdict(int)

    def url(self, real_url: str) -> str:
        """``real_url`` with its origin replaced by the replay's."""
        return self._rewrite_text(real_url)

    def start(self) -> "Replay":
        for server in self.servers.values():
            server.start()
        for hop in self._hops:
            key = (_origin(hop.url), hop.method, urlsplit(hop.url).path)
            headers = tuple((k, self._rewrite_text(v)) for k, v in hop.response_headers if k.lower() not in _SKIP_HEADERS)
            ctype = hop.response_header("content-type") or "text/plain"
            self._answers[key].append(_Recorded(hop.status or 200, headers, self._rewrite(hop.response_body), ctype))
        return self

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()

    def rewind(self) -> None:
        self._cursor.clear()

    def _pairs(self) -> list[tuple[str, str]]:
        return [(real, server.base_url) for real, server in self.servers.items()]

    def _rewrite_text(self, text: str) -> str:
        for real, replay in self._pairs():
            text = text.replace(real, replay).replace(quote(real, safe=""), quote(replay, safe=""))
        return text

    def _rewrite(self, body: bytes) -> bytes:
        for real, replay in self._pairs():
            body = body.replace(real.encode(), replay.encode())
            body = body.replace(quote(real, safe="").encode(), quote(replay, safe="").encode())
        return body

    def _handler(self, origin: str) -> Handler:
        def handle(request: Request) -> Response:
            key = (origin, request.method, request.path)
            answers = self._answers.get(key)
            if not answers:
                return Response(status=404, body=b"not in the recording")
            i = self._cursor[key]
            self._cursor[key] = i + 1
            rec = answers[min(i, len(answers) - 1)]
            return Response(status=rec.status, body=rec.body, content_type=rec.content_type, headers=list(rec.headers))

        return handle
