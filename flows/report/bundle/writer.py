"""Writing a support bundle: one zip that is safe to attach to a ticket.

Contents: ``index.html`` (diagnosis, swim lanes, timeline, claims; no
network), ``trace.json`` (schema ``sso-harness/trace`` v1), ``trace.har``,
``saml-tracer.json``, ``playwright-trace.zip`` and ``screenshots/``,
``REDACTIONS.txt`` and ``bundle.json``. Every writer goes through one
:class:`~sso_harness.report.redact.Redactor`, so ``REDACTIONS.txt`` lists every
removal, each prefixed by the file it was made in. A second pass replaces
any remaining occurrence of a known secret value in every text file (and
inside the Playwright trace); those are listed too.

With ``--pii`` the screenshots and the Playwright trace are left out: they
show personal data on screen, which cannot be masked in a picture.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sso_harness.diagnose import Finding
from sso_harness.report.bundle.metadata import bundle_metadata
from sso_harness.report.bundle.pwtrace import scrub_playwright_trace
from sso_harness.report.har import dump_har
from sso_harness.report.html.page import PageInfo, render_flow_page
from sso_harness.report.html.scrub import SecretValues, secret_values
from sso_harness.report.redact import Redaction, Redactor
from sso_harness.report.samltracer import dump_samltracer
from sso_harness.report.trace_json import dump_trace
from sso_harness.trace.trace import Trace

__all__ = ["BundleInput", "BundleResult", "write_bundle", "FILE_DESCRIPTIONS"]

FILE_DESCRIPTIONS = {
    "index.html": "this page: diagnosis, flow, timeline, claims",
    "trace.json": "the decoded trace (schema sso-harness/trace v1)",
    "trace.har": "HAR 1.2, for browser devtools and Fiddler",
    "saml-tracer.json": "importable by the SAML-tracer browser extension",
    "playwright-trace.zip": "Playwright trace: open with `playwright show-trace` or trace.playwright.dev",
    "REDACTIONS.txt": "what was removed and where (never the values)",
    "bundle.json": "how this bundle was made: version, command line, redaction mode, diagnosis",
}


@dataclass(frozen=True)
class BundleInput:
    trace: Trace
    redactor: Redactor
    findings: Sequence[Finding] = ()
    argv: Sequence[str] = ()
    capture: dict[str, Any] = field(default_factory=dict)
    screenshots: Sequence[tuple[str, bytes]] = ()
    playwright_trace: bytes | None = None
    extra_secrets: Sequence[str] = ()
    """Values typed by the harness itself (the test user's password): scrubbed wherever they appear."""
    extra_personal: Sequence[str] = ()
    title: str = "SSO flow"


@dataclass(frozen=True)
class BundleResult:
    path: Path
    files: tuple[str, ...]
    findings: tuple[Finding, ...]


class _Files:
    """Collects the bundle's files, tagging each redaction with the file it was made in."""

    def __init__(self, redactor: Redactor, secrets: SecretValues) -> None:
        self.redactor, self.secrets = redactor, secrets
        self.files: dict[str, bytes] = {}

    def text(self, name: str, make: Callable[[], str]) -> None:
        mark = len(self.redactor.log)
        text = make()
        self.redactor.log[mark:] = [Redaction(f"{name}: {r.where}", r.what) for r in self.redactor.log[mark:]]
        text, n = self.secrets.scrub(text)
        if n:
            self.redactor.log.append(Redaction(name, f"{n} further occurrence(s) of known secret values"))
        self.files[name] = text.encode("utf-8")


def write_bundle(path: Path, bundle: BundleInput) -> BundleResult:
    """Write the zip at ``path`` (atomically: a partial file is never left behind)."""
    trace, redactor = bundle.trace, bundle.redactor
    secrets = secret_values(trace, redactor, extra_secrets=bundle.extra_secrets, extra_personal=bundle.extra_personal)
    findings = tuple(f.rewritten(secrets.scrub_text) for f in bundle.findings)
    files = _Files(redactor, secrets)
    names = ["index.html", "trace.json", "trace.har", "saml-tracer.json"]
    images: list[tuple[str, bytes]] = []
    pw: bytes | None = None
    if redactor.enabled and redactor.pii:
        if bundle.screenshots:
            redactor.log.append(Redaction("screenshots", "left out whole (they show personal data; --pii)"))
        if bundle.playwright_trace:
            redactor.log.append(Redaction("playwright-trace.zip", "left out whole (snapshots show personal data; --pii)"))
    else:
        images = [(f"screenshots/{i:02d}-{name}.png", png) for i, (name, png) in enumerate(bundle.screenshots, 1)]
        if bundle.playwright_trace:
            if redactor.enabled:
                scrubbed = scrub_playwright_trace(bundle.playwright_trace, secrets)
                pw = scrubbed.data
                if scrubbed.replaced:
                    redactor.log.append(Redaction("playwright-trace.zip",
                                                  f"{scrubbed.replaced} occurrence(s) of known secret values in {scrubbed.members} file(s)"))
            else:
                pw = bundle.playwright_trace
    if pw is not None:
        names.append("playwright-trace.zip")
    names += [n for n, _ in images] + ["REDACTIONS.txt", "bundle.json"]
    described = {n: FILE_DESCRIPTIONS.get(n, "screenshot of the browser") for n in names}
    files.text("trace.json", lambda: dump_trace(trace, redactor, metadata={"captured_by": "sso-harness capture",
                                                                        **_facts(bundle.capture, redactor)}))
    files.text("trace.har", lambda: dump_har(trace, redactor))
    files.text("saml-tracer.json", lambda: dump_samltracer(trace, redactor))
    info = PageInfo(
        title=bundle.title, start_url=bundle.capture.get("url"), stopped_because=bundle.capture.get("stopped_because"),
        captured_at=trace.evaluated_at, files=tuple((n, d) for n, d in described.items() if n != "index.html"),
    )
    files.text("index.html", lambda: render_flow_page(trace, redactor, findings=findings, info=info, scrub=secrets.scrub_text))
    files.text("bundle.json", lambda: json.dumps(bundle_metadata(
        redactor=redactor, argv=bundle.argv, capture=_facts(bundle.capture, redactor), hops=len(trace),
        diagnosis=[f.to_json() for f in findings], files=described), indent=2, ensure_ascii=False))
    files.files["REDACTIONS.txt"] = redactor.report_text().encode("utf-8")
    _write_zip(Path(path), files.files, images, pw)
    return BundleResult(Path(path), tuple(names), findings)


def _facts(capture: dict[str, Any], redactor: Redactor) -> dict[str, Any]:
    """The capture facts with the start URL redacted like any other URL."""
    url = capture.get("url")
    return {**capture, "url": redactor.url(url, where="start URL")} if isinstance(url, str) else dict(capture)


def _write_zip(path: Path, texts: dict[str, bytes], images: list[tuple[str, bytes]], pw: bytes | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".bundle-", suffix=".zip", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
            for name in ("index.html", "trace.json", "trace.har", "saml-tracer.json"):
                z.writestr(name, texts[name])
            if pw is not None:
                z.writestr("playwright-trace.zip", pw, compress_type=zipfile.ZIP_STORED)
            for name, png in images:
                z.writestr(name, png, compress_type=zipfile.ZIP_STORED)
            z.writestr("REDACTIONS.txt", texts["REDACTIONS.txt"])
            z.writestr("bundle.json", texts["bundle.json"])
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
