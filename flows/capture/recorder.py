"""The mitmproxy addon that records hops (and, in the mock lane, blocks egress).

It follows mitmproxy's addon shape: lifecycle hooks on a small class. Hooks
run on the proxy's event-loop thread while tests read from the main thread,
so the hop list is guarded by a lock and readers get immutable snapshots.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from mitmproxy import http

from sso_harness.capture.hop import BODY_LIMIT, Hop
from sso_harness.capture.scope import is_loopback_host

__all__ = ["Recorder", "BLOCKED_KEY"]

BLOCKED_KEY = "sso_harness.blocked"


class Recorder:
    """Keeps every finished exchange as a :class:`Hop`.

    ``loopback_only``: answer any non-loopback host with an empty 204 from the
    proxy itself, count it in :attr:`blocked`, and leave it out of the trace.
    ``body_limit`` bounds the bytes kept per request body, so memory per hop
    stays bounded whatever a page uploads.
    """

    def __init__(self, *, loopback_only: bool = True, body_limit: int = BODY_LIMIT, all_response_bodies: bool = False) -> None:
        # Response bodies are kept only for these types: the protocol payloads
        # (token responses, discovery, JWKS, userinfo, JWTs). Pages, scripts and
        # images are not needed to decode a flow and would dominate memory.
        self.loopback_only = loopback_only
        self.body_limit = body_limit
        # Every response body, not only protocol payloads: for replaying a flow (benchmark floors).
        self.all_response_bodies = all_response_bodies
        self._lock = threading.Lock()
        self._hops: list[Hop] = []
        self._next_index = 0
        self.blocked: dict[str, int] = {}
        self._listeners: list[Callable[[Hop], None]] = []

    def add_listener(self, listener: Callable[[Hop], None]) -> None:
        """Call ``listener`` with each hop as it is recorded (on the proxy's thread; e.g. to learn its secrets)."""
        with self._lock:
            self._listeners.append(listener)

    # -- mitmproxy hooks -------------------------------------------------
    def request(self, flow: http.HTTPFlow) -> None:
        if self.loopback_only and not is_loopback_host(flow.request.pretty_host):
            flow.metadata[BLOCKED_KEY] = True
            flow.response = http.Response.make(204, b"", {"x-sso-harness": "blocked"})
            with self._lock:
                host = flow.request.pretty_host
                self.blocked[host] = self.blocked.get(host, 0) + 1

    def response(self, flow: http.HTTPFlow) -> None:
        # Runs before the response is relayed to the browser, so by the time a
        # Playwright navigation returns, its hop is already recorded.
        if not flow.metadata.get(BLOCKED_KEY):
            self._keep(flow, error=None)

    def error(self, flow: http.HTTPFlow) -> None:
        if not flow.metadata.get(BLOCKED_KEY) and flow.error is not None:
            self._keep(flow, error=flow.error.msg)

    # -- reading ---------------------------------------------------------
    def mark(self) -> int:
        """A position to later read the hops recorded after it."""
        with self._lock:
            return self._next_index

    def hops(self, since: int = 0) -> list[Hop]:
        """A snapshot of the hops recorded at or after position ``since``."""
        with self._lock:
            return [h for h in self._hops if h.index >= since]

    def discard_before(self, position: int) -> None:
        """Drop hops recorded before ``position``: a finished flow's hops, once reported.

        Long sessions (a nightly run of hundreds of flows) would otherwise keep
        every hop of every flow in memory.
        """
        with self._lock:
            self._hops = [h for h in self._hops if h.index >= position]

    def clear(self) -> None:
        """Forget recorded hops (indices keep increasing, so marks stay valid)."""
        with self._lock:
            self._hops.clear()

    # -- internals -------------------------------------------------------
    def _keep(self, flow: http.HTTPFlow, *, error: str | None) -> None:
        req = flow.request
        raw = req.raw_content or b""
        body = raw[: self.body_limit]
        resp = flow.response
        resp_raw = b""
        if resp is not None and (self.all_response_bodies or _keeps_body(resp.headers.get("content-type", ""))):
            resp_raw = resp.raw_content or b""
            if resp.headers.get("content-encoding"):
                resp_raw = resp.get_content(strict=False) or b""
        finished = (resp.timestamp_end if resp and resp.timestamp_end else None) or req.timestamp_end or req.timestamp_start
        with self._lock:
            hop = Hop(
                index=self._next_index,
                method=req.method,
                url=req.pretty_url,
                request_headers=_pairs(req.headers),
                request_body=body,
                request_body_truncated=len(raw) > len(body),
                status=resp.status_code if resp is not None else None,
                response_headers=_pairs(resp.headers) if resp is not None else (),
                started=req.timestamp_start,
                finished=finished,
                error=error,
                response_body=resp_raw[: self.body_limit],
                response_body_truncated=len(resp_raw) > self.body_limit,
                http_version=req.http_version,
                body_limit=self.body_limit,
            )
            self._next_index += 1
            self._hops.append(hop)
            listeners = list(self._listeners)
        for listener in listeners:
            listener(hop)


_KEPT_RESPONSE_TYPES = ("application/json", "application/jwt", "application/jwk-set+json", "application/x-www-form-urlencoded")


def _keeps_body(content_type: str) -> bool:
    ctype = content_type.split(";")[0].strip().lower()
    return ctype in _KEPT_RESPONSE_TYPES or ctype.endswith("+json")


def _pairs(headers: http.Headers) -> tuple[tuple[str, str], ...]:
    """Every header as ``(name, value)``, repeats kept, in the order received."""
    return tuple(headers.items(multi=True))  # type: ignore[no-untyped-call]  # mitmproxy leaves Headers.items unannotated
