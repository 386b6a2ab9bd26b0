"""``sso-harness diagnose FILE``: the diagnosis of a trace someone sent you.

    sso-harness diagnose FILE [--json] [--out FILE.zip] [--idp-cert PEM ...] [--idp-metadata URL|FILE ...]
                              [--no-redact] [--pii]

FILE is a HAR (Chrome, Edge or Firefox devtools, with or without
content), a SAML-tracer export, a mitmproxy flows file, or the harness's
own trace.json or bundle; the format is told by the content. The
findings are those a capture would give (quoted secrets scrubbed);
``--out`` also writes the redacted support bundle, ``--json`` prints one
JSON object (``format``, ``hops``, ``timed``, ``notes``, ``findings``
with their ``rule`` codes, ``bundle``).

Exit status: 0 no error found, 1 an error finding, 2 the file cannot be
read as a trace (one ``sso-harness diagnose: intake.<code>: ...`` line).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sso_harness.apps.cli.trace_input import add_import_options, import_from, redactor_from

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("diagnose", help="diagnose a HAR, SAML-tracer export, mitmproxy file, trace.json or bundle")
    p.add_argument("file", type=Path, help="the trace file (its format is detected from the content)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.add_argument("--out", type=Path, default=None, metavar="FILE.zip", help="also write a redacted support bundle")
    add_import_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from sso_harness.apps.capture_service import CaptureSetupError
    from sso_harness.apps.capture_service.imported import bundle_import
    from sso_harness.capture.intake import IntakeError

    redactor = redactor_from(args)
    try:
        imported = import_from(args.file, args, redactor)
    except (IntakeError, CaptureSetupError) as exc:
        sys.stderr.write(f"sso-harness diagnose: {exc}\n")
        return 2
    findings = imported.findings
    bundle = None
    if args.out is not None:
        argv = getattr(args, "argv", None) or ["sso-harness", "diagnose", *sys.argv[2:]]
        result = bundle_import(imported, args.out, redactor=redactor, argv=argv)
        bundle, findings = result.path, result.findings
    intake = imported.intake
    if args.json:
        sys.stdout.write(json.dumps({
            "file": str(args.file), "format": intake.format, "hops": len(intake.hops), "timed": intake.timed,
            "notes": list(imported.notes), "findings": [f.to_json() for f in findings],
            "bundle": None if bundle is None else str(bundle),
        }, indent=2, ensure_ascii=False) + "\n")
    else:
        out = sys.stdout
        out.write(f"sso-harness diagnose: {args.file}: {intake.format_name}, {len(intake.hops)} hops\n")
        out.writelines(f"note: {n}\n" for n in imported.notes)
        if findings:
            out.write("diagnosis:\n" + "".join(f"  {f.line()}\n" for f in findings))
        else:
            out.write("diagnosis: no problems found\n")
        if bundle is not None:
            out.write(f"bundle: {bundle}  (open it with: sso-harness open {bundle})\n")
    return 1 if any(f.severity == "error" for f in findings) else 0
