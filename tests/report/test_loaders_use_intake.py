"""The report's trace loaders read files through the capture intake: same hops, coded errors."""

from __future__ import annotations

import json

import pytest

from sso_harness.capture.hop import Hop
from sso_harness.capture.intake import EMPTY, MALFORMED, UNKNOWN_FORMAT, UNSUPPORTED_VERSION, IntakeError, read_capture
from sso_harness.report.redact import Redactor
from sso_harness.report.samltracer import SamlTracerImportError, dump_samltracer, load_samltracer
from sso_harness.report.trace_json import TraceFormatError, dump_trace, load_trace
from sso_harness.trace.trace import Trace

T0 = 1_800_000_000.0
FORM = (("Content-Type", "application/x-www-form-urlencoded"),)


def _trace() -> Trace:
    return Trace.from_hops([
        Hop(0, "GET", "http://127.0.0.1:4001/start", (), b"", 302, (("Location", "/login"),), T0, T0 + 0.01),
        Hop(1, "POST", "http://127.0.0.1:4001/login", FORM, b"user=a&next=%2Fapp", 200, (), T0 + 0.02, T0 + 0.03),
    ], blocked_hosts={"clients2.google.com": 2})


def test_load_trace_gives_the_hops_the_intake_gives() -> None:
    text = dump_trace(_trace(), Redactor(enabled=False))
    loaded = load_trace(text)
    taken = read_capture(text.encode())
    assert [h.hop for h in loaded] == list(taken.hops)
    assert loaded.blocked_hosts == {"clients2.google.com": 2}
    assert [(h.hop.index, h.hop.method, h.hop.status) for h in loaded] == [(0, "GET", 302), (1, "POST", 200)]
    assert loaded.hops[1].hop.form == {"user": "a", "next": "/app"}


def test_an_empty_trace_still_loads_as_an_empty_trace() -> None:
    empty = Trace.from_hops([], blocked_hosts={"update.googleapis.com": 1})
    loaded = load_trace(dump_trace(empty, Redactor()))
    assert len(loaded) == 0 and loaded.blocked_hosts == {"update.googleapis.com": 1}
    with pytest.raises(IntakeError) as caught:  # the intake itself still refuses it by default
        read_capture(dump_trace(empty, Redactor()).encode())
    assert caught.value.code == EMPTY


@pytest.mark.parametrize(("bad", "code"), [
    (b"nope", UNKNOWN_FORMAT),
    (b"{}", UNKNOWN_FORMAT),
    (b'{"log": {"entries": []}}', UNKNOWN_FORMAT),  # a HAR is not a trace JSON
    (b'{"schema": "sso-harness/trace", "version": 99}', UNSUPPORTED_VERSION),
    (b'{"schema": "sso-harness/trace", "version": 1, "hops": [{"index": 1}]}', MALFORMED),
])
def test_load_trace_errors_are_coded_and_keep_their_type(bad: bytes, code: str) -> None:
    with pytest.raises(TraceFormatError) as caught:
        load_trace(bad)
    assert caught.value.code == code
    assert isinstance(caught.value, IntakeError) and isinstance(caught.value, ValueError)


def test_load_samltracer_round_trips_through_the_intake() -> None:
    text = dump_samltracer(_trace(), Redactor(enabled=False))
    loaded = load_samltracer(text)
    assert [(h.hop.index, h.hop.method, h.hop.url) for h in loaded] == [
        (0, "GET", "http://127.0.0.1:4001/start"), (1, "POST", "http://127.0.0.1:4001/login"),
    ]
    assert loaded.hops[1].hop.form == {"user": "a", "next": "/app"}


@pytest.mark.parametrize(("bad", "code"), [
    (b"", UNKNOWN_FORMAT),
    (b"[1,2]", UNKNOWN_FORMAT),
    (b'{"requests": []}', EMPTY),
    (b'{"requests": [{"x": 1}]}', MALFORMED),
    (json.dumps({"schema": "sso-harness/trace", "version": 1, "hops": []}).encode(), UNKNOWN_FORMAT),
])
def test_load_samltracer_errors_are_coded_and_keep_their_type(bad: bytes, code: str) -> None:
    with pytest.raises(SamlTracerImportError) as caught:
        load_samltracer(bad)
    assert caught.value.code == code and isinstance(caught.value, IntakeError)
