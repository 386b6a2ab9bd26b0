"""The recorder addon, driven by mitmproxy's own test doubles (no network)."""

from __future__ import annotations

from mitmproxy.test import taddons, tflow, tutils

from sso_harness.capture.recorder import Recorder
from sso_harness.capture.scope import is_loopback_host


def _flow(host: str, path: str = "/", method: bytes = b"GET", body: bytes = b""):  # type: ignore[no-untyped-def]
    req = tutils.treq(host=host, port=8080, path=path.encode(), method=method, content=body)
    resp = tutils.tresp(status_code=302)
    resp.headers["location"] = "/next"
    return tflow.tflow(req=req, resp=resp)


def test_loopback_hops_are_recorded_with_method_url_status_and_body() -> None:
    rec = Recorder(loopback_only=True)
    with taddons.context(rec):
        f = _flow("127.0.0.1", "/acs", b"POST", b"SAMLResponse=abc&RelayState=%2Fx")
        f.request.headers["content-type"] = "application/x-www-form-urlencoded"
        rec.request(f)
        rec.response(f)
    (hop,) = rec.hops()
    assert (hop.method, hop.url, hop.status) == ("POST", "http://127.0.0.1:8080/acs", 302)
    assert hop.form == {"SAMLResponse": "abc", "RelayState": "/x"}
    assert hop.location == "/next" and hop.is_redirect
    assert hop.finished >= hop.started


def test_outside_hosts_are_answered_locally_blocked_and_left_out() -> None:
    rec = Recorder(loopback_only=True)
    with taddons.context(rec):
        f = _flow("accounts.google.com")
        f.response = None
        rec.request(f)
        assert f.response is not None and f.response.status_code == 204
        rec.response(f)
    assert rec.hops() == []
    assert rec.blocked == {"accounts.google.com": 1}


def test_egress_is_recorded_when_allowed() -> None:
    rec = Recorder(loopback_only=False)
    with taddons.context(rec):
        f = _flow("login.microsoftonline.com")
        rec.request(f)
        rec.response(f)
    assert [h.host for h in rec.hops()] == ["login.microsoftonline.com"]


def test_request_bodies_are_bounded() -> None:
    rec = Recorder(body_limit=10)
    with taddons.context(rec):
        f = _flow("127.0.0.1", "/upload", b"POST", b"x" * 100)
        rec.response(f)
    (hop,) = rec.hops()
    assert hop.request_body == b"x" * 10 and hop.request_body_truncated


def test_marks_split_hops_between_flows() -> None:
    rec = Recorder()
    with taddons.context(rec):
        rec.response(_flow("127.0.0.1", "/one"))
        mark = rec.mark()
        rec.response(_flow("127.0.0.1", "/two"))
    assert [h.path for h in rec.hops(mark)] == ["/two"]


def test_failed_exchanges_are_kept_with_their_error() -> None:
    rec = Recorder()
    with taddons.context(rec):
        f = tflow.tflow(err=True)
        f.request.host = "127.0.0.1"
        rec.error(f)
    (hop,) = rec.hops()
    assert hop.status is None and hop.error


def test_loopback_detection() -> None:
    assert is_loopback_host("127.0.0.1") and is_loopback_host("localhost") and is_loopback_host("[::1]")
    assert is_loopback_host("app.localhost") and is_loopback_host("127.5.0.1")
    assert not is_loopback_host("example.com") and not is_loopback_host("10.0.0.1")


def test_finished_flows_can_be_discarded_to_bound_memory() -> None:
    rec = Recorder()
    with taddons.context(rec):
        rec.response(_flow("127.0.0.1", "/one"))
        mark = rec.mark()
        rec.response(_flow("127.0.0.1", "/two"))
    rec.discard_before(mark)
    assert [h.path for h in rec.hops()] == ["/two"]
