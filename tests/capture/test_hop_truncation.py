"""A hop says what the body limit cut, whether the recorder or the API applied it."""

from __future__ import annotations

from mitmproxy.test import taddons, tflow, tutils

from sso_harness.capture.hop import BODY_LIMIT, Hop, bounded
from sso_harness.capture.recorder import Recorder


def _hop(request_body: bytes = b"", response_body: bytes = b"") -> Hop:
    return Hop(0, "POST", "http://127.0.0.1/acs", (), request_body, 200, (), 0.0, 0.1, response_body=response_body)


def test_the_recorder_and_the_hop_share_one_limit() -> None:
    assert Recorder().body_limit == BODY_LIMIT == 256 * 1024


def test_a_body_cut_by_the_recorder_is_marked_on_the_hop() -> None:
    rec = Recorder(body_limit=10)
    with taddons.context(rec):
        req = tutils.treq(host="127.0.0.1", port=8080, path=b"/acs", method=b"POST", content=b"x" * 100)
        rec.response(tflow.tflow(req=req, resp=tutils.tresp()))
    (hop,) = rec.hops()
    assert hop.request_body_truncated and hop.body_limit == 10
    assert hop.truncated == ("request body cut at 10 bytes",)


def test_bounded_cuts_and_marks_each_body_over_the_limit() -> None:
    hop = bounded(_hop(b"a" * 50, b"b" * 20), 30)
    assert (hop.request_body, hop.request_body_truncated) == (b"a" * 30, True)
    assert (hop.response_body, hop.response_body_truncated) == (b"b" * 20, False)
    assert hop.body_limit == 30 and hop.truncated == ("request body cut at 30 bytes",)


def test_bounded_leaves_a_hop_within_the_limit_as_it_is() -> None:
    hop = _hop(b"a" * 10, b"b" * 10)
    assert bounded(hop, 10) is hop and hop.truncated == ()


def test_a_recorded_cut_survives_a_larger_api_limit() -> None:
    hop = Hop(0, "POST", "http://127.0.0.1/acs", (), b"a" * 10, 200, (), 0.0, 0.1,
              request_body_truncated=True, body_limit=10)
    assert bounded(hop).truncated == ("request body cut at 10 bytes",)
