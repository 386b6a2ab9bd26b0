"""Single logout messages for the generic mock pair (SAML core §3.7, profiles §4.4).

Both messages travel by HTTP-Redirect with a query signature (bindings
§3.4.4.1), the way most SPs and IdPs send them; clock and IDs are injected.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from sso_harness.mocks.base.clock import IdSource
from sso_harness.mocks.saml.response_builder import SAML, SAMLP, iso

__all__ = ["logout_request", "logout_response", "SUCCESS"]

SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"


def logout_request(*, issuer: str, destination: str, name_id: str, name_id_format: str | None,
                   session_index: str | None, new_id: IdSource, now: dt.datetime) -> tuple[str, bytes]:
    """``(request ID, XML)`` of a LogoutRequest for ``name_id``."""
    rid = new_id()
    root = etree.Element(f"{{{SAMLP}}}LogoutRequest", nsmap={"samlp": SAMLP, "saml": SAML})
    root.set("ID", rid)
    root.set("Version", "2.0")
    root.set("IssueInstant", iso(now))
    root.set("Destination", destination)
    etree.SubElement(root, f"{{{SAML}}}Issuer").text = issuer
    nid = etree.SubElement(root, f"{{{SAML}}}NameID")
    nid.text = name_id
    if name_id_format:
        nid.set("Format", name_id_format)
    if session_index:
        etree.SubElement(root, f"{{{SAMLP}}}SessionIndex").text = session_index
    return rid, etree.tostring(root)


def logout_response(*, issuer: str, destination: str, in_response_to: str | None, new_id: IdSource,
                    now: dt.datetime, status: str = SUCCESS) -> bytes:
    root = etree.Element(f"{{{SAMLP}}}LogoutResponse", nsmap={"samlp": SAMLP, "saml": SAML})
    root.set("ID", new_id())
    root.set("Version", "2.0")
    root.set("IssueInstant", iso(now))
    root.set("Destination", destination)
    if in_response_to:
        root.set("InResponseTo", in_response_to)
    etree.SubElement(root, f"{{{SAML}}}Issuer").text = issuer
    st = etree.SubElement(root, f"{{{SAMLP}}}Status")
    etree.SubElement(st, f"{{{SAMLP}}}StatusCode", Value=status)
    return etree.tostring(root)
