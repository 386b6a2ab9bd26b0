"""A user's way to the real peers: ``sso-harness peers up``, then ``sso-harness run`` from a folder outside the repository.

Both are subprocesses started as a user would start them, from a temporary
folder: ``peers up`` writes ``targets.yaml`` and ``peers.env`` there and
prints ``peers ready``; each ``run`` reads only those two files and must pass
every flow of its target, with its reports in that folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from sso_harness.apps.peers import missing_apache, missing_oidc_provider, missing_simplesamlphp

from .conftest import require_installed

pytestmark = [pytest.mark.e2e, pytest.mark.peers]

REPO = Path(__file__).resolve().parents[2]
TARGETS = ("mellon-simplesamlphp", "openidc-oidc-provider", "simplesamlphp-sp")  # the last: a real SP sending ForceAuthn


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("sso-harness")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sso_harness.apps.cli.main"]


def _user_env() -> dict[str, str]:
    """This environment without the outer pytest's own variables (the run is a fresh pytest)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}


@pytest.fixture(scope="module")
def peers_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder outside the repository where ``peers up`` has written its files; the peers run until the module ends."""
    require_installed("mod_auth_mellon", missing_apache("auth_mellon"))
    require_installed("mod_auth_openidc", missing_apache("auth_openidc"))
    require_installed("SimpleSAMLphp", missing_simplesamlphp())
    require_installed("oidc-provider", missing_oidc_provider())
    folder = tmp_path_factory.mktemp("user-folder")
    assert REPO not in folder.parents
    argv = [*_cli(), "peers", "up", "--dir", str(folder), *(a for t in TARGETS for a in ("--target", t))]
    proc = subprocess.Popen(argv, cwd=folder, env=_user_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    seen: list[str] = []
    try:
        for line in proc.stdout:  # blocks until the next line: the peers are ready when it says so
            seen.append(line)
            if line.startswith("peers ready"):
                break
        else:
            pytest.fail(f"`sso-harness peers up` ended (exit {proc.wait()}) before it was ready:\n{''.join(seen)}")
        yield folder
    finally:
        proc.send_signal(signal.SIGTERM)
        rest, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, f"`sso-harness peers up` exited {proc.returncode} on SIGTERM:\n{''.join(seen)}{rest}"


def test_peers_up_writes_the_targets_file_and_an_owner_only_env_file(peers_folder: Path) -> None:
    env_file = peers_folder / "peers.env"
    assert (peers_folder / "targets.yaml").exists()
    assert env_file.stat().st_mode & 0o077 == 0  # the test users' passwords are in it
    keys = {line.split("=", 1)[0] for line in env_file.read_text(encoding="utf-8").splitlines() if "=" in line}
    assert {"PEER_SSP_URL", "PEER_MELLON_URL", "PEER_OPENIDC_URL", "PEER_OPENIDC_OP_ISSUER", "SSO_HARNESS_PROXY_PORT"} <= keys


@pytest.mark.parametrize("target", TARGETS)
def test_run_from_a_folder_outside_the_repository_passes_every_flow(peers_folder: Path, target: str) -> None:
    reports = peers_folder / f"reports-{target}"
    done = subprocess.run([*_cli(), "run", "--target", target, "--env-file", "peers.env", "--reports", reports.name],
                          cwd=peers_folder, env=_user_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    suite = ET.parse(reports / "junit.xml").getroot()
    suite = suite if suite.tag == "testsuite" else suite[0]
    assert int(suite.get("tests", "0")) >= 1
    assert suite.get("failures") == "0" and suite.get("errors") == "0"
    assert (reports / "index.html").exists() and (reports / "summary.md").exists()
