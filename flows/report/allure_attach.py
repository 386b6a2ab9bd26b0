"""Allure attachments for one flow, in reading order.

The order is the order a person reads a failed flow in: the HTML timeline
(:func:`attach_timeline`), then the decoded messages, the hop table and the
trace JSON (:func:`attach_trace`), then the HAR of a failed flow
(:func:`attach_har`) and the final screenshot (:func:`attach_screenshot`).
Allure lists a test's attachments in the order they were made, so the
caller makes them in this order.

Only decoded protocol messages and redacted URLs are attached; request
bodies, cookies and headers never are, so passwords and session IDs cannot
appear in the report. The one exception is the explicit opt-out
(``--sso-no-redact``): the caller passes a :class:`Redactor` built with
``enabled=False``, nothing is masked, and every attachment's name says
``(NOT redacted)`` (the trace JSON also records it in its ``redaction`` member).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import allure

from sso_harness.protocols.saml import pretty_xml
from sso_harness.report.har import dump_har
from sso_harness.report.hop_table import hops_csv
from sso_harness.report.redact import Redactor
from sso_harness.report.trace_json import dump_trace
from sso_harness.trace.trace import Trace, TraceQueryError

__all__ = ["TIMELINE_NAME", "attach_har", "attach_screenshot", "attach_timeline", "attach_trace", "redaction_suffix"]

#: The timeline attachment's name in the report (a test of the single-file report looks for it).
TIMELINE_NAME = "timeline (HTML)"


def redaction_suffix(redactor: Redactor) -> str:
    """What an attachment's name ends with: ``(redacted)``, or ``(NOT redacted)`` under the opt-out."""
    return "(redacted)" if redactor.enabled else "(NOT redacted)"


def attach_timeline(page: Path) -> None:
    """The flow's HTML timeline page (already redacted when it was written), shown inline by Allure."""
    allure.attach(page.read_text(encoding="utf-8"), name=TIMELINE_NAME, attachment_type=allure.attachment_type.HTML)


def attach_trace(trace: Trace, redactor: Redactor | None = None, *, metadata: dict[str, Any] | None = None) -> None:
    """The decoded SAML messages first, then the hop table and the trace JSON, all through ``redactor``.

    ``metadata`` goes in the trace JSON's ``metadata`` member (the flow's ``signin_screens``, for one).

    ``redactor`` defaults to a redacting one; each attachment gets its own
    copy, so the trace JSON lists only its own redactions.
    """
    base = redactor or Redactor()
    for label in ("AuthnRequest", "Response"):
        try:
            hop = trace.authn_request_hop if label == "AuthnRequest" else trace.saml_response_hop
        except TraceQueryError:
            continue
        assert hop.saml is not None
        allure.attach(
            pretty_xml(_fresh(base).saml_xml(hop.saml.xml, where=hop.label)),
            name=f"SAML {label} ({hop.label})", attachment_type=allure.attachment_type.XML,
        )
    allure.attach(hops_csv(trace, _fresh(base)), name="hops", attachment_type=allure.attachment_type.CSV)
    allure.attach(dump_trace(trace, _fresh(base), metadata=metadata), name=f"trace.json {redaction_suffix(base)}",
                  attachment_type=allure.attachment_type.JSON)


def attach_har(trace: Trace, redactor: Redactor | None = None) -> None:
    """The HAR of a failed flow, for browser devtools or Fiddler, through ``redactor`` (default: redacting)."""
    base = redactor or Redactor()
    allure.attach(dump_har(trace, _fresh(base)), name=f"trace.har {redaction_suffix(base)}",
                  attachment_type=allure.attachment_type.JSON)


def attach_screenshot(png: bytes, name: str = "final page") -> None:
    allure.attach(png, name=name, attachment_type=allure.attachment_type.PNG)


def _fresh(redactor: Redactor) -> Redactor:
    # Same mode and PII salt (equal values keep equal tokens across attachments), an empty log.
    return Redactor(enabled=redactor.enabled, pii=redactor.pii, salt=redactor.salt)
