"""`sso-harness run --env-file` and `--proxy-port`: the values a targets file reads, and a fixed capture proxy port."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from sso_harness.apps.cli import run as run_command
from sso_harness.apps.cli.main import build_parser


def _args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["run", *argv])


def test_an_env_file_gives_key_value_lines_and_skips_comments(tmp_path: Path) -> None:
    f = tmp_path / "peers.env"
    f.write_text("# made by peers up\n\nPEER_URL=http://127.0.0.1:1/x?a=b\nexport PEER_PASSWORD = s3cr=t \n", encoding="utf-8")
    assert run_command.read_env_file(f) == {"PEER_URL": "http://127.0.0.1:1/x?a=b", "PEER_PASSWORD": "s3cr=t"}


def test_a_bad_line_is_reported_by_its_number_never_its_value(tmp_path: Path) -> None:
    f = tmp_path / "peers.env"
    f.write_text("OK=1\nnot a pair with hunter2\n", encoding="utf-8")
    with pytest.raises(ValueError) as failure:
        run_command.read_env_file(f)
    assert str(failure.value).startswith(run_command.BAD_ENV_FILE) and ":2:" in str(failure.value)
    assert "hunter2" not in str(failure.value)


def test_a_missing_env_file_stops_the_run_before_anything_starts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_command.run(_args("--env-file", str(tmp_path / "absent.env"), "--reports", str(tmp_path / "r"))) == 2
    assert "--env-file" in capsys.readouterr().err and not (tmp_path / "r").exists()


def test_the_proxy_port_comes_from_the_option_or_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(run_command.PROXY_PORT_VAR, raising=False)
    assert not [a for a in run_command.pytest_args(_args(), tmp_path, None, allow_egress=False) if a.startswith("--sso-proxy-port")]
    assert "--sso-proxy-port=8899" in run_command.pytest_args(_args("--proxy-port", "8899"), tmp_path, None, allow_egress=False)
    monkeypatch.setenv(run_command.PROXY_PORT_VAR, "8898")
    assert "--sso-proxy-port=8898" in run_command.pytest_args(_args(), tmp_path, None, allow_egress=False)


def test_a_fixed_proxy_port_refuses_several_workers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_command.run(_args("--proxy-port", "8899", "-n", "2", "--reports", str(tmp_path / "r"))) == 2
    assert "one worker" in capsys.readouterr().err
