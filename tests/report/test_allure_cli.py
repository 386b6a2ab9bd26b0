"""Finding, installing and running the Allure command line, with stand-in ``allure`` and ``npm``
scripts (:mod:`.allure_fakes`). The real one is driven in e2e/report."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sso_harness.report.html import allure_cli
from sso_harness.report.html.allure_cli import SINGLE_FILE_NAME, carry_history, ensure_allure, generate_allure_report

from .allure_fakes import FAKE_ALLURE, FAKE_NPM, script


def _results(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "a-result.json").write_text(json.dumps({"name": "test_login", "status": "passed"}))
    return folder


@pytest.fixture
def fake_allure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    exe = script(tmp_path / "bin" / "allure", FAKE_ALLURE)
    monkeypatch.setenv("SSO_HARNESS_ALLURE", str(exe))
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jre"))  # Allure needs Java; the stand-in does not
    return exe


def test_both_reports_are_written_and_the_previous_history_is_carried(tmp_path: Path, fake_allure: Path) -> None:
    reports = tmp_path / "reports"
    results = _results(reports / "allure-results")
    previous = tmp_path / "last-night" / "allure-report"
    (previous / "history").mkdir(parents=True)
    (previous / "history" / "history-trend.json").write_text('[{"run": "last night"}]')

    run = generate_allure_report(results, reports / "allure-report", history=previous, say=lambda _: None)

    assert run.ok, run.message
    assert (results / "history" / "history-trend.json").read_text() == '[{"run": "last night"}]'
    assert (reports / "allure-report" / "index.html").read_text() == "served\n"
    assert run.single_file == reports / SINGLE_FILE_NAME and run.single_file.read_text() == "one file\n"
    assert not [p for p in reports.iterdir() if p.name.startswith(".allure-single-")]  # the temporary folder is gone
    assert f"1 files carried from {previous}" in run.message and "opens from file://" in run.message
    calls = (fake_allure.parent / "calls.log").read_text().splitlines()
    assert calls == [f"generate --clean -o {reports / 'allure-report'} {results}",
                     f"generate --clean --single-file -o {calls[1].split(' -o ')[1].split()[0]} {results}"]


def test_regenerating_in_place_keeps_the_history_and_a_cache_folder_is_accepted(tmp_path: Path, fake_allure: Path) -> None:
    reports = tmp_path / "reports"
    results = _results(reports / "allure-results")
    assert generate_allure_report(results, reports / "allure-report", single_file=False, say=lambda _: None).ok
    assert not (results / "history").exists()  # nothing to carry the first time
    assert generate_allure_report(results, reports / "allure-report", single_file=False, say=lambda _: None).ok
    assert (results / "history" / "history-trend.json").exists()  # --clean would have wiped it from the report

    cache = tmp_path / "cache-history"  # what a CI cache restores: the history folder itself
    cache.mkdir()
    (cache / "history.json").write_text("{}")
    assert carry_history(cache, tmp_path / "fresh") == 1 and (tmp_path / "fresh" / "history" / "history.json").exists()
    assert carry_history(tmp_path / "absent", tmp_path / "fresh2") == 0 and not (tmp_path / "fresh2").exists()


def test_no_results_is_said_before_anything_runs(tmp_path: Path, fake_allure: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = generate_allure_report(tmp_path / "empty", tmp_path / "out")
    assert not run.ok and "no Allure results" in run.message
    assert not (fake_allure.parent / "calls.log").exists()


def _no_allure_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bin_dir: Path) -> Path:
    monkeypatch.delenv("SSO_HARNESS_ALLURE", raising=False)
    tools = tmp_path / "tools"
    monkeypatch.setenv("SSO_HARNESS_TOOLS", str(tools))
    bin_dir.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("PATH", str(bin_dir))
    return tools


def test_a_missing_allure_is_installed_with_npm_into_the_tools_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    script(bin_dir / "npm", FAKE_NPM)
    tools = _no_allure_anywhere(tmp_path, monkeypatch, bin_dir)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jre"))
    said: list[str] = []

    exe, note = ensure_allure(say=said.append)

    assert exe == str(tools / "allure" / "node_modules" / ".bin" / "allure") and os.access(exe, os.X_OK)
    assert note == f"installed the Allure command line in {tools / 'allure'}"
    assert said[0] == f"installing the Allure command line (npm allure-commandline) into {tools / 'allure'}"
    assert (tools / "allure" / "package-lock.json").exists()  # the lock file shipped in the package
    assert ensure_allure(say=said.append) == (exe, "")  # found, not installed again


@pytest.mark.parametrize(("java", "npm", "says"), [
    (False, True, "Java is not installed"),
    (True, False, "npm is not installed"),
])
def test_without_java_or_npm_it_says_which(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, java: bool, npm: bool,
                                           says: str) -> None:
    bin_dir = tmp_path / "bin"
    if npm:
        script(bin_dir / "npm", FAKE_NPM)
    _no_allure_anywhere(tmp_path, monkeypatch, bin_dir)
    if java:
        monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jre"))
    else:
        monkeypatch.delenv("JAVA_HOME", raising=False)
    exe, note = ensure_allure(say=lambda _: None)
    assert exe is None and says in note
    assert ensure_allure(install=False)[1].startswith("the Allure command line is not installed")


def test_the_npm_manifests_ship_inside_the_package() -> None:
    manifests = Path(allure_cli.__file__).resolve().parent.parent / "allure"
    assert json.loads((manifests / "package.json").read_text())["dependencies"]["allure-commandline"]
    assert (manifests / "package-lock.json").exists()
