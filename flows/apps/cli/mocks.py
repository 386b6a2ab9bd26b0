"""``sso-harness mocks serve``: start the mock fleet (Entra-like, JumpCloud-like, seed SPs).

Everything listens on 127.0.0.1, on ephemeral ports unless ``--config``
fixes them (see :mod:`sso_harness.mocks.config` for the keys). When ready it prints each
mock's base URL and writes them to ``--urls-file`` as JSON, then the test
users with their published test passwords and what each one demonstrates
(:mod:`sso_harness.apps.cli.mocks_users`); SIGINT or SIGTERM stop it and it
exits 0. A bad configuration exits 2 with the offending key named.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sso_harness.mocks.fleet import MockFleet

__all__ = ["add_parser", "run", "main"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("mocks", help="run the mock IdPs and SPs on loopback")
    sub = p.add_subparsers(dest="mocks_command", metavar="ACTION")
    serve = sub.add_parser("serve", help="start the fleet and wait for SIGINT/SIGTERM")
    serve.add_argument("--config", type=Path, default=None, help="fleet configuration (JSON, TOML or YAML)")
    serve.add_argument("--urls-file", type=Path, default=None, help="write the mocks' URLs here as JSON when ready")
    p.set_defaults(handler=run, mocks_command=None)


def run(args: argparse.Namespace) -> int:
    from sso_harness.mocks.config import ConfigError, FleetConfig, load_config
    from sso_harness.mocks.serve import serve

    if args.mocks_command != "serve":
        sys.stderr.write("usage: sso-harness mocks serve [--config FILE] [--urls-file FILE]\n")
        return 2
    try:
        config = load_config(args.config) if args.config else FleetConfig()
    except ConfigError as exc:
        sys.stderr.write(f"sso-harness mocks: {exc}\n")
        return 2
    try:
        return serve(config, urls_file=args.urls_file, out=sys.stdout, on_ready=_print_users)
    except OSError as exc:  # e.g. a configured port already in use
        sys.stderr.write(f"sso-harness mocks: cannot start the fleet: {exc}\n")
        return 1


def _print_users(fleet: MockFleet) -> None:
    from sso_harness.apps.cli.mocks_users import describe_users

    sys.stdout.write("\n" + describe_users(fleet))
    sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry (``python -m sso_harness.apps.cli.mocks serve ...``)."""
    parser = argparse.ArgumentParser(prog="sso-harness")
    sub = parser.add_subparsers(dest="command")
    add_parser(sub)
    args = parser.parse_args(["mocks", *(sys.argv[1:] if argv is None else argv)])
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
