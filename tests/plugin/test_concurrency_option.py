"""``--sso-concurrency``: in the plugin's group, refused where it cannot work, passed on by ``run --concurrency`` (no browser)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from sso_harness.apps.cli.run import add_parser, pytest_args


def _usage_errors(result: pytest.RunResult) -> list[str]:
    return [text for text in result.stderr.lines if text.startswith("ERROR")]


def test_fewer_than_one_flow_at_a_time_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_never="def test_never():\n    raise AssertionError('must not run')\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--sso-concurrency", "0")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert _usage_errors(result) == ["ERROR: --sso-concurrency 0: give 1 or more flows at a time"], result.stderr.lines


def test_a_pool_with_more_than_one_xdist_worker_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_never="def test_never():\n    raise AssertionError('must not run')\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--sso-concurrency", "2", "-n", "2")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert _usage_errors(result) == ["ERROR: --sso-concurrency 2 with -n 2: one worker runs the pool (-n 1); to spread "
                                     "flows over workers or machines, use --sso-shard"], result.stderr.lines


def test_the_option_is_in_the_plugins_group(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--help")
    group = result.stdout.str().split("sso-harness (single sign-on flows):", 1)[1]
    assert "--sso-concurrency=N" in group


def test_run_passes_concurrency_to_the_suite(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["run", "--concurrency", "4"])
    assert "--sso-concurrency=4" in pytest_args(args, tmp_path, None, allow_egress=False)
    plain = parser.parse_args(["run"])
    assert not any(a.startswith("--sso-concurrency") for a in pytest_args(plain, tmp_path, None, allow_egress=False))
