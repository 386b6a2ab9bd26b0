"""Lanes of one capture proxy: each lane's hops in its own recorder, back-channel calls included."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from sso_harness.capture import CaptureProxy, Hop
from sso_harness.capture.lanes import LANES_NOT_ROUTED, TRACEPARENT, LaneError, LaneRouter, close_lanes, open_lanes
from sso_harness.mocks.web.http import MockServer, Request, Response
from sso_harness.mocks.web.outbound import OutboundHttp


def _get(proxy_url: str, url: str) -> bytes:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy_url}))
    with opener.open(url, timeout=10) as r:
        body: bytes = r.read()
        return body


def _paths(hops: list[Hop]) -> list[str]:
    return [h.path for h in hops]


@pytest.fixture
def proxy() -> Iterator[CaptureProxy]:
    with CaptureProxy(LaneRouter()) as p:
        yield p


def test_each_lane_records_only_what_came_in_on_its_port(proxy: CaptureProxy) -> None:
    server = MockServer(lambda req: Response(body=req.path.encode(), content_type="text/plain")).start()
    try:
        one, two = open_lanes(proxy, 2)
        heard: list[str] = []
        proxy.recorder.add_listener(lambda hop: heard.append(hop.path))
        assert _get(one.url, f"{server.base_url}/a") == b"/a"
        assert _get(two.url, f"{server.base_url}/b") == b"/b"
        assert _get(proxy.url, f"{server.base_url}/c") == b"/c"
        assert _paths(one.recorder.hops()) == ["/a"]
        assert _paths(two.recorder.hops()) == ["/b"]
        assert _paths(proxy.recorder.hops()) == ["/c"]
        assert sorted(heard) == ["/a", "/b", "/c"]  # the router's listeners hear every lane (redaction learns secrets)
        # The lane's mark is the harness's: the hop shows the request as the client sent it.
        assert TRACEPARENT not in dict(one.recorder.hops()[0].request_headers)
        close_lanes(proxy, [one, two])
        with pytest.raises(urllib.error.URLError):
            _get(one.url, f"{server.base_url}/d")
    finally:
        server.stop()


def test_a_back_channel_call_lands_in_the_lane_that_caused_it(proxy: CaptureProxy) -> None:
    # An RP that redeems something server to server while serving the browser, through the proxy's main port.
    idp = MockServer(lambda req: Response(body=b"token", content_type="application/json")).start()
    outbound = OutboundHttp(proxy.url)
    seen_by_idp: list[str | None] = []

    def rp(req: Request) -> Response:
        answer = outbound.get(f"{idp.base_url}/token")
        return Response(body=answer.body, content_type="text/plain")

    def idp_saw(req: Request) -> Response:
        seen_by_idp.append(req.headers.get(TRACEPARENT))
        return Response(body=b"token", content_type="application/json")

    idp.handler = idp_saw
    rp_server = MockServer(rp).start()
    try:
        one, two = open_lanes(proxy, 2)
        assert _get(two.url, f"{rp_server.base_url}/callback") == b"token"
        assert _paths(two.recorder.hops()) == ["/token", "/callback"]  # the call ends first
        assert one.recorder.hops() == [] and proxy.recorder.hops() == []
        assert seen_by_idp[0] is not None and two.trace_id in seen_by_idp[0]
        assert all(TRACEPARENT not in dict(h.request_headers) for h in two.recorder.hops())
    finally:
        rp_server.stop()
        idp.stop()


def test_lanes_need_a_lane_router() -> None:
    with CaptureProxy() as plain:
        with pytest.raises(LaneError) as err:
            open_lanes(plain, 1)
    assert err.value.code == LANES_NOT_ROUTED


def test_outbound_calls_carry_no_trace_context_of_their_own() -> None:
    seen: list[str | None] = []
    server = MockServer(lambda req: (seen.append(req.headers.get(TRACEPARENT)), Response(body=b""))[1]).start()
    try:
        OutboundHttp().get(f"{server.base_url}/x")
    finally:
        server.stop()
    assert seen == [None]
