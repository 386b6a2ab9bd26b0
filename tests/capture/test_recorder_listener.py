"""A recorder listener sees every hop as it is recorded: how the session's secret book learns each hop."""

from __future__ import annotations

from mitmproxy.test import taddons, tflow, tutils

from sso_harness.capture.hop import Hop
from sso_harness.capture.recorder import Recorder
from sso_harness.protocols.secrets import SecretBook


def test_each_recorded_hop_reaches_the_listener_and_the_book_learns_it() -> None:
    rec = Recorder(loopback_only=True)
    seen: list[Hop] = []
    book = SecretBook()
    rec.add_listener(seen.append)
    rec.add_listener(lambda h: book.learn_exchange(h.url, h.request_headers, h.request_body, h.response_headers, h.response_body))
    with taddons.context(rec):
        req = tutils.treq(host="127.0.0.1", port=8080, path=b"/login", method=b"POST",
                          content=b"login=alice&passwd=pw-listener-1&flowToken=ft-listener-2&ctx=ctx-listener-3")
        req.headers["content-type"] = "application/x-www-form-urlencoded"
        resp = tutils.tresp(status_code=302)
        resp.headers["location"] = "https://sp.test/cb?code=code-listener-4&state=st-1"
        resp.headers["set-cookie"] = "ESTSAUTH=cookie-listener-5; path=/; secure"
        flow = tflow.tflow(req=req, resp=resp)
        rec.request(flow)
        rec.response(flow)
    assert [h.index for h in seen] == [h.index for h in rec.hops()] == [0]
    assert book.values() >= {"pw-listener-1", "ft-listener-2", "ctx-listener-3", "code-listener-4", "cookie-listener-5"}
    assert "alice" not in book and "st-1" not in book
