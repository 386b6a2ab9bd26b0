"""The command outside pytest: its own proxy, Chromium and mock fleet, in a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e

# The same entry as ``sso-harness tutorial ...``, built from the command module itself.
ENTRY = (
    "import argparse, sys\n"
    "from sso_harness.apps.cli import tutorial\n"
    "p = argparse.ArgumentParser(prog='sso-harness')\n"
    "tutorial.add_parser(p.add_subparsers(dest='command'))\n"
    "a = p.parse_args(['tutorial', *sys.argv[1:]])\n"
    "sys.exit(a.handler(a))\n"
)


def sso_harness_tutorial(*argv: str, cwd) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run([sys.executable, "-c", ENTRY, *argv], cwd=cwd, capture_output=True, text=True, timeout=180)


def test_a_passing_tutorial_prints_json_and_exits_0(repo_root) -> None:  # type: ignore[no-untyped-def]
    done = sso_harness_tutorial("atlassian-cloud-saml", "--json", cwd=repo_root)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(done.stdout)
    assert data["tutorial"] == "atlassian-cloud-saml" and data["passed"] is True
    assert data["checks"] and all(c["passed"] is True for c in data["checks"])
    first = data["checks"][0]
    assert set(first) >= {"claim", "passed", "evidence"} and first["evidence"]["hop"].startswith("#")


def test_a_drift_prints_the_checklist_with_crosses_and_exits_1(repo_root) -> None:  # type: ignore[no-untyped-def]
    done = sso_harness_tutorial("alibaba-cloudsso-saml", "--drift", "relay-state-outside-domain", cwd=repo_root)
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    assert "✗ A Relay State within CloudSSO's domain is honoured - the user lands on it" in out
    assert "evidence: #" in out and "CloudSSO honours a Relay State only within its own domain" in out
    assert out.rstrip().endswith("s)") and ", 2 ✗, 0 not checked" in out


def test_a_target_with_embedded_mocks_runs_from_the_command_line(repo_root) -> None:  # type: ignore[no-untyped-def]
    """``--target`` on the mock fleet described as a tenant: the command starts the fleet and fills ``{mock.*}``,
    in the targets file (URLs, passwords, Jira's client secret) and in ``--set`` values."""
    from sso_harness.mocks.scenario import IDS

    config = repo_root / "e2e" / "tutorials" / "mock_tenant_targets.yaml"
    done = sso_harness_tutorial("jira-oauth2", "--target", "mock-tenant", "--config", str(config), "--json", cwd=repo_root)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(done.stdout)
    assert data["emulation"] is False and data["target"] == "mock-tenant"
    assert data["counts"] == {"checks": 10, "ran": 6, "passed": 6, "failed": 0, "emulation_only": 4, "by_design": 2, "not_checked": 0}
    token = next(c for c in data["checks"] if c["claim"].startswith("offline_access yields a refresh token"))
    assert token["passed"] is True and "/oauth2/v2.0/token" in token["evidence"]["hop"]
    assert IDS.jira_secret_value not in done.stdout + done.stderr
    unknown = sso_harness_tutorial("alibaba-cloudsso-saml", "--target", "mock-tenant", "--config", str(config),
                                   "--set", "sp.metadata_url={mock.alibaba.nope}", cwd=repo_root)
    assert unknown.returncode == 2 and "targets.mock_unknown: the mock fleet has no value {mock.alibaba.nope}" in unknown.stderr
