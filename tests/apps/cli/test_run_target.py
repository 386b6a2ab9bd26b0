"""`sso-harness run --target` against a fleet started by `sso-harness mocks serve`, as if it were a tenant.

Nothing is shared with the test process: the fleet runs in its own process,
the target is a YAML file with the served URLs, the password comes from the
environment, and the run is the CLI's.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.e2e

EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"


def _target(endpoints: dict[str, str], name_id_format: str) -> dict[str, object]:
    return {
        "entity_id": endpoints["atlassian.metadata"], "acs": endpoints["atlassian.acs"],
        "sign_on_url": endpoints["atlassian.instance"], "landing_url": endpoints["atlassian.instance"],
        "idp_metadata_url": endpoints["entra.app_federation_metadata.atlassian"],
        "flows": ["sp_initiated"], "expect": {"name_id": "{user.email}", "name_id_format": name_id_format},
    }


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
        run = subprocess.run(
            [sys.executable, "-m", "sso_harness.apps.cli.main", "run", "--target", "served", "--config", str(config),
             "--reports", str(reports), "--suite", "e2e/test_target_flows.py"],
            capture_output=True, text=True, env=env, cwd=repo_root, timeout=600,
        )
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
    assert run.returncode == 1, run.stdout[-3000:]
    summary = (reports / "summary.md").read_text()
    assert "atlassian-sp_initiated-user0" in summary and "| passed |" in summary
    assert "atlassian-drift-sp_initiated-user0" in summary and "NameID Format" in summary
    assert "[1/" in run.stdout and "PASS" in run.stdout and "FAIL" in run.stdout  # progress lines
    assert (reports / "junit.xml").exists() and any((reports / "allure-results").iterdir())
    assert "Pa55w.rd-simon" not in run.stdout + summary
