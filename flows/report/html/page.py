"""A flow's page: diagnosis on top, swim lanes, timeline, claims; one self-contained HTML document.

Everything is inline (CSS, a few lines of script, SVG): the page opens from
a zip or an attachment with no network. All values pass through the given
:class:`~sso_harness.report.redact.Redactor`; ``scrub`` (see
:mod:`sso_harness.report.html.scrub`) then removes any known secret value from the
free text that is left (finding sentences quote URLs and values).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from sso_harness.version import __version__
from sso_harness.diagnose import Finding
from sso_harness.report.html.claims import claim_rows, render_claims
from sso_harness.report.html.diagnosis import render_findings
from sso_harness.report.html.rows import build_rows
from sso_harness.report.html.screens import render_screens
from sso_harness.report.html.style import CSS, SCRIPT
from sso_harness.report.html.swimlane import render_swimlanes
from sso_harness.report.html.timeline import render_timeline
from sso_harness.report.redact import Redactor
from sso_harness.trace.trace import Trace

__all__ = ["PageInfo", "render_flow_page", "document"]


@dataclass(frozen=True)
class PageInfo:
    """What the page says about the capture itself (all optional)."""

    title: str = "SSO flow"
    start_url: str | None = None
    captured_at: dt.datetime | None = None
    stopped_because: str | None = None
    files: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    signin_screens: tuple[str, ...] = ()
    """The sign-in screens the login driver went through, in order (shown above the timeline)."""


def document(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">"
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>{body}"
        f"<footer>Written by sso-harness {escape(__version__)}. Self-contained: no network needed.</footer>"
        f"</main><script>{SCRIPT}</script></body></html>"
    )


def _banners(redactor: Redactor) -> str:
    if not redactor.enabled:
        return ("<div class='banner danger' id='no-redact'>REDACTION IS OFF (--no-redact): this page and its bundle contain "
                "passwords, codes, tokens and cookies in clear. Do not attach them to a ticket.</div>")
    if redactor.pii:
        return ("<div class='banner note' id='redaction'>Redacted, personal data masked (--pii): secrets are removed and NameIDs, "
                "attribute values and user names are replaced by <code>pii:…</code> tokens (equal values give equal tokens).</div>")
    return ("<div class='banner note' id='redaction'>Redacted: passwords, codes, tokens, cookie values, Authorization "
            "credentials and signature values are removed (see REDACTIONS.txt).</div>")


def _meta(trace: Trace, info: PageInfo, redactor: Redactor) -> str:
    items = []
    if info.start_url:
        items.append(f"start <b class='mono'>{escape(redactor.url(info.start_url, where='start URL'))}</b>")
    if info.captured_at:
        items.append(f"captured <b>{info.captured_at:%Y-%m-%d %H:%M:%S} UTC</b>")
    items.append(f"<b>{len(trace)}</b> hops")
    if trace.hops:
        span = trace.hops[-1].hop.finished - trace.hops[0].hop.started
        items.append(f"<b>{span:.2f} s</b>")
    if trace.blocked_hosts:
        items.append(f"<b>{sum(trace.blocked_hosts.values())}</b> requests to other hosts blocked")
    items.append(f"signatures checked against <b>{trace.trusted_cert_count}</b> trusted certificate(s)")
    if info.stopped_because:
        items.append(f"stopped: <b>{escape(info.stopped_because)}</b>")
    return "<div class='meta'>" + "".join(f"<span>{i}</span>" for i in items) + "</div>"


def render_flow_page(
    trace: Trace,
    redactor: Redactor,
    *,
    findings: Sequence[Finding] = (),
    info: PageInfo = PageInfo(),
    scrub: Callable[[str], str] | None = None,
) -> str:
    clean = scrub or (lambda s: s)
    rows = build_rows(trace, redactor)
    shown = [f.rewritten(clean) for f in findings]
    flagged = {f.hop for f in shown if f.hop is not None and f.severity == "error"}
    now = trace.evaluated_at
    files = ""
    if info.files:
        files = "<h2>Files in this bundle</h2><ul class='files'>" + "".join(
            f"<li><a href='{escape(name)}'>{escape(name)}</a> — {escape(what)}</li>" for name, what in info.files) + "</ul>"
    notes = "".join(f"<p class='sub'>{escape(n)}</p>" for n in info.notes)
    body = (
        f"<h1>{escape(info.title)}</h1>{_meta(trace, info, redactor)}{_banners(redactor)}{notes}"
        f"<h2 id='diagnosis'>Diagnosis</h2>{render_findings(shown)}"
        f"<h2 id='lanes'>Flow</h2>{render_swimlanes(trace, rows)}"
        f"<h2 id='timeline'>Timeline</h2>{render_screens(info.signin_screens)}{render_timeline(rows, now=now, flagged=flagged)}"
        f"<h2 id='claims'>Claims</h2>{render_claims(claim_rows(trace, rows, redactor))}"
        f"{files}"
    )
    return document(info.title, clean(body))
