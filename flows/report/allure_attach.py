"""Allure attachments for one flow: decoded messages, hop table, screenshot.

Only decoded protocol messages and redacted URLs are attached; request
bodies, cookies and headers never are, so passwords and session IDs cannot
appear in the report.
"""

from __future__ import annotations

import allure

from sso_harness.protocols.saml import pretty_xml
from sso_harness.report.har import dump_har
from sso_harness.report.hop_table import hops_csv
from sso_harness.report.redact import Redactor
from sso_harness.report.trace_json import dump_trace
from sso_harness.trace.trace import Trace, TraceQueryError

__all__ = ["attach_trace", "attach_screenshot", "attach_har"]


def attach_trace(trace: Trace) -> None:
    allure.attach(hops_csv(trace), name="hops", attachment_type=allure.attachment_type.CSV)
    allure.attach(dump_trace(trace, Redactor()), name="trace.json (redacted)", attachment_type=allure.attachment_type.JSON)
    for label in ("AuthnRequest", "Response"):
        try:
            hop = trace.authn_request_hop if label == "AuthnRequest" else trace.saml_response_hop
        except TraceQueryError:
            continue
        assert hop.saml is not None
        allure.attach(
            pretty_xml(Redactor().saml_xml(hop.saml.xml, where=hop.label)),
            name=f"SAML {label} ({hop.label})", attachment_type=allure.attachment_type.XML,
        )


def attach_har(trace: Trace) -> None:
    """The HAR of a failed flow, for browser devtools or Fiddler (redacted)."""
    allure.attach(dump_har(trace, Redactor()), name="trace.har (redacted)", attachment_type=allure.attachment_type.JSON)


def attach_screenshot(png: bytes, name: str = "final page") -> None:
    allure.attach(png, name=name, attachment_type=allure.attachment_type.PNG)
