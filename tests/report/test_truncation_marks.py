"""Truncation is visible where a trace is written: the trace JSON and the timeline page."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

from sso_harness.capture.hop import Hop
from sso_harness.report.html.flow_timeline import write_flow_timeline
from sso_harness.report.redact import Redactor
from sso_harness.report.trace_json import dump_trace, load_trace
from sso_harness.trace.trace import Trace

FORM = (("content-type", "application/x-www-form-urlencoded"),)


def _cut_trace() -> Trace:
    body = urlencode({"state": "s1", "code": "c" * 64, "pad": "p" * 4000}).encode()
    hop = Hop(0, "POST", "https://rp.example/callback", FORM, body, 200, (), 1_800_000_000.0, 1_800_000_000.1)
    return Trace.from_hops([hop], body_limit=1024)


def test_the_trace_json_marks_the_hop_and_each_message() -> None:
    data = json.loads(dump_trace(_cut_trace(), Redactor()))
    (hop,) = data["hops"]
    assert hop["request_body_truncated"] is True and hop["response_body_truncated"] is False
    assert hop["truncated"] == ["request body cut at 1024 bytes"] and hop["body_limit"] == 1024
    (message,) = hop["messages"]
    assert message["decoded"]["truncated"] == "the request body was cut at 1024 bytes by the recorder"


def test_a_whole_hop_says_nothing_was_cut() -> None:
    hop = Hop(0, "GET", "https://rp.example/cb?code=c&state=s", (), b"", 200, (), 1_800_000_000.0, 1_800_000_000.1)
    (written,) = json.loads(dump_trace(Trace.from_hops([hop]), Redactor()))["hops"]
    assert written["request_body_truncated"] is False and "truncated" not in written
    assert "truncated" not in written["messages"][0]["decoded"]


def test_the_marks_survive_reading_the_file_back() -> None:
    (hop,) = load_trace(dump_trace(_cut_trace(), Redactor()))
    assert hop.hop.request_body_truncated and hop.hop.body_limit == 1024
    assert all(m.truncated for m in hop.messages if m.source == "request form")


def test_the_timeline_badges_the_hop_and_the_message(tmp_path: Path) -> None:
    page = write_flow_timeline(_cut_trace(), tmp_path / "flow.html", Redactor()).read_text()
    assert 'class="badge truncated"' in page
    assert "Truncated: request body cut at 1024 bytes by the recorder" in page
    assert "<span class='pill sev-warning' title='the request body was cut at 1024 bytes by the recorder'>truncated" in page
