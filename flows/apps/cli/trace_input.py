"""What ``open`` and ``diagnose`` share: the options for a brought trace, and reading it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from sso_harness.report.redact import Redactor

if TYPE_CHECKING:  # the service imports Playwright; `sso-harness --help` should not wait for it
    from sso_harness.apps.capture_service.imported import ImportedTrace

__all__ = ["add_import_options", "redactor_from", "import_from"]


def add_import_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--idp-cert", type=Path, action="append", default=[], metavar="PEM",
                   help="trusted IdP signing certificate(s), to check signatures and spot a missed rollover")
    p.add_argument("--idp-metadata", action="append", default=[], metavar="URL|FILE",
                   help="IdP metadata whose signing certificates are trusted")
    p.add_argument("--no-redact", dest="redact", action="store_false",
                   help="keep secrets in clear in the bundle (recorded in bundle.json and shown as a banner)")
    p.add_argument("--pii", action="store_true", help="also mask personal data: NameIDs, attribute values, user names")


def redactor_from(args: argparse.Namespace) -> Redactor:
    return Redactor(enabled=getattr(args, "redact", True), pii=getattr(args, "pii", False))


def import_from(path: Path, args: argparse.Namespace, redactor: Redactor) -> ImportedTrace:
    """Read and diagnose ``path``; raises IntakeError (bad file) or CaptureSetupError (bad certificate option)."""
    from sso_harness.apps.capture_service import CaptureOptions, trusted_certificates
    from sso_harness.apps.capture_service.imported import import_trace

    certs = trusted_certificates(CaptureOptions(url=str(path), idp_certs=tuple(getattr(args, "idp_cert", []) or ()),
                                                idp_metadata=tuple(getattr(args, "idp_metadata", []) or ())))
    return import_trace(path, redactor=redactor, trusted_certs=certs)
