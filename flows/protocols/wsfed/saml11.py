"""Reading a SAML 1.1 assertion (SAML 1.1 core §2.3–§2.4), as WS-Federation
tokens from ADFS and Entra ID (``urn:oasis:names:tc:SAML:1.0:assertion``).

As for SAML 2.0, only direct children are consulted at every level, and
text is read in full (comments cannot truncate a value).  The Conditions
window, audiences and attributes are read by the same code as SAML 2.0's
(:func:`~sso_harness.protocols.saml.parse_assertion.read_conditions_and_attributes`).
"""

from __future__ import annotations

from lxml import etree

from sso_harness.protocols.saml.messages import NameID
from sso_harness.protocols.saml.names import children, first_child, full_text
from sso_harness.protocols.saml.parse_assertion import read_conditions_and_attributes
from sso_harness.protocols.saml.timeutil import parse_instant
from sso_harness.protocols.wsfed.messages import Saml11Assertion

__all__ = ["SAML11_NS", "claim_uri", "read_saml11_assertion", "saml11"]

SAML11_NS = "urn:oasis:names:tc:SAML:1.0:assertion"
_STATEMENTS = ("AuthenticationStatement", "AttributeStatement", "AuthorizationDecisionStatement", "SubjectStatement")


def saml11(local: str) -> str:
    """Clark tag in the SAML 1.x assertion namespace."""
    return f"{{{SAML11_NS}}}{local}"


def claim_uri(namespace: str | None, name: str | None) -> str:
    """``AttributeNamespace/AttributeName`` — how ADFS and WIF name claims
    (``http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn``)."""
    ns, local = (namespace or "").strip(), (name or "").strip()
    if not ns:
        return local
    return f"{ns}{local}" if ns.endswith("/") else f"{ns}/{local}"


def _claim_uri_of(attribute: etree._Element) -> str:
    return claim_uri(attribute.get("AttributeNamespace"), attribute.get("AttributeName"))


def _name_identifier(assertion: etree._Element) -> NameID | None:
    for local in _STATEMENTS:
        for statement in children(assertion, saml11(local)):
            element = first_child(first_child(statement, saml11("Subject")), saml11("NameIdentifier"))
            if element is not None:
                return NameID(
                    value=full_text(element) or "",
                    format=element.get("Format"),
                    name_qualifier=element.get("NameQualifier"),
                )
    return None


def read_saml11_assertion(element: etree._Element, *, signed: bool) -> Saml11Assertion:
    """Flatten a SAML 1.1 Assertion; DecodeError only for bad timestamps."""
    authn = first_child(element, saml11("AuthenticationStatement"))
    # IssueInstant before Conditions before AuthenticationStatement: with
    # several bad timestamps, the first in that order is the one reported.
    issue_instant = parse_instant(element.get("IssueInstant"), where="Assertion@IssueInstant")
    shared = read_conditions_and_attributes(
        element, tag=saml11, audience_restriction="AudienceRestrictionCondition", attribute_key=_claim_uri_of
    )
    return Saml11Assertion(
        id=element.get("AssertionID"),
        issue_instant=issue_instant,
        issuer=(element.get("Issuer") or "").strip() or None,
        name_id=_name_identifier(element),
        not_before=shared.not_before,
        not_on_or_after=shared.not_on_or_after,
        audiences=shared.audiences,
        attributes=shared.attributes,
        authn_instant=parse_instant(
            None if authn is None else authn.get("AuthenticationInstant"),
            where="Assertion/AuthenticationStatement@AuthenticationInstant",
        ),
        authn_method=None if authn is None else authn.get("AuthenticationMethod"),
        signed=signed,
    )
