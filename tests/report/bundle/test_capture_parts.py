"""The capture command's small parts: URL patterns, options, page error lines, the recorder, the run summary, the report command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from mitmproxy.test import tflow

from sso_harness.apps.capture_service import (
    CaptureOptions,
    CaptureSetupError,
    PageErrorRecorder,
    error_lines,
    url_matcher,
)
from sso_harness.report.html import nodeid_of, read_allure_results, render_run_summary, timeline_name
from sso_harness.report.html.scrub import SecretValues


@pytest.mark.parametrize(("pattern", "url", "match"), [
    ("https://app.example.com/home", "https://app.example.com/home?x=1", True),
    ("https://app.example.com/home", "https://idp.example.net/home", False),
    ("https://app.example.com/*/done", "https://app.example.com/a/b/done", True),
    ("re:^https://app\\.example\\.com/(home|start)$", "https://app.example.com/start", True),
    ("re:^https://app\\.example\\.com/(home|start)$", "https://app.example.com/start/x", False),
])
def test_until_patterns(pattern: str, url: str, match: bool) -> None:
    assert url_matcher(pattern)(url) is match


def test_bad_until_patterns_are_refused() -> None:
    for bad in ("", "re:(unclosed"):
        with pytest.raises(ValueError):
            url_matcher(bad)


def test_credentials_come_from_named_environment_variables() -> None:
    opts = CaptureOptions(url="https://sp", login="entra", user_env="U", password_env="P")
    assert opts.credentials({"U": "qa@contoso.com", "P": "pw-1234"}) == ("qa@contoso.com", "pw-1234")
    with pytest.raises(CaptureSetupError, match="not set: P"):
        opts.credentials({"U": "qa@contoso.com"})
    with pytest.raises(CaptureSetupError, match="--user-env"):
        CaptureOptions(url="https://sp", login="entra").credentials({})
    assert CaptureOptions(url="https://sp").credentials({}) is None


@pytest.mark.parametrize(("headed", "login", "env", "expect_headed", "says"), [
    (True, None, {}, False, "no display"),
    (True, None, {"DISPLAY": ":0"}, True, "sign in by hand"),
    (False, None, {"DISPLAY": ":0"}, True, "display is present"),
    (False, None, {}, False, "nobody can sign in"),
    (False, "entra", {}, False, None),
])
def test_headed_only_with_a_display(headed: bool, login: str | None, env: dict[str, str], expect_headed: bool, says: str | None) -> None:
    mode, note = CaptureOptions(url="https://sp", headed=headed, login=login).headed_mode(env)
    assert mode is expect_headed
    assert (note is None) if says is None else (says in (note or ""))


def test_error_lines_keep_only_aadsts_lines_of_visible_text() -> None:
    page = ("<html><head><title>Sign in</title><script>var x='AADSTS1234567 in script';</script></head><body>"
            "<div>Sorry, but we're having trouble signing you in.</div><div id='m'>AADSTS50011: The redirect URI &#39;x&#39;"
            " does not match.</div></body></html>")
    assert error_lines(page) == "AADSTS50011: The redirect URI 'x' does not match."


def test_the_page_error_recorder_keeps_error_lines_by_hop() -> None:
    recorder = PageErrorRecorder(loopback_only=False)
    plain = tflow.tflow(resp=True)
    plain.response.headers["content-type"] = "text/html"
    plain.response.content = b"<p>hello</p>"
    recorder.response(plain)
    error = tflow.tflow(resp=True)
    error.response.headers["content-type"] = "text/html; charset=utf-8"
    error.response.content = b"<div>AADSTS700016: Application with identifier 'x' was not found</div>"
    recorder.response(error)
    (page,) = recorder.pages()
    assert page.hop == 1 and page.text.startswith("AADSTS700016") and len(recorder.hops()) == 2


def test_the_scrubber_finds_every_encoding_of_a_value() -> None:
    secrets = SecretValues()
    secrets.add("a b/c+d=e&f\"g<h")
    secrets.add("abc")  # too short to scrub from free text
    text = 'raw a b/c+d=e&f"g<h, query a%20b%2Fc%2Bd%3De%26f%22g%3Ch, form a+b%2Fc%2Bd%3De%26f%22g%3Ch, json "a b/c+d=e&f\\"g<h", html a b/c+d=e&amp;f&quot;g&lt;h, abc'
    clean, n = secrets.scrub(text)
    assert n == 5 and clean.count("[redacted]") == 5 and clean.endswith("abc")


def _result(folder: Path, name: str, status: str, start: int, message: str = "") -> None:
    (folder / f"{name}-{start}-result.json").write_text(json.dumps({
        "name": f"{name}[chromium]", "status": status, "start": start, "stop": start + 500,
        "titlePath": ["e2e", "test_flows.py"], "statusDetails": {"message": message}}))


def test_allure_results_are_read_with_retries_collapsed(tmp_path: Path) -> None:
    _result(tmp_path, "test_login", "failed", 1000, "first try")
    _result(tmp_path, "test_login", "passed", 5000)
    _result(tmp_path, "test_logout", "broken", 2000, "AssertionError: no SAML Response\nmore")
    (tmp_path / "junk-result.json").write_text("{not json")
    results = {r.nodeid: r for r in read_allure_results(tmp_path)}
    assert results["e2e/test_flows.py::test_login[chromium]"].status == "passed"
    logout = results["e2e/test_flows.py::test_logout[chromium]"]
    assert logout.status == "broken" and logout.message == "AssertionError: no SAML Response" and logout.seconds == 0.5
    page = render_run_summary(list(results.values()))
    assert "id='verdict'>FAILED" in page and page.index("test_logout") < page.index("test_login")
    assert "NO FLOWS" in render_run_summary([])


def test_node_ids_and_timeline_names() -> None:
    assert nodeid_of({"name": "test_y[p]", "titlePath": ["e2e", "sub", "test_x.py", "TestC"]}) == "e2e/sub/test_x.py::TestC::test_y[p]"
    assert timeline_name("e2e/test_x.py::test_y[chromium]") == "e2e-test_x-test_y-chromium.html"


def test_report_without_allure_says_how_to_install_and_still_writes_the_summary(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from sso_harness.apps.cli import report
    from sso_harness.report.html import allure_cli

    monkeypatch.setattr(allure_cli, "allure_executable", lambda: None)
    (tmp_path / "allure-results").mkdir()
    _result(tmp_path / "allure-results", "test_login", "passed", 1000)
    status = report.run(argparse.Namespace(reports=tmp_path, results=None, no_allure=False, no_install=True, history=None))
    assert status == 0
    assert "SSO_HARNESS_ALLURE" in capsys.readouterr().err  # how to get one
    page = (tmp_path / "index.html").read_text()
    assert "No Allure report" in page and "id='verdict'>PASSED" in page
