"""``sso-harness capture``, end to end: proxy, browser, the flow, and always a bundle.

The proxy runs in-process (one mitmproxy master per process) with egress
allowed, since real IdPs live on the internet. Chromium is launched with
``handle_sigint=False`` and Ctrl-C only sets a stop request, so the browser
is still alive to give its screenshot and Playwright trace when the capture
stops: the bundle is written on every path, partial if need be.

A capture that did not complete (the start URL did not open, the sign-in
stopped short or timed out) or came back without a session (the signed-in
check: ``--signed-in-*`` when given, else the SAML default when a
SAMLResponse was posted) gets an error finding of its own
(:mod:`~sso_harness.apps.capture_service.verdict`), so it never reads as
"no problems found".
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from cryptography import x509
from playwright.sync_api import Page

from sso_harness.browser.launch import launch_args
from sso_harness.browser.login import Credentials
from sso_harness.report.bundle import BundleInput, write_bundle
from sso_harness.capture import CaptureProxy
from sso_harness.trace.recording import FlowRecording
from sso_harness.apps.capture_service.collect import BrowserLeftovers, collect_leftovers
from sso_harness.apps.capture_service.options import CaptureOptions, CaptureSetupError, default_bundle_path
from sso_harness.apps.capture_service.page_errors import PageErrorRecorder
from sso_harness.apps.capture_service.session import Outcome, Plan, StopRequest, drive_outcome
from sso_harness.apps.capture_service.until import url_matcher
from sso_harness.apps.capture_service.verdict import capture_findings
from sso_harness.browser.signed_in import SignedInVerdict, SignInRule, decide, facts_from_hops, gather
from sso_harness.capture.hop import Hop
from sso_harness.diagnose import Finding, PageText, diagnose
from sso_harness.report.redact import Redactor

__all__ = ["CaptureResult", "capture", "trusted_certificates", "bundle_flow"]


@dataclass(frozen=True)
class CaptureResult:
    """``completed``: the flow reached its landing URL and, where checked, signed the browser in
    (False: ``findings`` holds a ``capture-incomplete``, ``capture-not-signed-in`` or
    ``capture-sign-in-undecided`` error)."""

    path: Path
    stopped_because: str
    hops: int
    findings: tuple[Finding, ...]
    completed: bool = True


def trusted_certificates(opts: CaptureOptions) -> list[x509.Certificate]:
    from sso_harness.protocols.xml.dsig.keys import load_certificates
    from sso_harness.targets.metadata import fetch_idp_metadata, parse_idp_metadata

    certs: list[x509.Certificate] = []
    for path in opts.idp_certs:
        try:
            certs.extend(load_certificates(Path(path).read_bytes()))
        except Exception as exc:  # noqa: BLE001 - unreadable file or PEM: a setup error with its reason
            raise CaptureSetupError(f"--idp-cert {path}: {exc}") from None
    for source in opts.idp_metadata:
        try:
            meta = parse_idp_metadata(Path(source).read_bytes()) if Path(source).is_file() else fetch_idp_metadata(source)
        except Exception as exc:  # noqa: BLE001 - a network or parse failure is a setup error with its reason
            raise CaptureSetupError(f"--idp-metadata {source}: {exc}") from None
        certs.extend(meta.signing_certs)
    return certs


def bundle_flow(
    recording: FlowRecording,
    leftovers: BrowserLeftovers,
    *,
    out: Path,
    redactor: Redactor,
    argv: tuple[str, ...] | list[str],
    capture_facts: dict[str, object],
    pages: list[PageText],
    typed: tuple[str, ...] = (),
    personal: tuple[str, ...] = (),
    extra_findings: Sequence[Finding] = (),
) -> tuple[Path, tuple[Finding, ...], int]:
    """Decode, diagnose and write the bundle for what ``recording`` holds; ``extra_findings`` (the
    capture's own, see :mod:`~sso_harness.apps.capture_service.verdict`) come first."""
    trace = recording.trace()
    evidence = list(pages) + ([leftovers.final_page] if leftovers.final_page else [])
    findings = [*extra_findings, *diagnose(trace, pages=evidence)]
    result = write_bundle(out, BundleInput(
        trace=trace, redactor=redactor, findings=findings, argv=argv, capture=dict(capture_facts),
        screenshots=leftovers.screenshots, playwright_trace=leftovers.playwright_trace,
        extra_secrets=typed, extra_personal=personal, title=f"SSO capture: {capture_facts.get('host') or 'flow'}",
    ))
    return result.path, result.findings, len(trace)


def _signals(stop: StopRequest) -> Callable[[], None]:
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}

    def handler(signum: int, _frame: object) -> None:
        if stop.requested:  # a second Ctrl-C: stop now
            raise KeyboardInterrupt
        stop.request("interrupted (Ctrl-C)" if signum == signal.SIGINT else "terminated (SIGTERM)")

    for s in previous:
        signal.signal(s, handler)

    def restore() -> None:
        for s, h in previous.items():
            signal.signal(s, h)

    return restore


