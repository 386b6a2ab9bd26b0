"""The ``sso-harness`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sso_harness.version import __version__
from sso_harness.apps.cli import attack, bench, capture, decode, mocks, report, run, tutorial
from sso_harness.apps.cli import diagnose as diagnose_command
from sso_harness.apps.cli import proxy as proxy_command
from sso_harness.apps.cli import check as check_command
from sso_harness.apps.cli import init as init_command
from sso_harness.apps.cli import open as open_command
from sso_harness.apps.cli import peers as peers_command

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sso-harness", description="End-to-end single sign-on testing.")
    parser.add_argument("--version", action="version", version=f"sso-harness {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    decode.add_parser(sub)
    run.add_parser(sub)
    check_command.add_parser(sub)
    init_command.add_parser(sub)
    bench.add_parser(sub)
    mocks.add_parser(sub)
    peers_command.add_parser(sub)
    capture.add_parser(sub)
    open_command.add_parser(sub)
    diagnose_command.add_parser(sub)
    proxy_command.add_parser(sub)
    report.add_parser(sub)
    tutorial.add_parser(sub)
    attack.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        if args.command == "decode":
            return decode.run(args)
        parser.print_help()
        return 2
    return int(handler(args))


if __name__ == "__main__":
    sys.exit(main())
