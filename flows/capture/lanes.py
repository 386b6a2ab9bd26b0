"""Lanes: several flows recorded at once by one proxy, each flow's hops kept apart.

A lane is one extra listening port of the running capture proxy with a
:class:`~sso_harness.capture.recorder.Recorder` of its own. A browser context
whose proxy is the lane's URL sends all its traffic to that port, so the
port a connection came in on (``flow.client_conn.sockname``) says which lane
a hop belongs to. That is a property of the TCP connection: no header the
page could drop or forge, and no proxy authentication (which in Chromium
would make Playwright intercept every request of the context to answer the
407 challenge, and would put credentials on the wire).

Back-channel calls do not come from the browser: a mock relying party
redeems its code from a server thread, through the proxy's main port. The
router marks every request a lane sends to a loopback server with a W3C
Trace Context ``traceparent`` header whose trace id belongs to the lane; the
mocks pass the inbound ``traceparent`` on to their outbound calls (as any
traced service does), so such a call is recorded in the lane of the browser
request that caused it. Only requests to loopback hosts are marked, never a
real tenant's. The header is taken out of both hops before they are
recorded, so a lane's trace reads exactly as a one-at-a-time run's.
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass, field
from typing import Any

from mitmproxy import http
from mitmproxy import master as mitm_master

from sso_harness.capture.hop import Hop
from sso_harness.capture.proxy import CaptureProxy
from sso_harness.capture.recorder import Recorder
from sso_harness.capture.scope import is_loopback_host

__all__ = ["Lane", "LaneError", "LaneRouter", "TRACEPARENT", "open_lanes", "close_lanes"]

TRACEPARENT = "traceparent"
_LANE_KEY = "sso_harness.lane"
_MARKED_KEY = "sso_harness.lane_marked"
_NO_LANE = "-"
LANES_UNAVAILABLE = "capture.lanes_unavailable"
LANES_NOT_ROUTED = "capture.lanes_not_routed"


class LaneError(RuntimeError):
    """Lanes could not be opened; ``code`` is ``capture.lanes_unavailable`` or ``capture.lanes_not_routed``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass(frozen=True, eq=False)
class Lane:
    """One lane: its port on the proxy, its recorder, and the trace id that marks its requests."""

    name: str
    port: int
    recorder: Recorder
    trace_id: str = field(default_factory=lambda: os.urandom(16).hex())

    @property
    def url(self) -> str:
        """The proxy URL to give the lane's browser context."""
        return f"http://127.0.0.1:{self.port}"


