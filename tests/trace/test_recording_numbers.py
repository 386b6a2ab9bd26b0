"""Hop numbers restart for each flow: hop #0 is the flow's first hop, whatever the proxy recorded before it."""

from __future__ import annotations

from mitmproxy.test import taddons, tflow, tutils

from sso_harness.capture.recorder import Recorder
from sso_harness.trace.recording import FlowRecording


def _visit(rec: Recorder, path: str) -> None:
    flow = tflow.tflow(req=tutils.treq(host="127.0.0.1", port=8080, path=path.encode()), resp=tutils.tresp(status_code=200))
    rec.request(flow)
    rec.response(flow)


def test_a_second_flow_numbers_its_hops_from_zero_in_hops_trace_and_labels() -> None:
    rec = Recorder(loopback_only=True)
    with taddons.context(rec):
        first = FlowRecording(rec)
        for path in ("/a", "/b", "/c"):
            _visit(rec, path)
        second = FlowRecording(rec)
        for path in ("/d", "/e"):
            _visit(rec, path)
    assert [h.index for h in first.hops()] == [0, 1, 2, 3, 4]
    assert [(h.index, h.path) for h in second.hops()] == [(0, "/d"), (1, "/e")]
    trace = second.trace()
    assert [h.hop.index for h in trace] == [0, 1]
    assert next(iter(trace)).hop.label == "#0 GET 127.0.0.1:8080/d"
    assert [h.index for h in rec.hops()] == [0, 1, 2, 3, 4]  # the proxy's own numbering is unchanged


def test_restart_numbers_from_zero_again() -> None:
    rec = Recorder(loopback_only=True)
    with taddons.context(rec):
        recording = FlowRecording(rec)
        _visit(rec, "/before")
        recording.restart()
        _visit(rec, "/after")
    assert [(h.index, h.path) for h in recording.hops()] == [(0, "/after")]
