"""`sso-harness run`: the packaged suite, exactly one target's flows, from any folder.

Against a fleet started by `sso-harness mocks serve`, as if it were a tenant,
nothing is shared with the test process: the fleet runs in its own process,
the target is a YAML file with the served URLs, the password comes from the
environment, and the run is the CLI's, started outside the repository.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"


def _target(endpoints: dict[str, str], name_id_format: str) -> dict[str, object]:
    return {
        "entity_id": endpoints["atlassian.metadata"], "acs": endpoints["atlassian.acs"],
        "sign_on_url": endpoints["atlassian.instance"], "landing_url": endpoints["atlassian.instance"],
        "idp_metadata_url": endpoints["entra.app_federation_metadata.atlassian"],
        "flows": ["sp_initiated"], "expect": {"name_id": "{user.email}", "name_id_format": name_id_format},
    }


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sso_harness", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=600)


def test_a_bad_targets_file_stops_the_run_with_every_problem_before_a_browser_starts(tmp_path: Path) -> None:
    config = tmp_path / "targets.yaml"
    config.write_text("targets:\n  corp:\n    idp: {kind: generic, isuer: x}\n    sps:\n      wiki: {flwos: [sp_initiated]}\n"
                      "  other:\n    idp: {kind: generic}\n    users: [{username: u, password: '${NOT_SET_ANYWHERE}'}]\n")
    run = _cli("run", "--target", "corp", "--reports", str(tmp_path / "reports"), cwd=tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "targets.unknown_key at " in run.stderr and "targets.corp.idp.isuer" in run.stderr
    assert "targets.corp.sps.wiki.flwos: unknown key 'flwos' (did you mean 'flows'?)" in run.stderr
    assert "NOT_SET_ANYWHERE" not in run.stderr  # another target's secret does not matter
    assert not (tmp_path / "reports").exists()


def test_a_run_collects_the_packaged_suite_under_its_own_configuration(tmp_path: Path) -> None:
    import argparse

    from sso_harness.apps.cli.run import pytest_args
    from sso_harness.apps.run_suite import SUITE_DIR, SUITE_INI, SUITE_MODULE

    args = argparse.Namespace(target="corp", keyword="wiki", workers="2")
    argv = pytest_args(args, tmp_path, tmp_path / "t.yaml", allow_egress=True)
    assert argv[:5] == [str(SUITE_DIR), "-c", str(SUITE_INI), "--rootdir", str(SUITE_DIR)]
    assert SUITE_MODULE.exists() and not (SUITE_DIR / "__init__.py").exists()
    assert f"--sso-targets-file={tmp_path / 't.yaml'}" in argv and "--sso-allow-egress" in argv and argv[-4:] == ["-k", "wiki", "-n", "2"]
    assert not any("e2e" in a for a in argv)


@pytest.mark.e2e
def test_the_default_run_is_the_mock_target_from_any_folder_and_writes_every_report(tmp_path: Path) -> None:
    run = _cli("run", cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    progress = [line for line in run.stdout.splitlines() if re.match(r"\[\d+/\d+\]", line)]
    assert len(progress) == 6 and all(" PASS  test_target_flows.py::test_flow[" in line for line in progress), progress
    assert "SKIP" not in run.stdout
    reports = tmp_path / "reports"
    index = (reports / "index.html").read_text()
    assert index.count("timeline</a>") == 6 and "alibaba-sp_initiated-user0" in index
    assert len(list((reports / "timelines").glob("*.html"))) == 6
    assert (reports / "junit.xml").exists() and (reports / "summary.md").exists()
    assert any((reports / "allure-results").glob("*-result.json"))


@pytest.mark.e2e
def test_run_against_a_served_fleet_reports_pass_and_drift(tmp_path: Path, repo_root: Path) -> None:
    urls = tmp_path / "urls.json"
    serve = subprocess.Popen([sys.executable, "-m", "sso_harness.apps.cli.main", "mocks", "serve", "--urls-file", str(urls)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=repo_root)
    try:
        for line in serve.stdout:  # type: ignore[union-attr]
            if "URLs written to" in line:
                break
        else:
            raise AssertionError("mocks serve exited before it was ready")
        endpoints = json.loads(urls.read_text())["endpoints"]
        targets = {"targets": {"served": {
            "idp": {"kind": "entra", "login": {"driver": "entra"}},
            "sps": {"atlassian": _target(endpoints, EMAIL), "atlassian-drift": _target(endpoints, PERSISTENT)},
            "users": [{"username": "b.simon@contoso.com", "password": "${SERVED_TEST_PASSWORD}", "email": "b.simon@contoso.com"}],
        }}}
        config = tmp_path / "targets.yaml"
        config.write_text(yaml.safe_dump(targets))
        reports = tmp_path / "reports"
        env = dict(os.environ, SERVED_TEST_PASSWORD="Pa55w.rd-simon")
        run = _cli("run", "--target", "served", "--config", str(config), "--reports", str(reports), cwd=tmp_path, env=env)
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
    assert run.returncode == 1, run.stdout[-3000:]
    summary = (reports / "summary.md").read_text()
    assert "atlassian-sp_initiated-user0" in summary and "| passed |" in summary
    assert "atlassian-drift-sp_initiated-user0" in summary and "NameID Format" in summary
    assert "[1/2]" in run.stdout and "PASS" in run.stdout and "FAIL" in run.stdout  # progress lines: the target's two flows only
    assert "SKIP" not in run.stdout
    assert (reports / "junit.xml").exists() and any((reports / "allure-results").iterdir())
    assert "Pa55w.rd-simon" not in run.stdout + summary
