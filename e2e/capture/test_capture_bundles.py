"""The issue's "done when": capture a mock SP-initiated SAML flow, a mock OAuth flow and a broken flow
(a wrong reply URL: AADSTS50011) into bundles whose timeline shows the hops and whose diagnosis names the cause.

The SAML and the broken flow run the real command line in a subprocess (its
own proxy and browser, as a support engineer would run it); the OAuth flow,
which starts with a click on Jira's "Test connection", runs the same capture
library in-process with a step before the sign-in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sso_harness.browser.entra import EntraLogin
from sso_harness.mocks.scenario import IDS

from .capture_support import SIMON, extract

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sso_harness.apps.cli.capture", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})}, check=False)


def _rows(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [" ".join(t.split()) for t in page.locator("details.hop:not(.minor) > summary").all_inner_texts()]


def test_capture_cli_records_a_saml_sp_initiated_flow(mock_fleet, tmp_path: Path, look_at) -> None:  # type: ignore[no-untyped-def]
    sp, idp = mock_fleet.sp.settings, mock_fleet.idp.settings
    pem = tmp_path / "idp.pem"
    pem.write_text(idp.signing.cert_pem)
    out = tmp_path / "saml.zip"
    done = _cli(f"{sp.base_url}/protected/reports?quarter=q3", "--login", "form", "--user-env", "SSO_USER",
                "--password-env", "SSO_PASSWORD", "--idp-cert", str(pem), "--out", str(out), "--timeout", "40",
                "--until", f"{sp.base_url}/protected/", "--loopback-only",
                env={"SSO_USER": SIMON.username, "SSO_PASSWORD": SIMON.password})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the landing URL was reached" in done.stdout and "diagnosis: no problems found" in done.stdout
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        meta = json.loads(z.read("bundle.json"))
    assert {"index.html", "trace.json", "trace.har", "saml-tracer.json", "playwright-trace.zip", "REDACTIONS.txt",
            "bundle.json", "screenshots/01-final-page.png"} <= names
    assert meta["redaction"] == {"enabled": True, "pii_masked": False} and meta["diagnosis"] == []
    assert "SSO_PASSWORD" in meta["command_line"] and SIMON.password not in json.dumps(meta)

    page = look_at(extract(out, tmp_path / "saml").as_uri(), "bundle-saml-sp-initiated")
    assert page.locator("#diagnosis + .allclear").inner_text().startswith("no problems found")
    rows = _rows(page)
    acs = next(r for r in rows if "/acs" in r)
    assert "POST" in acs and "SAML" in acs and "302" in acs
    assert any("/sso?SAMLRequest=" in r and "SAML" in r for r in rows)
    page.locator("details.hop:has(.badge)").filter(has=page.locator(".method", has_text="POST")).locator("> summary").click()
    message = page.locator("details.hop[open] .msg").first
    assert "signature trusted" in message.inner_text() and "b.simon@contoso.com" in message.inner_text()
    assert page.locator("table.claims").inner_text().count("SAML Response at #") >= 3
    lanes = page.locator(".lanes svg").text_content() or ""
    assert "Browser" in lanes and "SP" in lanes and "IdP" in lanes and "POST /acs" in lanes


def test_capture_cli_diagnoses_a_wrong_reply_url_as_aadsts50011(mock_fleet, tmp_path: Path, look_at) -> None:  # type: ignore[no-untyped-def]
    mock_fleet.entra.configure_app(IDS.atlassian_app, reply_urls=("https://elsewhere.example/acs",))
    out = tmp_path / "broken.zip"
    done = _cli(mock_fleet.atlassian.instance_url("contoso"), "--login", "entra", "--user-env", "SSO_USER",
                "--password-env", "SSO_PASSWORD", "--out", str(out), "--timeout", "40", "--loopback-only",
                env={"SSO_USER": SIMON.username, "SSO_PASSWORD": SIMON.password})
    assert done.returncode == 1, done.stdout + done.stderr  # written, and the diagnosis found an error
    assert "the IdP showed an error page (AADSTS50011)" in done.stdout
    assert "aadsts" in done.stdout and "InvalidReplyTo" in done.stdout
    meta = json.loads(zipfile.ZipFile(out).read("bundle.json"))
    rules = [f["rule"] for f in meta["diagnosis"]]
    assert rules[:2] == ["aadsts", "acs"], rules
    acs = meta["diagnosis"][1]
    assert mock_fleet.atlassian.acs_url in acs["what"] and acs["hop_label"].split()[1] == "GET"

    page = look_at(extract(out, tmp_path / "broken").as_uri(), "bundle-aadsts50011")
    first = page.locator(".finding").first
    assert "AADSTS50011 InvalidReplyTo" in first.inner_text() and first.locator(".change").inner_text().startswith("Register the URI")
    assert page.locator(".finding.error").count() >= 2
    link = first.locator("a").get_attribute("href")
    assert link and link.startswith("#hop-")
    page.locator(".finding a").first.click()
    opened = page.locator(f"details{link}[open]")
    assert "saml.authn_request" in opened.inner_text()


def test_capture_records_an_oauth_flow_with_its_back_channel(capture_flow, mock_fleet, tmp_path: Path, look_at) -> None:  # type: ignore[no-untyped-def]
    jira = mock_fleet.jira
    captured = capture_flow(
        "oauth", jira.test_connection_url, login=EntraLogin(), credentials=SIMON,
        before_login=lambda page: page.locator("#test-connection").click(),
        until=lambda url: url.startswith(jira.redirect_url),
    )
    assert captured.stopped == "the landing URL was reached"
    assert not [f for f in captured.findings if f.severity == "error"], [f.line() for f in captured.findings]
    page = look_at(extract(captured.path, tmp_path / "oauth").as_uri(), "bundle-oauth-code")
    rows = _rows(page)
    assert any("/oauth2/v2.0/authorize" in r and "OAuth" in r for r in rows)
    assert any("/rest/oauth2-client/latest/callback" in r for r in rows)
    token = next(r for r in rows if "/oauth2/v2.0/token" in r)
    assert "back channel" in token and "POST" in token
    assert "code=%5Bredacted%5D" in page.content() or "code=[redacted]" in page.content()
    lanes = page.locator(".lanes svg")
    assert lanes.locator("line[stroke-dasharray='6 3']").count() >= 1  # the token call, server to server


@pytest.fixture
def slow_site():  # type: ignore[no-untyped-def]
    from sso_harness.mocks.web.http import MockServer, html_page

    server = MockServer(lambda request: html_page("Waiting", "<h1>waiting for a sign-in that never comes</h1>"), name="slow").start()
    yield server
    server.stop()


def test_a_timeout_still_writes_the_bundle_and_is_an_error(slow_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "timeout.zip"
    done = _cli(slow_site.base_url + "/start", "--until", "https://never.example/", "--timeout", "3", "--out", str(out),
                "--loopback-only")
    assert done.returncode == 1, done.stdout + done.stderr  # a sign-in that never finished is not "no problems"
    assert "nobody can sign in" in done.stdout  # no display and no --login, said plainly
    assert "no problems found" not in done.stdout and "the capture did not complete" in done.stdout
    meta = json.loads(zipfile.ZipFile(out).read("bundle.json"))
    assert meta["capture"]["stopped_because"] == "timeout (3 s) before the landing URL" and meta["hops"] >= 1
    assert meta["capture"]["completed"] is False
    first = meta["diagnosis"][0]
    assert first["rule"] == "capture-incomplete" and first["severity"] == "error"
    assert f"the browser was last at {slow_site.base_url}/start" in first["what"] and first["hop_label"].endswith("/start")


def test_ctrl_c_stops_the_capture_and_still_writes_the_bundle(slow_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import signal

    out = tmp_path / "interrupted.zip"
    proc = subprocess.Popen([sys.executable, "-m", "sso_harness.apps.cli.capture", slow_site.base_url + "/start", "--until",
                             "https://never.example/", "--timeout", "60", "--out", str(out), "--loopback-only"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stdout is not None
    for line in proc.stdout:  # wait until it is recording, as a person would before pressing Ctrl-C
        if "recording" in line:
            break
    os.killpg(proc.pid, signal.SIGINT)  # the whole process group, like a terminal's Ctrl-C
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stdout + stderr
    assert "stopped: interrupted (Ctrl-C)" in stdout
    with zipfile.ZipFile(out) as z:
        assert json.loads(z.read("bundle.json"))["capture"]["stopped_because"] == "interrupted (Ctrl-C)"
        assert "playwright-trace.zip" in z.namelist()  # the browser was still alive to hand over its trace
