"""A trace the user brings (HAR, SAML-tracer, mitmproxy, trace.json, bundle): decoded, diagnosed, bundled.

The same pipeline as a capture: hops (from the intake) → :class:`Trace` →
diagnosis → :func:`~sso_harness.report.bundle.write_bundle`, with the same
redactor, so a planted password or cookie in the input is as absent from
the bundle as from a captured one. Findings are passed through the same
secret scrubber before anyone sees them, bundle or terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from sso_harness.apps.capture_service.page_errors import PageErrorRecorder
from sso_harness.capture.intake import Intake, read_capture_file
from sso_harness.diagnose import RULES, Evidence, Finding, PageText, diagnose_evidence
from sso_harness.report.bundle import BundleInput, BundleResult, write_bundle
from sso_harness.report.html.scrub import secret_values
from sso_harness.report.redact import Redactor
from sso_harness.trace.trace import DecodeContext, Trace

__all__ = ["ImportedTrace", "TIME_RULES", "import_trace", "bundle_import"]

TIME_RULES = ("clock-skew",)
"""Rules that compare a message's times with when it travelled: off when the file has no time per exchange."""


@dataclass(frozen=True)
class ImportedTrace:
    source: Path
    intake: Intake
    trace: Trace
    findings: tuple[Finding, ...]
    """Already scrubbed of the secret values the trace carries."""
    pages: tuple[PageText, ...]
    notes: tuple[str, ...] = ()
    """The intake's notes and this import's own (e.g. certificates that could not be used)."""


def import_trace(path: Path, *, redactor: Redactor, trusted_certs: Sequence[x509.Certificate] = ()) -> ImportedTrace:
    """Read, decode and diagnose ``path``; raises :class:`~sso_harness.capture.intake.IntakeError`.

    Validity windows are judged at the moment the file was captured (its
    last exchange), not now: a week-old HAR is not "expired" for being old.
    """
    recorder = PageErrorRecorder(loopback_only=False)
    intake = read_capture_file(path, recorder=recorder)
    moment = intake.captured_at if intake.timed else None
    notes = list(intake.notes)
    if intake.redacted and trusted_certs:
        # A redacted trace has its SignatureValues masked: checking them would report every signature as broken.
        notes.append("the file was written redacted (signature values masked): the trusted certificates were not used")
        trusted_certs = ()
    trace = Trace.from_hops(intake.hops, context=DecodeContext(trusted_certs=tuple(trusted_certs), now=moment),
                            blocked_hosts=intake.blocked_hosts)
    off = (() if intake.timed else TIME_RULES) + (() if intake.captured_at else ("certificate",))
    rules = tuple((n, r) for n, r in RULES if n not in off)
    pages = tuple(recorder.pages())
    found = diagnose_evidence(Evidence(trace, pages, now=intake.captured_at), rules)
    scrub = secret_values(trace, redactor).scrub_text
    return ImportedTrace(Path(path), intake, trace, tuple(f.rewritten(scrub) for f in found), pages, tuple(notes))


def bundle_import(imported: ImportedTrace, out: Path, *, redactor: Redactor, argv: Sequence[str]) -> BundleResult:
    """Write the support bundle for ``imported`` at ``out`` (atomically)."""
    intake = imported.intake
    facts: dict[str, object] = {
        "imported_from": imported.source.name, "format": intake.format, "timed": intake.timed,
        "notes": list(imported.notes), "captured_at": _iso(intake.captured_at),
        "stopped_because": f"imported from a {intake.format_name}",
    }
    if intake.redacted is False:
        facts["source_redacted"] = False
    return write_bundle(out, BundleInput(
        trace=imported.trace, redactor=redactor, findings=imported.findings, argv=argv, capture=facts,
        title=f"SSO trace imported from {imported.source.name}",
    ))


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds").replace("+00:00", "Z")
