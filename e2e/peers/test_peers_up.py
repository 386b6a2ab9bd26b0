"""A user's way to the real peers: ``sso-harness peers up``, then ``sso-harness run`` from a folder outside the repository.

Both are subprocesses started as a user would start them, from a temporary
folder: ``peers up`` writes ``targets.yaml`` and ``peers.env`` there and
prints ``peers ready``; each ``run`` reads only those two files and must pass
every flow of its target, with its reports in that folder.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from sso_harness.apps.peers import missing_apache, missing_oidc_provider, missing_simplesamlphp

from .conftest import require_installed
from .peers_up import cli, peers_up, user_env

pytestmark = [pytest.mark.e2e, pytest.mark.peers]

TARGETS = ("mellon-simplesamlphp", "openidc-oidc-provider", "simplesamlphp-sp")  # the last: a real SP sending ForceAuthn


@pytest.fixture(scope="module")
def peers_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder outside the repository where ``peers up`` has written its files; the peers run until the module ends."""
    require_installed("mod_auth_mellon", missing_apache("auth_mellon"))
    require_installed("mod_auth_openidc", missing_apache("auth_openidc"))
    require_installed("SimpleSAMLphp", missing_simplesamlphp())
    require_installed("oidc-provider", missing_oidc_provider())
    with peers_up(tmp_path_factory.mktemp("user-folder"), TARGETS, user_env()) as folder:
        yield folder


def test_peers_up_writes_the_targets_file_and_an_owner_only_env_file(peers_folder: Path) -> None:
    env_file = peers_folder / "peers.env"
    assert (peers_folder / "targets.yaml").exists()
    assert env_file.stat().st_mode & 0o077 == 0  # the test users' passwords are in it
    keys = {line.split("=", 1)[0] for line in env_file.read_text(encoding="utf-8").splitlines() if "=" in line}
    assert {"PEER_SSP_URL", "PEER_MELLON_URL", "PEER_OPENIDC_URL", "PEER_OPENIDC_OP_ISSUER", "SSO_HARNESS_PROXY_PORT"} <= keys


@pytest.mark.parametrize("target", TARGETS)
def test_run_from_a_folder_outside_the_repository_passes_every_flow(peers_folder: Path, target: str) -> None:
    reports = peers_folder / f"reports-{target}"
    done = subprocess.run([*cli(), "run", "--target", target, "--env-file", "peers.env", "--reports", reports.name],
                          cwd=peers_folder, env=user_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    suite = ET.parse(reports / "junit.xml").getroot()
    suite = suite if suite.tag == "testsuite" else suite[0]
    assert int(suite.get("tests", "0")) >= 1
    assert suite.get("failures") == "0" and suite.get("errors") == "0"
    assert (reports / "index.html").exists() and (reports / "summary.md").exists()
