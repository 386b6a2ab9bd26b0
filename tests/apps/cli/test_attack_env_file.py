"""`sso-harness attack --env-file`: the targets file's ${VAR} values, read as `run --env-file` reads them."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from sso_harness.apps.cli import attack as attack_command
from sso_harness.apps.cli.main import build_parser
from sso_harness.apps.cli.run import BAD_ENV_FILE

# A loopback target with nothing to attack: the command stops (exit 2) after loading it, before any browser.
TARGETS = """\
targets:
  lab:
    idp:
      kind: generic
      issuer: ${PEER_LAB_ISSUER}
    sps:
      app:
        sign_on_url: ${PEER_LAB_ISSUER}/app/
        flows: [oidc]
    users:
      - username: carol
        password: ${PEER_LAB_PASSWORD}
"""


def _args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["attack", *argv])


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("PEER_LAB_ISSUER", "PEER_LAB_PASSWORD"):
        monkeypatch.setenv(name, "")  # recorded as unset, so the values the command sets are undone after the test
        monkeypatch.delenv(name)
    (tmp_path / "targets.yaml").write_text(TARGETS, encoding="utf-8")
    return tmp_path


def test_the_env_file_fills_the_targets_file(lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    env = lab / "lab.env"
    env.write_text("# from peers up\nPEER_LAB_ISSUER=http://127.0.0.1:9\nPEER_LAB_PASSWORD=hunter2\n", encoding="utf-8")
    config = str(lab / "targets.yaml")
    assert attack_command.run(_args("--target", "lab", "--config", config)) == 2
    assert "targets.env_unset" in capsys.readouterr().err
    assert attack_command.run(_args("--target", "lab", "--config", config, "--env-file", str(env))) == 2
    err = capsys.readouterr().err
    assert "targets.env_unset" not in err and "has no SAML SP" in err and "hunter2" not in err


def test_an_unreadable_env_file_stops_the_command_with_its_code(lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(lab / "targets.yaml")
    assert attack_command.run(_args("--target", "lab", "--config", config, "--env-file", str(lab / "absent.env"))) == 2
    assert "--env-file" in capsys.readouterr().err
    bad = lab / "bad.env"
    bad.write_text("not a pair hunter2\n", encoding="utf-8")
    assert attack_command.run(_args("--target", "lab", "--config", config, "--env-file", str(bad))) == 2
    err = capsys.readouterr().err
    assert BAD_ENV_FILE in err and "hunter2" not in err
