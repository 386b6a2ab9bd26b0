"""`sso-harness check`: a targets file's every problem in one run, with code, file:line and key path."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sso_harness.apps.cli.main import main

SEEDED = textwrap.dedent("""\
    targets:
      corp:
        idp:
          kind: entraa
        sps:
          wiki:
            sign_on_url: https://wiki.example/
            flwos: [sp_initiated]
        users:
          - username: a
            password: "${CORP_PW_SEEDED_UNSET}"
    """)


def test_check_reports_the_three_seeded_errors_in_one_run(tmp_path: Path) -> None:
    (tmp_path / "targets.yaml").write_text(SEEDED)
    env = {k: v for k, v in os.environ.items() if k != "CORP_PW_SEEDED_UNSET"}
    done = subprocess.run([sys.executable, "-m", "sso_harness", "check"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == "targets.yaml: 3 problems"
    problems = [line.strip() for line in lines[1:]]
    assert problems == [
        "targets.bad_value at targets.yaml:4: targets.corp.idp.kind: unknown IdP kind 'entraa' (did you mean 'entra'?); "
        "known: entra, jumpcloud, okta, simplesamlphp, oidc-provider, generic, mock",
        "targets.unknown_key at targets.yaml:8: targets.corp.sps.wiki.flwos: unknown key 'flwos' (did you mean 'flows'?)",
        "targets.env_unset at targets.yaml:11: targets.corp.users[0].password: environment variable CORP_PW_SEEDED_UNSET is not set",
    ]
    assert "Traceback" not in done.stderr


def test_a_valid_file_exits_0_and_a_named_target_is_checked_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    good = "  fine:\n    idp: {kind: generic}\n    sps: {app: {sign_on_url: 'https://app.example/'}}\n"
    config = tmp_path / "mine.yaml"
    config.write_text(SEEDED + good)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--config", str(config), "--target", "fine"]) == 0
    assert capsys.readouterr().out == f"{config}: OK, fine (1 SP, 1 flow, 0 users)\n"
    assert main(["check", "--config", str(config)]) == 1
    assert f"{config}: 3 problems" in capsys.readouterr().err


def test_without_a_file_here_the_packaged_mock_target_is_checked_and_a_named_target_needs_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    assert "mocks.yaml: OK, mocks (4 SPs" in capsys.readouterr().out
    assert main(["check", "--target", "corp"]) == 1
    assert capsys.readouterr().err.startswith("targets.yaml: 1 problem\n  targets.unreadable at targets.yaml: file: cannot read")
