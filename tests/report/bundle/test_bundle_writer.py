"""The bundle writer: files, metadata, one redaction log, Playwright trace scrubbing, PII and --no-redact modes."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urlencode

import pytest

from sso_harness.report.bundle import (
    BundleError,
    BundleInput,
    BundleServer,
    read_bundle,
    safe_command_line,
    write_bundle,
)
from sso_harness.diagnose import Finding
from sso_harness.report.redact import Redactor
from sso_harness.trace.trace import Trace

from ...diagnose.builders import IDP, NOW, SP, hop, keypair, signed_response
from ..secret_scan import leaks

PASSWORD = "Planted-Pa55word-7731"
CLIENT_SECRET = "Planted~ClientSecret~Q8w3e4r5"
CODE = "PlantedAuthzCode0.AVQAu7Jx2K"
REFRESH = "PlantedRefresh.0.ARoA9xYz-123"
COOKIE = "PlantedSessionCookie-5f2a9c"
BEARER = "PlantedBearerHeaderValue-77"
SECRETS = [PASSWORD, CLIENT_SECRET, CODE, REFRESH, COOKIE, BEARER]
USER = "b.simon@contoso.com"


@pytest.fixture
def trace(tmp_path: Path) -> Trace:
    keys = keypair(tmp_path, "idp")
    hops = [
        hop(0, "POST", f"{IDP}/login", 302, form={"username": USER, "password": PASSWORD},
            resp_headers=(("Set-Cookie", f"idp_session={COOKIE}; Path=/; Secure; SameSite=None"),
                          ("Location", f"{SP}/cb?code={CODE}&state=s-1"))),
        hop(1, "GET", f"{SP}/cb?code={CODE}&state=s-1", 200, headers=(("Cookie", f"idp_session={COOKIE}"),)),
        hop(2, "POST", f"{IDP}/token", 200, browser=False, headers=(("Authorization", f"Bearer {BEARER}"),),
            form={"grant_type": "authorization_code", "code": CODE, "client_secret": CLIENT_SECRET},
            resp_json={"access_token": "eyJhbGciOi.PlantedAccess.sig", "refresh_token": REFRESH, "token_type": "Bearer"}),
        hop(3, "POST", f"{SP}/acs", 302, form={"SAMLResponse": signed_response(keys, in_response_to=None), "RelayState": "/app"}),
    ]
    return Trace.from_hops(hops, trusted_certs=[keys.cert], now=NOW)


def _playwright_trace() -> bytes:
    """A small trace.zip shaped like Playwright's: JSON-lines actions and network, an HTML resource, an image."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("trace.trace", json.dumps({"type": "before", "method": "fill", "params": {"value": PASSWORD}}) + "\n"
                   + json.dumps({"type": "frame-snapshot", "html": ["INPUT", {"value": urlencode({"code": CODE})}]}) + "\n")
        z.writestr("trace.network", json.dumps({"request": {"headers": [{"name": "Authorization", "value": f"Bearer {BEARER}"},
                                                                        {"name": "Cookie", "value": f"idp_session={COOKIE}"}],
                                                            "postData": {"text": f"client_secret={CLIENT_SECRET}"}},
                                                "response": {"content": {"text": json.dumps({"refresh_token": REFRESH})}}}))
        z.writestr("resources/page.html", f"<input type=hidden name=code value='{CODE}'>")
        z.writestr("resources/shot.jpeg", b"\xff\xd8\xff\xe0 not really a jpeg")
        z.writestr("resources/blob.bin", b"\x00\x01binary " + PASSWORD.encode())
    return out.getvalue()


def _files(path: Path) -> dict[str, str]:
    files = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            files[name] = data.decode("latin-1")
            if name.endswith(".zip"):
                with zipfile.ZipFile(io.BytesIO(data)) as inner:
                    files.update({f"{name}!/{n}": inner.read(n).decode("latin-1") for n in inner.namelist()})
    return files


def _write(tmp_path: Path, trace: Trace, redactor: Redactor, **kw) -> dict[str, str]:  # type: ignore[no-untyped-def]
    finding = Finding("state", "error", 1, "#1 GET", f"the code {CODE} was seen", "nothing")
    bundle = BundleInput(trace=trace, redactor=redactor, findings=[finding],
                         argv=["sso-harness", "capture", f"{SP}/cb?code={CODE}", "--password-env", "PW", "--client-secret", CLIENT_SECRET],
                         capture={"url": f"{SP}/cb?code={CODE}", "stopped_because": "the landing URL was reached"},
                         screenshots=[("final-page", b"\x89PNG fake")], playwright_trace=_playwright_trace(),
                         extra_secrets=[PASSWORD], extra_personal=[USER], **kw)
    result = write_bundle(tmp_path / "b.zip", bundle)
    assert result.path.exists()
    return _files(result.path)


