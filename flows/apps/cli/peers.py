"""``sso-harness peers up``: start the real peers on 127.0.0.1 and write what their targets file needs.

    sso-harness peers up [--target NAME ...] [--dir DIR] [--proxy-port N]

Starts the peers of the chosen targets of the packaged peers targets file
(default: all of them; see :mod:`sso_harness.apps.peers.stack`), then writes
``DIR/targets.yaml`` (that file) and ``DIR/peers.env`` (its ``${PEER_*}``
values, owner-only: it holds the test users' passwords, made per start),
prints the non-secret values and ``peers ready``, and waits for SIGINT or
SIGTERM, which stop every peer (exit 0). From DIR, while they run::

    sso-harness run --target mellon-simplesamlphp --env-file peers.env
    sso-harness attack --target openidc-rp --env-file peers.env

The ``openidc-rp`` target is mod_auth_openidc registered with a provider at
a loopback issuer that only ``sso-harness attack`` serves (the OIDC battery
needs the provider's key): it is for ``attack``, not for ``run``.

mod_auth_openidc sends its calls to the provider through 127.0.0.1:N
(``--proxy-port``, default a free port chosen now); ``peers.env`` records it
as ``SSO_HARNESS_PROXY_PORT``, which ``run`` reads as its ``--proxy-port``,
so the RP's token exchange is in the run's trace. A peer that is not
installed exits 2 naming ``scripts/install-peers.sh``; one that fails to
start exits 1 with its log's tail.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import tempfile
from pathlib import Path
from types import FrameType

__all__ = ["add_parser", "run", "write_env_file", "PROXY_PORT_VAR", "ENV_FILE", "TARGETS_FILE"]

PROXY_PORT_VAR = "SSO_HARNESS_PROXY_PORT"
ENV_FILE = "peers.env"
TARGETS_FILE = "targets.yaml"
_SECRET_SUFFIXES = ("_PASSWORD", "_SECRET")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("peers", help="start the real peers (SimpleSAMLphp, oidc-provider, Apache mellon/openidc) on loopback")
    sub = p.add_subparsers(dest="peers_command", metavar="ACTION")
    up = sub.add_parser("up", help="start the peers, write targets.yaml and peers.env, wait for SIGINT/SIGTERM")
    up.add_argument("--target", action="append", default=[], metavar="NAME",
                    help="start only the peers this target of the peers targets file needs (repeatable; default: all)")
    up.add_argument("--dir", type=Path, default=Path("."), help="where targets.yaml and peers.env go (default: .)")
    up.add_argument("--proxy-port", type=int, default=None, metavar="N",
                    help="mod_auth_openidc's outgoing proxy port on 127.0.0.1 (default: a free port)")
    p.set_defaults(handler=run, peers_command=None)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_env_file(path: Path, env: dict[str, str]) -> None:
    """``KEY=VALUE`` lines, readable by the owner only (the file holds the test users' passwords)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("# sso-harness peers up: values for targets.yaml (sso-harness run --env-file peers.env)\n")
        f.writelines(f"{k}={v}\n" for k, v in sorted(env.items()))
    os.chmod(path, 0o600)


def run(args: argparse.Namespace) -> int:
    from sso_harness.apps.peers import PeersNotInstalled, PeerStartError
    from sso_harness.apps.peers.stack import PEERS_TARGETS, PeerStack

    if args.peers_command != "up":
        sys.stderr.write("usage: sso-harness peers up [--target NAME ...] [--dir DIR] [--proxy-port N]\n")
        return 2
    out = Path(args.dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    port = args.proxy_port or _free_port()
    # A self-pipe: a signal that comes before the wait below is not lost.
    wake_r, wake_w = os.pipe()

    def stop(signum: int, frame: FrameType | None) -> None:
        os.write(wake_w, b"x")

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        # A killed Apache child may still be writing its log as the folder goes: removal is best effort,
        # and what stays is named below rather than turned into a traceback.
        with tempfile.TemporaryDirectory(prefix="sso-harness-peers-", ignore_cleanup_errors=True) as work:
            try:
                stack = PeerStack(Path(work), args.target, openidc_proxy_port=port).start()
            except LookupError as exc:
                sys.stderr.write(f"sso-harness peers: {exc}\n")
                return 2
            except PeersNotInstalled as exc:
                sys.stderr.write(f"sso-harness peers: {exc}\n")
                return 2
            except PeerStartError as exc:
                sys.stderr.write(f"sso-harness peers: a peer did not start: {exc}\n")
                return 1
            try:
                env = {**stack.env, PROXY_PORT_VAR: str(port)}
                (out / TARGETS_FILE).write_text(PEERS_TARGETS.read_text(encoding="utf-8"), encoding="utf-8")
                write_env_file(out / ENV_FILE, env)
                for key, value in sorted(env.items()):
                    if not key.endswith(_SECRET_SUFFIXES):
                        sys.stdout.write(f"{key}={value}\n")
                sys.stdout.write(f"targets: {', '.join(stack.targets)}\nwrote {out / TARGETS_FILE} and {out / ENV_FILE} "
                                 f"(passwords and secrets are only there)\npeers ready; SIGINT or SIGTERM stops them\n")
                sys.stdout.flush()
                os.read(wake_r, 1)
            finally:
                stack.stop()
        if Path(work).exists():
            sys.stderr.write(f"sso-harness peers: could not remove all of {work}; delete it by hand\n")
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        os.close(wake_r)
        os.close(wake_w)
    return 0
