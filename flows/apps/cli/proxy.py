"""``sso-harness proxy``: capture from your own browser through a loopback proxy; Ctrl-C writes the bundle.

    sso-harness proxy [--port N] [--out FILE.zip] [--idp-cert PEM ...] [--idp-metadata URL|FILE ...]
                      [--no-redact] [--pii] [--loopback-only]

Starts the capture proxy on 127.0.0.1 with a CA of its own for this run,
prints how to send Chromium, Chrome, Edge or Firefox through it and trust
the CA (a fresh profile trusting only this CA, or your own signed-in
profile with the CA in a trust store), and records until Ctrl-C or
SIGTERM. Then the hops are decoded, diagnosed and written as a redacted
support bundle, as ``capture`` writes one.

Exit status: 0 bundle written, no error found; 1 written with an error
finding; 2 the proxy could not start (nothing recorded).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("proxy", help="record your own browser through a loopback proxy; Ctrl-C writes a bundle")
    p.add_argument("--port", type=int, default=8080, help="port on 127.0.0.1 (default 8080; 0: any free port)")
    p.add_argument("--out", type=Path, default=None, metavar="FILE.zip",
                   help="bundle path (default: reports/bundles/sso-proxy-<UTC time>.zip)")
    p.add_argument("--idp-cert", type=Path, action="append", default=[], metavar="PEM",
                   help="trusted IdP signing certificate(s), to check signatures and spot a missed rollover")
    p.add_argument("--idp-metadata", action="append", default=[], metavar="URL|FILE",
                   help="IdP metadata whose signing certificates are trusted")
    p.add_argument("--no-redact", dest="redact", action="store_false",
                   help="keep secrets in clear (recorded in bundle.json and shown as a banner)")
    p.add_argument("--pii", action="store_true", help="also mask personal data: NameIDs, attribute values, user names")
    p.add_argument("--loopback-only", action="store_true", help="answer non-loopback hosts locally (mock lane)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from sso_harness.apps.capture_service import CaptureSetupError
    from sso_harness.apps.capture_service.proxy_session import ProxyOptions, run_proxy

    argv = getattr(args, "argv", None) or ["sso-harness", "proxy", *sys.argv[2:]]
    opts = ProxyOptions(out=args.out, port=args.port, redact=args.redact, pii=args.pii, idp_certs=tuple(args.idp_cert),
                        idp_metadata=tuple(args.idp_metadata), loopback_only=args.loopback_only, argv=tuple(argv))
    try:
        result = run_proxy(opts)
    except CaptureSetupError as exc:
        sys.stderr.write(f"sso-harness proxy: {exc}\n")
        return 2
    out = sys.stdout
    out.write(f"sso-harness proxy: stopped: {result.stopped_because}; {result.hops} hops recorded\n")
    if result.findings:
        out.write("diagnosis:\n" + "".join(f"  {f.line()}\n" for f in result.findings))
    else:
        out.write("diagnosis: no problems found\n")
    out.write(f"bundle: {result.path}  (open it with: sso-harness open {result.path})\n")
    out.flush()
    return 1 if any(f.severity == "error" for f in result.findings) else 0
