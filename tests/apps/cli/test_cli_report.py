"""``sso-harness report``: the single-file report linked from the run summary, history, categories, install."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sso_harness.apps.cli import report

from ...report.allure_fakes import FAKE_ALLURE, script


def _cli(argv: list[str]) -> int:
    return report.main(argv)


def _result(results: Path, name: str, status: str) -> None:
    results.mkdir(parents=True, exist_ok=True)
    (results / f"{name}-result.json").write_text(json.dumps({
        "name": f"{name}[chromium]", "status": status, "start": 1000, "stop": 2000,
        "titlePath": ["e2e", "test_flows.py"], "statusDetails": {"message": "expect.audience: SAML Response Audience"},
    }))


@pytest.fixture
def fake_allure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    exe = script(tmp_path / "bin" / "allure", FAKE_ALLURE)
    monkeypatch.setenv("SSO_HARNESS_ALLURE", str(exe))
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jre"))
    return exe


def test_report_links_the_single_file_and_carries_history(tmp_path: Path, fake_allure: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    reports = tmp_path / "reports"
    _result(reports / "allure-results", "test_login", "passed")
    _result(reports / "allure-results", "test_audience", "failed")
    previous = tmp_path / "previous-history"  # a CI cache of the last report's history/
    previous.mkdir()
    (previous / "history.json").write_text("{}")

    status = _cli(["--reports", str(reports), "--history", str(previous)])

    out = capsys.readouterr().out
    assert status == 1  # one flow failed
    assert f"Allure single-file report (opens from file://): {reports / 'allure-report.html'}" in out
    assert f"1 files carried from {previous}" in out
    assert (reports / "allure-results" / "history" / "history.json").exists()
    assert "href='allure-report.html'" in (reports / "index.html").read_text().replace('"', "'")
    # results written without the plugin still get the SSO categories
    names = [c["name"] for c in json.loads((reports / "allure-results" / "categories.json").read_text())]
    assert "Audience / recipient" in names


def test_report_with_no_allure_and_no_install_says_why_and_writes_the_summary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SSO_HARNESS_ALLURE", raising=False)
    monkeypatch.setenv("SSO_HARNESS_TOOLS", str(tmp_path / "tools"))
    monkeypatch.setenv("PATH", str(tmp_path))
    reports = tmp_path / "reports"
    _result(reports / "allure-results", "test_login", "passed")

    assert _cli(["--reports", str(reports), "--no-install"]) == 0
    err = capsys.readouterr().err
    assert "the Allure command line is not installed" in err and "SSO_HARNESS_ALLURE" in err
    assert "No Allure report" in (reports / "index.html").read_text()
