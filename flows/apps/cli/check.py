"""``sso-harness check``: validate a targets file without starting anything.

    sso-harness check [--config FILE] [--target NAME]

Reads ``--config`` (default ``./targets.yaml``; with neither that file nor
``--config``, the packaged mock target's file) and prints every problem at
once, one line each: its code, ``file:line``, the key path and what is wrong
(unknown keys and misspelt values with a "did you mean", unset environment
variables by name, URLs that are not absolute http(s) URLs...). With
``--target NAME`` only that target is checked; the other targets' problems
are theirs. Nothing is started and nothing is written. Exit status: 0 when
the file (or the target) is valid, 1 when it has problems.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_parser", "run", "config_path"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("check", help="validate a targets file: every problem at once, nothing started")
    p.add_argument("--config", default=None, metavar="FILE",
                   help="targets YAML (default: ./targets.yaml, else the packaged mock target's file)")
    p.add_argument("--target", default=None, metavar="NAME", help="check this target only (default: every target)")
    p.set_defaults(handler=run)


def config_path(config: str | None, cwd: Path) -> Path:
    """``--config``, else ``./targets.yaml`` when there is one, else the packaged mocks file."""
    if config:
        return Path(config)
    if (cwd / "targets.yaml").exists():
        return Path("targets.yaml")  # relative: problems name the file as the user wrote it
    from sso_harness.targets.load import __file__ as load_module

    return Path(load_module).with_name("mocks.yaml")


def run(args: argparse.Namespace) -> int:
    from sso_harness.targets.check import check_file

    path = config_path(args.config, Path.cwd())
    if args.target and args.target != "mocks" and not args.config and not (Path.cwd() / "targets.yaml").exists():
        path = Path("targets.yaml")  # a named target needs the user's file: report it missing, not the mocks'
    result = check_file(path, target=args.target)
    (sys.stdout if result.ok else sys.stderr).write(result.report())
    return 0 if result.ok else 1