class LaneRouter(Recorder):
    """The proxy's recorder, which hands each lane's hops to that lane's recorder.

    Without lanes it is a plain :class:`Recorder`. Hops of a lane go to the
    lane's recorder only; everything else (the browser's default proxy, the
    harness's own setup calls) is recorded here as before. Listeners added
    here (e.g. the redaction's secret learning) hear every lane's hops too.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._lanes_lock = threading.Lock()
        self._by_port: dict[int, Lane] = {}
        self._by_trace: dict[str, Lane] = {}

    def attach(self, name: str, port: int) -> Lane:
        """A new lane listening on ``port`` (the proxy must listen there: see :func:`open_lanes`)."""
        recorder = Recorder(loopback_only=self.loopback_only, body_limit=self.body_limit,
                            all_response_bodies=self.all_response_bodies)
        recorder.add_listener(self._forward)
        lane = Lane(name, port, recorder)
        with self._lanes_lock:
            self._by_port[port] = lane
            self._by_trace[lane.trace_id] = lane
        return lane

    def detach(self, lane: Lane) -> None:
        with self._lanes_lock:
            self._by_port.pop(lane.port, None)
            self._by_trace.pop(lane.trace_id, None)

    def lanes(self) -> list[Lane]:
        with self._lanes_lock:
            return list(self._by_port.values())

    # -- mitmproxy hooks -------------------------------------------------
    def request(self, flow: http.HTTPFlow) -> None:
        lane = self._lane_of(flow)
        if lane is None:
            super().request(flow)
            return
        if TRACEPARENT not in flow.request.headers and is_loopback_host(flow.request.pretty_host):
            flow.request.headers[TRACEPARENT] = f"00-{lane.trace_id}-{os.urandom(8).hex()}-01"
            flow.metadata[_MARKED_KEY] = True
        lane.recorder.request(flow)

    def response(self, flow: http.HTTPFlow) -> None:
        lane = self._lane_of(flow)
        if lane is None:
            super().response(flow)
            return
        self._unmark(flow)
        lane.recorder.response(flow)

    def error(self, flow: http.HTTPFlow) -> None:
        lane = self._lane_of(flow)
        if lane is None:
            super().error(flow)
            return
        self._unmark(flow)
        lane.recorder.error(flow)

    # -- internals -------------------------------------------------------
    def _lane_of(self, flow: http.HTTPFlow) -> Lane | None:
        known = flow.metadata.get(_LANE_KEY)
        if isinstance(known, Lane):
            return known
        if known == _NO_LANE:
            return None
        sockname = flow.client_conn.sockname
        with self._lanes_lock:
            lane = self._by_port.get(sockname[1])
            if lane is None and self._by_trace:
                lane = self._by_trace.get(_trace_id(flow.request.headers.get(TRACEPARENT, "")))
                if lane is not None:
                    flow.metadata[_MARKED_KEY] = True  # a back-channel call passing the lane's mark on
        flow.metadata[_LANE_KEY] = lane if lane is not None else _NO_LANE
        return lane

    @staticmethod
    def _unmark(flow: http.HTTPFlow) -> None:
        # The mark is the harness's, not the client's: the recorded hop shows the request as it was made.
        if flow.metadata.pop(_MARKED_KEY, False):
            flow.request.headers.pop(TRACEPARENT, None)

    def _forward(self, hop: Hop) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(hop)


def _trace_id(traceparent: str) -> str:
    parts = traceparent.split("-")
    return parts[1] if len(parts) == 4 else ""


def open_lanes(proxy: CaptureProxy, count: int, *, prefix: str = "lane", attempts: int = 3) -> list[Lane]:
    """``count`` new lanes on the running ``proxy`` (whose recorder is a :class:`LaneRouter`).

    mitmproxy binds one server per listen address, so each lane gets a port
    of its own: free ports are picked, then added to the proxy's ``mode``
    list. A port taken by someone else in between is picked again.
    """
    router = proxy.recorder
    if not isinstance(router, LaneRouter):
        raise LaneError(LANES_NOT_ROUTED, "the proxy's recorder is not a LaneRouter, so it cannot keep lanes apart")
    for _ in range(attempts):
        ports = _free_ports(count)
        bound = proxy.in_loop(lambda master: _listen(master, ports, add=True))
        if set(ports) <= bound:
            return [router.attach(f"{prefix}{i + 1}", port) for i, port in enumerate(ports)]
        proxy.in_loop(lambda master: _listen(master, ports, add=False))
    raise LaneError(LANES_UNAVAILABLE, f"the proxy could not listen on {count} more loopback ports")


def close_lanes(proxy: CaptureProxy, lanes: list[Lane]) -> None:
    """Stop listening on the lanes' ports and forget them; their recorders keep what they hold."""
    router = proxy.recorder
    if isinstance(router, LaneRouter):
        for lane in lanes:
            router.detach(lane)
    if proxy.port is not None:
        proxy.in_loop(lambda master: _listen(master, [lane.port for lane in lanes], add=False))


async def _listen(master: mitm_master.Master, ports: list[int], *, add: bool) -> set[int]:
    specs = [f"regular@127.0.0.1:{port}" for port in ports]
    modes = [m for m in master.options.mode if m not in specs]
    master.options.update(mode=modes + specs if add else modes)  # type: ignore[no-untyped-call]  # mitmproxy leaves OptManager.update unannotated
    server = master.addons.get("proxyserver")  # type: ignore[no-untyped-call]  # mitmproxy leaves AddonManager.get unannotated
    await server.setup_servers()  # waits for the update the option change started
    return {addr[1] for addr in server.listen_addrs()}


def _free_ports(count: int) -> list[int]:
    socks = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in socks]
    finally:
        for s in socks:
            s.close()
