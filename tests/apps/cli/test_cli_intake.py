"""``diagnose`` and ``open`` on traces people send: every format gives the fault's code and a redacted bundle."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urlencode

import pytest

from sso_harness.apps.cli.main import main
from sso_harness.mocks.web.http import MockServer, Response

from ...capture.intake import shapes

FORMATS = {
    "chrome.har": lambda steps: shapes.har(steps, "chrome"),
    "edge.har": lambda steps: shapes.har(steps, "edge"),
    "firefox.har": lambda steps: shapes.har(steps, "firefox"),
    "SAML-tracer-export.json": lambda steps: shapes.samltracer(steps, masked=False),
    "SAML-tracer-masked.json": lambda steps: shapes.samltracer(steps, masked=True),
    "flows": shapes.mitmproxy_file,
    "trace.json": lambda steps: shapes.trace_json(steps, redacted=False),
}


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> list[shapes.Step]:
    return shapes.failing_flow(tmp_path_factory.mktemp("keys"))


def _diagnose(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main(["diagnose", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def _bundle_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_diagnose_names_the_fault_and_the_bundle_holds_no_planted_secret(
    steps: list[shapes.Step], tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str,
) -> None:
    source = tmp_path / name
    source.write_bytes(FORMATS[name](steps))
    code, report = _diagnose(capsys, str(source), "--out", str(tmp_path / "bundle.zip"))
    findings = report["findings"]
    assert isinstance(findings, list)
    audience = [f for f in findings if f["rule"] == "audience"]
    assert code == 1 and audience and audience[0]["hop"] == 3
    text = _bundle_text(tmp_path / "bundle.zip")
    assert shapes.PASSWORD not in text and shapes.COOKIE not in text
    if name != "SAML-tracer-masked.json":  # the input itself carries them in clear: the import removed them
        assert shapes.PASSWORD in source.read_text("latin-1") and shapes.COOKIE in source.read_text("latin-1")
    with zipfile.ZipFile(tmp_path / "bundle.zip") as z:
        meta = json.loads(z.read("bundle.json"))
    assert [f["rule"] for f in meta["diagnosis"]] == [f["rule"] for f in findings]
    assert meta["redaction"]["enabled"] is True


def test_a_re_imported_bundle_gives_the_same_diagnosis(steps: list[shapes.Step], tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    har = tmp_path / "x.har"
    har.write_bytes(shapes.har(steps, "chrome"))
    _, first = _diagnose(capsys, str(har), "--out", str(tmp_path / "first.zip"))
    _, again = _diagnose(capsys, str(tmp_path / "first.zip"))
    assert again["format"] == "bundle"
    assert [f["rule"] for f in again["findings"]] == [f["rule"] for f in first["findings"]]  # type: ignore[union-attr]


def test_text_output_and_exit_codes(steps: list[shapes.Step], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = shapes.failing_flow(tmp_path, audience="https://sp.example.com/metadata")
    good = tmp_path / "good.har"
    good.write_bytes(shapes.har(clean, "chrome"))
    assert main(["diagnose", str(good)]) == 0
    assert "HAR, 5 hops" in capsys.readouterr().out
    junk = tmp_path / "notes.txt"
    junk.write_text("not a trace")
    assert main(["diagnose", str(junk)]) == 2
    assert "intake.unknown_format" in capsys.readouterr().err


def test_open_turns_a_trace_json_into_a_bundle(steps: list[shapes.Step], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "trace.json"
    source.write_bytes(shapes.trace_json(steps, redacted=False))
    out = tmp_path / "kept.zip"
    assert main(["open", str(source), "--extract", str(tmp_path / "files"), "--out", str(out)]) == 0
    assert (tmp_path / "files" / "index.html").is_file() and out.is_file()
    assert shapes.PASSWORD not in (tmp_path / "files" / "trace.json").read_text()
    assert main(["open", str(tmp_path / "missing.har"), "--extract", str(tmp_path / "none")]) == 2
    assert "intake.unreadable" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_trace_written_by_the_mitmdump_script_is_diagnosed(steps: list[shapes.Step], tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """The real mitmdump with the capture script (which also loads the SSO content view) writes trace.json."""
    script = Path(__file__).resolve().parents[3] / "flows" / "apps" / "capture_service" / "mitmdump_script.py"
    server = MockServer(lambda req: Response(status=302, headers=[("Location", "/app/start")]) if req.path == "/acs" else Response(body=b"ok")).start()
    port, out = _free_port(), tmp_path / "trace.json"
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("mitmdump")), "--listen-host", "127.0.0.1", "--listen-port", str(port),
         "--set", f"confdir={tmp_path / 'ca'}", "-s", str(script), "--set", f"sso_trace_out={out}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        for line in proc.stdout:  # type: ignore[union-attr]
            if b"listening at" in line:
                break
        else:
            raise AssertionError("mitmdump exited before listening")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": f"http://127.0.0.1:{port}"}))
        # The AuthnRequest and the Response, sent to a loopback server standing in for the IdP and the SP.
        opener.open(server.base_url + "/sso?" + steps[1].url.split("?", 1)[1], timeout=10)
        acs = urllib.request.Request(server.base_url + "/acs", data=urlencode(steps[3].form or {}).encode(), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "Cookie": f"sp={shapes.COOKIE}"})
        opener.open(acs, timeout=10)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
        server.stop()
    code, report = _diagnose(capsys, str(out), "--out", str(tmp_path / "b.zip"))
    assert report["format"] == "trace-json" and "audience" in {f["rule"] for f in report["findings"]}  # type: ignore[union-attr]
    assert shapes.COOKIE not in _bundle_text(tmp_path / "b.zip")


def test_trusted_certificates_check_signatures_unless_the_file_was_redacted(tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from ...diagnose.builders import keypair

    keys = keypair(tmp_path, "trusted-idp")
    steps = shapes.failing_flow(tmp_path, keys=keys)
    clear, redacted = tmp_path / "clear.json", tmp_path / "redacted.json"
    clear.write_bytes(shapes.trace_json(steps, redacted=False))
    redacted.write_bytes(shapes.trace_json(steps, redacted=True))
    _, checked = _diagnose(capsys, str(clear), "--idp-cert", str(keys.cert_file))
    rules = {f["rule"] for f in checked["findings"]}  # type: ignore[union-attr]
    assert "audience" in rules and rules.isdisjoint({"signature-unchecked", "missed-rollover"})
    _, masked = _diagnose(capsys, str(redacted), "--idp-cert", str(keys.cert_file))
    assert "missed-rollover" not in {f["rule"] for f in masked["findings"]}  # type: ignore[union-attr]
    assert len(masked["notes"]) == 1  # type: ignore[arg-type]
