"""Every supported trace format becomes the same capture hops; bad input gets a coded error."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from sso_harness.capture.intake import (
    EMPTY,
    MALFORMED,
    TOO_LARGE,
    UNKNOWN_FORMAT,
    UNREADABLE,
    UNSUPPORTED_VERSION,
    IntakeError,
    detect_format,
    read_capture,
    read_capture_file,
)
from sso_harness.capture.recorder import Recorder

from . import shapes

FORMATS = {
    "chrome-har": lambda steps: shapes.har(steps, "chrome"),
    "edge-har-base64": lambda steps: shapes.har(steps, "edge"),
    "firefox-har-without-content": lambda steps: shapes.har(steps, "firefox"),
    "samltracer": lambda steps: shapes.samltracer(steps, masked=False),
    "samltracer-masked": lambda steps: shapes.samltracer(steps, masked=True),
    "mitmproxy": shapes.mitmproxy_file,
    "trace-json": lambda steps: shapes.trace_json(steps, redacted=False),
}
EXPECTED_FORMAT = {"chrome-har": "har", "edge-har-base64": "har", "firefox-har-without-content": "har", "samltracer": "saml-tracer",
                   "samltracer-masked": "saml-tracer", "mitmproxy": "mitmproxy", "trace-json": "trace-json"}


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> list[shapes.Step]:
    return shapes.failing_flow(tmp_path_factory.mktemp("keys"))


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_format_gives_the_flow_s_hops(steps: list[shapes.Step], name: str) -> None:
    intake = read_capture(FORMATS[name](steps))
    assert intake.format == EXPECTED_FORMAT[name]
    assert [(h.index, h.method, h.status) for h in intake.hops] == [(i, s.method, s.status) for i, s in enumerate(steps)]
    assert [h.url for h in intake.hops] == [s.url for s in steps]
    acs, login = intake.hops[3], intake.hops[2]
    assert acs.form["SAMLResponse"] == steps[3].form["SAMLResponse"]  # type: ignore[index]
    assert acs.form["RelayState"] == "/app/start"  # a masked SAML-tracer value is recovered from the URL it travelled in
    assert login.request_header("cookie") is not None and not any(k.startswith(":") for k, _ in login.request_headers)
    assert intake.timed == (not name.startswith("samltracer"))


def test_har_times_and_versions_are_read_whatever_the_offset(steps: list[shapes.Step]) -> None:
    chrome, firefox = read_capture(shapes.har(steps, "chrome")), read_capture(shapes.har(steps, "firefox"))
    assert [h.started for h in chrome.hops] == [h.started for h in firefox.hops]
    assert chrome.hops[0].duration_ms == pytest.approx(42.5)
    assert {h.http_version for h in chrome.hops} == {"HTTP/2.0"}
    assert chrome.captured_at is not None and chrome.captured_at.timestamp() == pytest.approx(chrome.hops[-1].finished)


def test_a_har_without_content_says_so_and_keeps_headers(steps: list[shapes.Step]) -> None:
    intake = read_capture(shapes.har(steps, "firefox"))
    assert len(intake.notes) == 1 and "3 of 5" in intake.notes[0]
    assert intake.hops[2].response_header("set-cookie") is not None


def test_base64_content_is_decoded_and_kept_like_the_recorder_keeps_it() -> None:
    doc = {"log": {"entries": [_entry("https://op.example/token", body=b'{"access_token": "x"}', mime="application/json", b64=True),
                               _entry("https://op.example/page", body=b"<p>hi</p>", mime="text/html", b64=True)]}}
    token, page = read_capture(json.dumps(doc).encode()).hops
    assert token.response_body == b'{"access_token": "x"}'
    assert page.response_body == b""  # pages are not kept, as in a live capture


def test_bodies_over_the_recorder_s_limit_are_cut_and_marked() -> None:
    form = {"mimeType": "application/x-www-form-urlencoded", "text": "SAMLResponse=" + "A" * 500}
    doc = {"log": {"entries": [_entry("https://sp.example/acs", method="POST", post=form)]}}
    intake = read_capture(json.dumps(doc).encode(), recorder=Recorder(loopback_only=False, body_limit=100))
    (hop,) = intake.hops
    assert len(hop.request_body) == 100 and hop.request_body_truncated
    assert any("100 bytes" in n for n in intake.notes)


def test_postdata_params_only_a_cookie_list_only_and_failed_requests() -> None:
    params = {"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "RelayState", "value": "a b"}]}
    ok = _entry("https://sp.example/acs", method="POST", post=params, headers=[], cookies=[{"name": "s", "value": "1"}])
    failed = _entry("https://idp.example/sso", status=0)
    failed["response"]["_error"] = "net::ERR_NAME_NOT_RESOLVED"
    omitted = _entry("https://sp.example/acs", method="POST", post={**params, "text": ""})  # Playwright's "omit" mode
    hop, bad, again = read_capture(json.dumps({"log": {"entries": [ok, failed, omitted]}}).encode()).hops
    assert hop.form == {"RelayState": "a b"} and hop.request_header("cookie") == "s=1"
    assert again.form == {"RelayState": "a b"}
    assert bad.status is None and bad.error == "net::ERR_NAME_NOT_RESOLVED"


def test_the_harness_s_own_bundle_and_redacted_trace_are_read(steps: list[shapes.Step]) -> None:
    redacted = read_capture(shapes.trace_json(steps, redacted=True))
    assert redacted.redacted is True and redacted.hops[2].form["password"] == "[redacted]"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("index.html", "<html></html>")
        z.writestr("trace.json", shapes.trace_json(steps, redacted=True))
    bundle = read_capture(buffer.getvalue())
    assert bundle.format == "bundle" and len(bundle.hops) == len(steps)


def test_detection_reads_content_not_names(steps: list[shapes.Step], tmp_path: Path) -> None:
    misnamed = tmp_path / "trace.zip"
    misnamed.write_bytes(b"\xef\xbb\xbf" + shapes.har(steps, "chrome"))  # a BOM, as some tools write
    assert read_capture_file(misnamed).format == "har"
    assert detect_format(shapes.mitmproxy_file(steps))[0] == "mitmproxy"


@pytest.mark.parametrize(("data", "code"), [
    (b"hello, world", UNKNOWN_FORMAT),
    (b'{"entries": []}', UNKNOWN_FORMAT),
    (b'{"log": {"entries": [', MALFORMED),
    (b'{"log": {"entries": []}}', EMPTY),
    (b'{"log": {"entries": [{"request": {"method": "GET"}}]}}', MALFORMED),
    (b'{"log": {"entries": [{"startedDateTime": "yesterday", "request": {"method": "GET", "url": "https://a/"}}]}}', MALFORMED),
    (b'{"requests": []}', EMPTY),
    (b'{"requests": [{"url": "https://a/"}]}', MALFORMED),
    (b'{"schema": "sso-harness/trace", "version": 99, "hops": []}', UNSUPPORTED_VERSION),
    (b'{"schema": "sso-harness/trace", "version": 1, "hops": [{"index": 1}]}', MALFORMED),
    (b"PK\x03\x04not really a zip", MALFORMED),
    (b"10:not a flow}", MALFORMED),
], ids=["text", "json-unknown", "truncated", "har-empty", "har-no-url", "har-bad-date", "st-empty", "st-no-method",
        "trace-version", "trace-hop", "zip", "tnetstring"])
def test_bad_input_gets_a_coded_error(data: bytes, code: str) -> None:
    with pytest.raises(IntakeError) as caught:
        read_capture(data)
    assert caught.value.code == code


def test_a_zip_that_is_not_a_bundle_and_size_limits(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("trace.trace", "{}")
    with pytest.raises(IntakeError) as caught:
        read_capture(buffer.getvalue())
    assert caught.value.code == UNKNOWN_FORMAT
    with pytest.raises(IntakeError) as caught:
        read_capture(b'{"log": {"entries": []}}', max_bytes=10)
    assert caught.value.code == TOO_LARGE
    with pytest.raises(IntakeError) as caught:
        read_capture_file(tmp_path / "missing.har")
    assert caught.value.code == UNREADABLE and caught.value.source == str(tmp_path / "missing.har")


def _entry(url: str, *, method: str = "GET", status: int = 200, body: bytes = b"", mime: str = "", b64: bool = False,
           post: dict[str, object] | None = None, headers: list[dict[str, str]] | None = None,
           cookies: list[dict[str, str]] | None = None) -> dict[str, object]:
    import base64

    content: dict[str, object] = {"size": len(body), "mimeType": mime}
    if body:
        content["text"] = base64.b64encode(body).decode() if b64 else body.decode()
        if b64:
            content["encoding"] = "base64"
    request: dict[str, object] = {"method": method, "url": url, "httpVersion": "HTTP/1.1", "headers": headers or [],
                                  "cookies": cookies or []}
    if post is not None:
        request["postData"] = post
    return {"startedDateTime": "2026-11-22T12:00:00.000Z", "time": 10, "request": request,
            "response": {"status": status, "httpVersion": "HTTP/1.1",
                         "headers": [{"name": "Content-Type", "value": mime}] if mime else [], "content": content}}


def test_truncation_marks_of_the_harness_s_own_trace_are_kept(steps: list[shapes.Step]) -> None:
    doc = json.loads(shapes.trace_json(steps, redacted=True))
    doc["hops"][3]["request_body_truncated"] = True
    intake = read_capture(json.dumps(doc).encode())
    assert intake.hops[3].request_body_truncated and not intake.hops[2].request_body_truncated


@pytest.mark.parametrize("path", [
    ("log", "entries", 0, "request", "headers"), ("log", "entries", 0, "request", "postData"),
    ("log", "entries", 0, "response", "content"), ("log", "entries", 0, "startedDateTime"), ("log", "entries", 0, "time"),
    ("log", "entries", 0, "response", "status"), ("log", "entries", 0, "request", "cookies"),
])
@pytest.mark.parametrize("value", [None, 7, 1e300, "x", [], {}, [[1, 2, 3]], {"text": {}}, True])
def test_any_json_value_anywhere_gives_a_coded_error_or_a_trace(steps: list[shapes.Step], path: tuple[object, ...], value: object) -> None:
    doc = json.loads(shapes.har(steps[3:4], "chrome"))
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    try:
        intake = read_capture(json.dumps(doc).encode())
    except IntakeError as exc:
        assert exc.code.startswith("intake.")
    else:
        assert len(intake.hops) == 1


def test_a_mitmproxy_file_keeps_failed_flows_and_leaves_other_protocols_out() -> None:
    from mitmproxy import io as mitm_io
    from mitmproxy.test import tflow

    out = io.BytesIO()
    writer = mitm_io.FlowWriter(out)
    failed = tflow.tflow(err=True)
    writer.add(failed)
    writer.add(tflow.ttcpflow())
    intake = read_capture(out.getvalue())
    (hop,) = intake.hops
    assert hop.status is None and hop.error == failed.error.msg  # type: ignore[union-attr]
    assert len(intake.notes) == 1


def test_a_reader_can_take_only_its_format_and_an_empty_trace(steps: list[shapes.Step]) -> None:
    with pytest.raises(IntakeError) as caught:
        read_capture(shapes.har(steps, "chrome"), formats=("trace-json",))
    assert caught.value.code == UNKNOWN_FORMAT
    assert read_capture(shapes.trace_json(steps, redacted=False), formats=("trace-json",)).format == "trace-json"
    empty = b'{"schema": "sso-harness/trace", "version": 1, "hops": [], "blocked_hosts": {"a.example": 2}}'
    taken = read_capture(empty, allow_empty=True)
    assert taken.hops == () and taken.blocked_hosts == {"a.example": 2}


def test_the_limit_a_trace_s_body_was_cut_at_is_kept(steps: list[shapes.Step]) -> None:
    doc = json.loads(shapes.trace_json(steps, redacted=True))
    doc["hops"][3].update(request_body_truncated=True, body_limit=1024)
    hop = read_capture(json.dumps(doc).encode()).hops[3]
    assert hop.request_body_truncated and hop.body_limit == 1024
