"""Allure attachments for one flow: decoded messages, hop table, screenshot.

Only decoded protocol messages and redacted URLs are attached; request
bodies, cookies and headers never are, so passwords and session IDs cannot
appear in the report.
"""

from __future__ import annotations

import allure

from flows.protocols.saml import pretty_xml
from flows.report.hop_table import hops_csv
from flows.trace import Trace, TraceQueryError

__all__ = ["attach_trace", "attach_screenshot"]


def attach_trace(trace: Trace) -> None:
    allure.attach(hops_csv(trace), name="hops", attachment_type=allure.attachment_type.CSV)
    for label, getter in (("AuthnRequest", lambda: trace.authn_request_hop), ("Response", lambda: trace.saml_response_hop)):
        try:
            hop = getter()
        except TraceQueryError:
            continue
        assert hop.saml is not None
        allure.attach(
            pretty_xml(hop.saml.xml), name=f"SAML {label} ({hop.label})", attachment_type=allure.attachment_type.XML
        )


def attach_screenshot(png: bytes, name: str = "final page") -> None:
    allure.attach(png, name=name, attachment_type=allure.attachment_type.PNG)
