"""``sso-harness attack`` end to end: its own fleet, lab and Chromium; the matrix as JSON; the exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e]


def _attack(repo_root: Path, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    done = subprocess.run([sys.executable, "-m", "sso_harness.apps.cli.attack", *args, "--json"], cwd=repo_root,
                          capture_output=True, text=True, timeout=300)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def _verdicts(report: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {f"{t['target']}:{r['id']}": r["verdict"] for t in report["targets"] for r in t["results"]}


def test_hardened_targets_exit_0(repo_root: Path) -> None:
    status, report = _attack(repo_root, "--sp", "mitel", "--sp", "oidc-rp", "--only", "saml-xsw1,saml-replay,oidc-alg-none")
    assert _verdicts(report) == {
        "mitel:saml-baseline": "ACCEPTED", "mitel:saml-xsw1": "REJECTED", "mitel:saml-replay": "REJECTED",
        "oidc-rp:oidc-baseline": "ACCEPTED", "oidc-rp:oidc-alg-none": "REJECTED",
    }
    assert status == 0 and report["vulnerable"] == []


def test_a_vulnerable_target_exits_1_and_is_named(repo_root: Path) -> None:
    status, report = _attack(repo_root, "--sp", "vulnerable-sp", "--weaknesses", "no-audience",
                             "--only", "saml-wrong-audience,saml-wrong-recipient")
    assert _verdicts(report) == {"vulnerable-sp:saml-baseline": "ACCEPTED", "vulnerable-sp:saml-wrong-audience": "ACCEPTED",
                                 "vulnerable-sp:saml-wrong-recipient": "REJECTED"}
    assert status == 1 and report["vulnerable"] == ["vulnerable-sp:saml-wrong-audience"]
