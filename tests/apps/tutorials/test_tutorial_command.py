"""``sso-harness tutorial``: listing, and usage errors that never start a browser."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from sso_harness.apps.cli import tutorial
from sso_harness.apps.tutorials import spec_names

TUTORIALS = Path(tutorial.__file__).resolve().parents[1] / "tutorials"


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="sso-harness")
    tutorial.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["tutorial", *argv])
    return int(args.handler(args))


def test_list_prints_one_line_per_tutorial(capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(["--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == spec_names() and len(lines) == 5
    assert all(len(line.split(None, 1)[1]) > 20 for line in lines)  # each with its summary


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "name a tutorial (see --list)"),
        (["nope"], "no tutorial 'nope'; known: alibaba-cloudsso-saml"),
        (["mitel-connect-saml", "--drift", "nope"], "mitel-connect-saml has no drift 'nope'; it has: idp-initiated-tile"),
        (["mitel-connect-saml", "--set", "no-equals-sign"], "--set takes KEY=VALUE"),
        (["mitel-connect-saml", "--target", "staging", "--drift", "idp-initiated-tile"], "--drift sets up the emulation"),
        (["mitel-connect-saml", "--target", "staging", "--config", "/nonexistent/targets.yaml"], "no targets file /nonexistent/targets.yaml"),
    ],
)
def test_usage_errors_exit_2_with_a_reason(argv: list[str], message: str, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(argv) == 2
    assert message in capsys.readouterr().err


def test_a_target_missing_from_the_file_or_without_the_sp_is_refused(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("QA_PASSWORD", "x")
    config = tmp_path / "targets.yaml"
    config.write_text(
        "targets:\n  staging:\n    idp: {kind: entra, login: {driver: entra}}\n"
        "    sps: {wiki: {sign_on_url: 'https://wiki.example/'}}\n"
        "    users: [{username: qa@example.com, password: '${QA_PASSWORD}'}]\n"
        # Another target whose secret is not set must not stop a run of 'staging'.
        "  other:\n    idp: {kind: entra, login: {driver: entra}}\n"
        "    sps: {wiki: {sign_on_url: 'https://wiki.example/'}}\n"
        "    users: [{username: qa@example.com, password: '${SSO_HARNESS_TEST_UNSET_PASSWORD}'}]\n"
    )
    monkeypatch.delenv("SSO_HARNESS_TEST_UNSET_PASSWORD", raising=False)
    assert run(["mitel-connect-saml", "--target", "prod", "--config", str(config)]) == 2
    assert "targets.unknown_target" in (err := capsys.readouterr().err)
    assert "no target named 'prod' (the file has: other, staging)" in err
    assert run(["mitel-connect-saml", "--target", "staging", "--config", str(config)]) == 2
    assert "target 'staging' has no SP named 'mitel' (it has: wiki); pass --sp NAME" in capsys.readouterr().err


def test_the_generic_modules_name_no_vendor() -> None:
    vendors = re.compile(r"entra|atlassian|jira|jumpcloud|alibaba|cloudsso|mitel|microsoft|azure|aadsts|okta", re.IGNORECASE)
    modules = sorted(TUTORIALS.glob("*.py")) + [Path(tutorial.__file__)]
    offenders = [f"{p.name}:{i}" for p in modules for i, line in enumerate(p.read_text().splitlines(), 1) if vendors.search(line)]
    assert len(modules) > 20 and offenders == []
