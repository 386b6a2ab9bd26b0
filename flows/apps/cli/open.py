"""``sso-harness open FILE``: show a trace's timeline locally.

FILE is a bundle, or any trace ``diagnose`` reads (a HAR, a SAML-tracer
export, a mitmproxy flows file, a trace.json): the format is told by the
content. Anything but a bundle is first turned into one, redacted and
diagnosed as a capture would be (``--out`` keeps it; by default it lives in
a temporary folder for as long as this runs). Serves the bundle's files
from the zip on 127.0.0.1 and opens the default browser when there is a
display; without one (a server, CI) it prints the URL and serves until
Ctrl-C, or with ``--extract DIR`` writes the files out.

Exit status: 0 served or extracted, 2 the file cannot be read (one line
with its ``intake.*`` code).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import webbrowser
import zipfile
from collections.abc import Sequence
from pathlib import Path

from sso_harness.apps.cli.trace_input import add_import_options, import_from, redactor_from

__all__ = ["add_parser", "run", "main"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("open", help="serve or open the timeline of a bundle, HAR, SAML-tracer, mitmproxy or trace.json file")
    p.add_argument("bundle", type=Path, metavar="FILE",
                   help="a bundle, or a trace file to turn into one (HAR, SAML-tracer, mitmproxy flows, trace.json)")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    p.add_argument("--no-browser", action="store_true", help="only serve and print the URL")
    p.add_argument("--extract", type=Path, default=None, metavar="DIR", help="write the bundle's files to DIR instead of serving")
    p.add_argument("--out", type=Path, default=None, metavar="FILE.zip",
                   help="for a trace file: keep the bundle made from it here (default: a temporary folder)")
    add_import_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, *, stop: threading.Event | None = None) -> int:
    if _is_zip(args.bundle):
        return _serve(args, args.bundle, stop)
    with tempfile.TemporaryDirectory(prefix="sso-harness-open-") as tmp:
        made = _bundle_of(args, Path(tmp))
        return 2 if made is None else _serve(args, made, stop)


def _is_zip(path: Path) -> bool:
    """Zips are served as bundles (read_bundle says so when one is not); other content is imported."""
    from sso_harness.capture.intake.bundle import is_zip

    try:
        with open(path, "rb") as f:
            return is_zip(f.read(4))
    except OSError:
        return False  # the import path reports the unreadable file with its code


def _bundle_of(args: argparse.Namespace, tmp: Path) -> Path | None:
    from sso_harness.apps.capture_service import CaptureSetupError
    from sso_harness.apps.capture_service.imported import bundle_import
    from sso_harness.capture.intake import IntakeError

    redactor = redactor_from(args)
    try:
        imported = import_from(args.bundle, args, redactor)
    except (IntakeError, CaptureSetupError) as exc:
        sys.stderr.write(f"sso-harness open: {exc}\n")
        return None
    out = getattr(args, "out", None) or tmp / (args.bundle.stem + ".zip")
    argv = getattr(args, "argv", None) or ["sso-harness", "open", *sys.argv[2:]]
    result = bundle_import(imported, out, redactor=redactor, argv=argv)
    errors = sum(f.severity == "error" for f in result.findings)
    sys.stdout.write(f"sso-harness open: {imported.intake.format_name} with {len(imported.intake.hops)} hops; "
                     f"{len(result.findings)} findings ({errors} errors); bundle {result.path}\n")
    return result.path


def _serve(args: argparse.Namespace, path: Path, stop: threading.Event | None) -> int:
    from sso_harness.report.bundle import BundleError, BundleServer, read_bundle
    from sso_harness.apps.capture_service.options import has_display

    try:
        info = read_bundle(path)
    except BundleError as exc:
        sys.stderr.write(f"sso-harness open: {exc}\n")
        return 2
    if not info.redacted:
        sys.stdout.write("sso-harness open: WARNING: this bundle was written with --no-redact and holds secrets in clear\n")
    if args.extract is not None:
        args.extract.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                target = (args.extract / name).resolve()
                if not str(target).startswith(str(args.extract.resolve())):
                    continue  # a member that would escape DIR is skipped
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(z.read(name))
        sys.stdout.write(f"extracted {len(info.names)} files; open {args.extract / 'index.html'}\n")
        return 0
    stop = stop or threading.Event()
    with BundleServer(path, port=args.port) as server:
        sys.stdout.write(f"serving {path} at {server.url}  (Ctrl-C to stop)\n")
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
