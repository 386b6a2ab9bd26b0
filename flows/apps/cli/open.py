"""``sso-harness open FILE.zip``: show a bundle's timeline locally.

Serves the bundle's files from the zip on 127.0.0.1 and opens the default
browser when there is a display; without one (a server, CI) it prints the
URL and serves until Ctrl-C, or with ``--extract DIR`` writes the files out.
"""

from __future__ import annotations

import argparse
import sys
import threading
import webbrowser
import zipfile
from collections.abc import Sequence
from pathlib import Path

__all__ = ["add_parser", "run", "main"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("open", help="serve or open a support bundle's timeline locally")
    p.add_argument("bundle", type=Path, help="a bundle written by sso-harness capture")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    p.add_argument("--no-browser", action="store_true", help="only serve and print the URL")
    p.add_argument("--extract", type=Path, default=None, metavar="DIR", help="write the bundle's files to DIR instead of serving")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, *, stop: threading.Event | None = None) -> int:
    from sso_harness.report.bundle import BundleError, BundleServer, read_bundle
    from sso_harness.apps.capture_service.options import has_display

    try:
        info = read_bundle(args.bundle)
    except BundleError as exc:
        sys.stderr.write(f"sso-harness open: {exc}\n")
        return 2
    if not info.redacted:
        sys.stdout.write("sso-harness open: WARNING: this bundle was written with --no-redact and holds secrets in clear\n")
    if args.extract is not None:
        args.extract.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(args.bundle) as z:
            for name in z.namelist():
                target = (args.extract / name).resolve()
                if not str(target).startswith(str(args.extract.resolve())):
                    continue  # a member that would escape DIR is skipped
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(z.read(name))
        sys.stdout.write(f"extracted {len(info.names)} files; open {args.extract / 'index.html'}\n")
        return 0
    stop = stop or threading.Event()
    with BundleServer(args.bundle, port=args.port) as server:
        sys.stdout.write(f"serving {args.bundle} at {server.url}  (Ctrl-C to stop)\n")
        sys.stdout.flush()
        if not args.no_browser and has_display():
            webbrowser.open(server.url)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sso-harness")
    sub = parser.add_subparsers(dest="command")
    add_parser(sub)
    args = parser.parse_args(["open", *(sys.argv[1:] if argv is None else argv)])
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