def test_a_redacted_bundle_has_every_file_and_no_secret(tmp_path: Path, trace: Trace) -> None:
    files = _write(tmp_path, trace, Redactor())
    assert {"index.html", "trace.json", "trace.har", "saml-tracer.json", "playwright-trace.zip", "REDACTIONS.txt", "bundle.json",
            "screenshots/01-final-page.png", "playwright-trace.zip!/trace.trace", "playwright-trace.zip!/resources/shot.jpeg"} <= set(files)
    assert "playwright-trace.zip!/resources/blob.bin" not in files  # unknown binary: dropped, not risked
    for name, text in files.items():
        assert leaks(text, SECRETS) == [], name
    meta = json.loads(files["bundle.json"])
    assert meta["schema"] == "sso-harness/bundle" and meta["version"] == 1
    assert meta["redaction"] == {"enabled": True, "pii_masked": False}
    assert meta["command_line"][-4:] == ["--password-env", "PW", "--client-secret", "[redacted]"]
    assert meta["diagnosis"][0]["what"] == "the code [redacted] was seen"
    assert set(meta["files"]) == {n for n in files if "!/" not in n}


def test_redactions_txt_names_each_file_and_never_a_value(tmp_path: Path, trace: Trace) -> None:
    report = _write(tmp_path, trace, Redactor())["REDACTIONS.txt"]
    for line in ("trace.json: hop #0 request form: password", "trace.har: hop #2 request: Authorization header",
                 "index.html: hop #2 request form: client_secret", "saml-tracer.json: hop #1 URL query: code"):
        assert line in report, report
    assert "playwright-trace.zip: " in report and "occurrence(s) of known secret values" in report
    assert leaks(report, SECRETS) == []


def test_pii_mode_masks_people_and_leaves_pictures_out(tmp_path: Path, trace: Trace) -> None:
    files = _write(tmp_path, trace, Redactor(pii=True))
    assert not any(n.startswith(("screenshots/", "playwright-trace.zip")) for n in files)
    for name, text in files.items():
        assert leaks(text, SECRETS + [USER]) == [], name
    assert "pii:" in files["index.html"] and "Redacted, personal data masked" in files["index.html"]


def test_no_redact_is_recorded_and_shown(tmp_path: Path, trace: Trace) -> None:
    files = _write(tmp_path, trace, Redactor(enabled=False))
    assert json.loads(files["bundle.json"])["redaction"] == {"enabled": False, "pii_masked": False}
    assert 'id=\'no-redact\'' in files["index.html"] and "REDACTION IS OFF" in files["index.html"]
    assert PASSWORD in files["playwright-trace.zip!/trace.trace"]
    assert json.loads(files["bundle.json"])["command_line"][-1] == "[redacted]"  # the command line is always masked


def test_the_page_is_self_contained(tmp_path: Path, trace: Trace) -> None:
    page = _write(tmp_path, trace, Redactor())["index.html"]
    assert "<script src" not in page and "<link " not in page and "http-equiv='Content-Security-Policy'" in page
    assert page.count("<svg") == 1 and "id='diagnosis'" in page and "id='claims'" in page
    assert page.index("id='diagnosis'") < page.index("id='timeline'")


@pytest.mark.parametrize(("argv", "masked"), [
    (["--password", "hunter2-x"], ["--password", "[redacted]"]),
    (["--client-secret=abc"], ["--client-secret=[redacted]"]),
    (["--password-env", "PW"], ["--password-env", "PW"]),
    (["https://sp/cb?code=abc123&state=x"], ["https://sp/cb?code=%5Bredacted%5D&state=x"]),
    (["code=abc123"], ["code=[redacted]"]),
])
def test_the_command_line_loses_its_secrets(argv: list[str], masked: list[str]) -> None:
    assert safe_command_line(argv) == masked


def test_reading_and_serving_a_bundle(tmp_path: Path, trace: Trace) -> None:
    _write(tmp_path, trace, Redactor())
    info = read_bundle(tmp_path / "b.zip")
    assert info.redacted and "index.html" in info.names
    with BundleServer(tmp_path / "b.zip") as server:
        with urllib.request.urlopen(server.url) as r:
            assert r.headers["Content-Type"].startswith("text/html") and b"Diagnosis" in r.read()
        with urllib.request.urlopen(server.url + "trace.json") as r:
            assert json.loads(r.read())["schema"] == "sso-harness/trace"
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(server.url + "nope.txt")


def test_not_a_bundle(tmp_path: Path) -> None:
    (tmp_path / "x.zip").write_bytes(b"nope")
    with pytest.raises(BundleError, match="cannot read the zip"):
        read_bundle(tmp_path / "x.zip")
    with zipfile.ZipFile(tmp_path / "y.zip", "w") as z:
        z.writestr("trace.json", "{}")
    with pytest.raises(BundleError, match="no index.html"):
        read_bundle(tmp_path / "y.zip")