def check_signed_in(page: Page, rule: SignInRule | None, hops: Sequence[Hop]) -> SignedInVerdict | None:
    """The signed-in verdict where the browser stopped: ``rule`` when it declares anything, else the SAML
    default over ``hops`` when they hold a SAMLResponse POST; None when neither applies (an OAuth flow)."""
    if rule is not None and rule.declared:
        return decide(rule, gather(page, rule, answers=(), cookies_before=frozenset()))
    if not any(h.method.upper() == "POST" and b"SAMLResponse=" in h.request_body for h in hops):
        return None
    return decide(None, facts_from_hops(hops, landing_url=page.url))


def capture(opts: CaptureOptions, *, env: Mapping[str, str] = os.environ, out: TextIO = sys.stdout) -> CaptureResult:
    """Run one capture; raises :class:`CaptureSetupError` only before anything was recorded."""
    from playwright.sync_api import sync_playwright

    from sso_harness.targets.target import LoginSpec
    from sso_harness.targets.runner import driver_for

    opts.check_selectors()
    creds = opts.credentials(env)
    headed, note = opts.headed_mode(env)
    until = url_matcher(opts.until) if opts.until else None
    spec = LoginSpec(driver=opts.login or "form", username_selector=opts.username_selector,
                     password_selector=opts.password_selector, submit_selector=opts.submit_selector)
    try:
        login = driver_for(spec) if opts.login else None
    except Exception as exc:  # noqa: BLE001 - an unknown or unavailable driver is a setup error, before recording
        raise CaptureSetupError(f"--login {opts.login}: no usable login driver ({type(exc).__name__}: {exc})") from None
    certs = trusted_certificates(opts)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
    path = opts.out or default_bundle_path(stamp)
    redactor = Redactor(enabled=opts.redact, pii=opts.pii)
    if note:
        out.write(f"sso-harness capture: {note}\n")
    if not opts.redact:
        out.write("sso-harness capture: WARNING: --no-redact: the bundle will contain secrets in clear\n")
    stop = StopRequest()
    restore = _signals(stop)
    recorder = PageErrorRecorder(loopback_only=opts.loopback_only)
    outcome = Outcome("stopped", "not started")
    try:
        with CaptureProxy(recorder) as proxy, sync_playwright() as pw:
            browser = pw.chromium.launch(**launch_args(
                proxy_url=proxy.url, spki_pin=proxy.spki_pin,
                base={"headless": not headed, "handle_sigint": False, "handle_sigterm": False}))
            context = browser.new_context()
            context.tracing.start(screenshots=True, snapshots=True)
            page = context.new_page()
            recording = FlowRecording(recorder, trusted_certs=certs)
            plan = Plan(opts.url, until=until, login=login,
                        credentials=Credentials(*creds) if creds else None, timeout_s=opts.timeout)
            out.write(f"sso-harness capture: recording {opts.url} (Ctrl-C stops and still writes the bundle)\n")
            out.flush()
            try:
                outcome = drive_outcome(page, plan, stop)
            except KeyboardInterrupt:
                outcome = Outcome("stopped", "interrupted (Ctrl-C twice)")
            except Exception as exc:  # noqa: BLE001 - whatever broke, the bundle is still written
                # A crash of the drive is a capture that did not complete, reported as such.
                outcome = Outcome("sign-in-failed", f"capture error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
            stopped = outcome.reason
            hops_seen = recording.hops()
            final_url = None if page.is_closed() else page.url
            verdict = None
            if outcome.kind == "arrived" and not page.is_closed():
                try:
                    verdict = check_signed_in(page, opts.signed_in, hops_seen)
                except Exception as exc:  # noqa: BLE001 - a check that cannot run is said, not hidden
                    outcome = Outcome("closed", f"the signed-in check could not run: {type(exc).__name__}")
                    stopped = outcome.reason
            own = capture_findings(outcome, hops_seen, final_url=final_url, sign_in=verdict)
            leftovers = collect_leftovers(page, context)
            try:
                browser.close()
            except Exception:  # noqa: BLE001 - the browser may already be gone
                pass
            facts: dict[str, object] = {"url": opts.url, "host": opts.url.split("/")[2] if "://" in opts.url else opts.url, "until": opts.until,
                     "timeout_s": opts.timeout, "login_driver": opts.login, "headed": headed, "stopped_because": stopped,
                     "trusted_certificates": len(certs), "completed": not own,
                     "signed_in": None if verdict is None else verdict.signed_in}
            typed = (creds[1],) if creds else ()
            personal = (creds[0],) if creds else ()
            bundle_path, findings, hops = bundle_flow(recording, leftovers, out=path, redactor=redactor, argv=opts.argv,
                                                      capture_facts=facts, pages=recorder.pages(), typed=typed, personal=personal,
                                                      extra_findings=own)
    finally:
        restore()
    return CaptureResult(bundle_path, stopped, hops, findings, completed=not own)
