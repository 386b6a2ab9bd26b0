"""``sso-harness proxy``: the capture proxy for the engineer's own browser, until Ctrl-C, then a bundle.

No browser is driven: the engineer signs in (real MFA, existing
sessions) in a browser pointed at the proxy. SIGINT or SIGTERM ends the
recording; the hops recorded up to then are decoded, diagnosed and
written as a redacted bundle, exactly as a capture's, before the proxy
(and its CA key) goes away.
"""

from __future__ import annotations

import datetime as dt
import shutil
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sso_harness.apps.capture_service.collect import BrowserLeftovers
from sso_harness.apps.capture_service.options import CaptureOptions, CaptureSetupError
from sso_harness.apps.capture_service.page_errors import PageErrorRecorder
from sso_harness.apps.capture_service.proxy_help import ProxyAddress, browser_instructions, firefox_prefs
from sso_harness.apps.capture_service.run import bundle_flow, trusted_certificates
from sso_harness.capture.proxy import CaptureProxy, ProxyStartError
from sso_harness.diagnose import Finding
from sso_harness.report.redact import Redactor
from sso_harness.trace.recording import FlowRecording

__all__ = ["ProxyOptions", "ProxyResult", "run_proxy", "default_proxy_bundle_path"]


@dataclass(frozen=True)
class ProxyOptions:
    out: Path | None = None
    port: int = 0
    redact: bool = True
    pii: bool = False
    idp_certs: tuple[Path, ...] = ()
    idp_metadata: tuple[str, ...] = ()
    loopback_only: bool = False
    argv: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProxyResult:
    path: Path
    hops: int
    findings: tuple[Finding, ...]
    stopped_because: str


def default_proxy_bundle_path(stamp: str) -> Path:
    return Path("reports") / "bundles" / f"sso-proxy-{stamp}.zip"


def run_proxy(opts: ProxyOptions, *, out: TextIO = sys.stdout, stop: threading.Event | None = None) -> ProxyResult:
    """Record until ``stop`` is set (by SIGINT/SIGTERM when run on the main thread), then write the bundle.

    Raises :class:`CaptureSetupError` before anything is recorded (an
    unreadable certificate, a port that cannot be bound).
    """
    certs = trusted_certificates(CaptureOptions(url="", idp_certs=opts.idp_certs, idp_metadata=opts.idp_metadata))
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
    path = opts.out or default_proxy_bundle_path(stamp)
    redactor = Redactor(enabled=opts.redact, pii=opts.pii)
    _check_port(opts.port)
    stop = stop or threading.Event()
    reason: list[str] = []
    restore = _on_signals(stop, reason) if threading.current_thread() is threading.main_thread() else (lambda: None)
    recorder = PageErrorRecorder(loopback_only=opts.loopback_only)
    profiles = Path(tempfile.mkdtemp(prefix="sso-harness-profiles-"))
    try:
        try:
            proxy = CaptureProxy(recorder, listen_port=opts.port).start()
        except ProxyStartError as exc:
            raise CaptureSetupError(f"the proxy did not start on 127.0.0.1:{opts.port or 'any'}: {exc}") from None
        try:
            if proxy.port is None:
                raise CaptureSetupError(f"the proxy could not listen on 127.0.0.1:{opts.port} (in use?)")
            address = ProxyAddress(proxy.port, proxy.ca_cert_path, proxy.spki_pin)
            (profiles / "firefox").mkdir()
            (profiles / "firefox" / "user.js").write_text(firefox_prefs(address), encoding="utf-8")
            recording = FlowRecording(recorder, trusted_certs=certs)
            if not opts.redact:
                out.write("sso-harness proxy: WARNING: --no-redact: the bundle will contain secrets in clear\n")
            out.write(browser_instructions(address, chrome_profile=profiles / "chromium", firefox_profile=profiles / "firefox"))
            out.flush()
            stop.wait()
            stopped = reason[0] if reason else "stopped"
            facts: dict[str, object] = {"url": None, "proxy": address.url, "mode": "proxy (the engineer's browser)",
                                        "stopped_because": stopped, "trusted_certificates": len(certs)}
            written, findings, hops = bundle_flow(recording, BrowserLeftovers((), None, None), out=path, redactor=redactor,
                                                  argv=opts.argv, capture_facts=facts, pages=recorder.pages())
        finally:
            proxy.stop()
    finally:
        restore()
        shutil.rmtree(profiles, ignore_errors=True)
    return ProxyResult(written, hops, findings, stopped)


def _check_port(port: int) -> None:
    """A port that is taken is said plainly, before mitmproxy starts (it would only say it exited)."""
    if port == 0:
        return
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise CaptureSetupError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc} (choose another --port)") from None


def _on_signals(stop: threading.Event, reason: list[str]) -> Callable[[], None]:
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}

    def handler(signum: int, _frame: object) -> None:
        if stop.is_set():  # a second Ctrl-C while the bundle is written: stop now
            raise KeyboardInterrupt
        reason.append("interrupted (Ctrl-C)" if signum == signal.SIGINT else "terminated (SIGTERM)")
        stop.set()

    for s in previous:
        signal.signal(s, handler)

    def restore() -> None:
        for s, h in previous.items():
            signal.signal(s, h)

    return restore
