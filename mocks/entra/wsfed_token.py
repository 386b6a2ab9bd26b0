"""WS-Federation sign-in responses: a WS-Trust RSTR carrying a signed SAML 1.1 assertion.

What the passive requestor profile (WS-Federation 1.2 §13.2.2) posts back as
``wresult``: a WS-Trust 1.2 ``t:RequestSecurityTokenResponse``
(``http://schemas.xmlsoap.org/ws/2005/02/trust``) with ``t:Lifetime``,
``wsp:AppliesTo`` (the realm), ``t:RequestedSecurityToken`` holding one SAML
1.1 ``saml:Assertion`` (``urn:oasis:names:tc:SAML:1.0:assertion``),
``t:TokenType``, ``t:RequestType`` and ``t:KeyType``. The assertion carries
Conditions (window and audience), an AttributeStatement whose claims are
split into ``AttributeNamespace`` / ``AttributeName`` (the WIF/ADFS way of
writing a claim URI), an AuthenticationStatement, and its own enveloped
signature as the last child (SAML 1.1 schema order), referencing
``AssertionID``. Entra's WS-Fed endpoint and a federated home IdP both use
this shape; the protocols layer decodes it (:mod:`sso_harness.protocols.wsfed`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lxml import etree

from sso_harness.protocols.xml import dsig as xmldsig
from sso_harness.mocks.base.faults import ResponseFaults
from sso_harness.mocks.base.keys import KeyPair
from sso_harness.mocks.saml.response_builder import iso

__all__ = ["Saml11Token", "rstr_xml", "SAML11", "TRUST", "TOKEN_TYPE_SAML11", "split_claim", "AM_PASSWORD"]

SAML11 = "urn:oasis:names:tc:SAML:1.0:assertion"
TRUST = "http://schemas.xmlsoap.org/ws/2005/02/trust"
TOKEN_TYPE_SAML11 = "urn:oasis:names:tc:SAML:1.0:assertion"
AM_PASSWORD = "urn:oasis:names:tc:SAML:1.0:am:password"
_WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
_WSP = "http://schemas.xmlsoap.org/ws/2004/09/policy"
_WSA = "http://www.w3.org/2005/08/addressing"
_BEARER_CM = "urn:oasis:names:tc:SAML:1.0:cm:bearer"


@dataclass(frozen=True)
class Saml11Token:
    """Everything one WS-Fed sign-in response says."""

    issuer: str
    audience: str
    """The realm (``wtrealm``): the Conditions audience and the RSTR's AppliesTo."""
    name_id: str
    issue_instant: dt.datetime
    authn_instant: dt.datetime
    name_id_format: str | None = None
    attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Claim URI -> values."""
    authn_method: str = AM_PASSWORD
    lifetime: dt.timedelta = dt.timedelta(hours=1)
    skew: dt.timedelta = dt.timedelta(minutes=5)
    """NotBefore lies this far before the issue instant, as Entra's SAML tokens do."""


def split_claim(uri: str) -> tuple[str, str]:
    """``http://schemas.xmlsoap.org/claims/UPN`` -> (``http://schemas.xmlsoap.org/claims``, ``UPN``)."""
    namespace, _, name = uri.rpartition("/")
    return (namespace, name) if namespace and name else ("", uri)


def _e(parent: etree._Element, local: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{SAML11}}}{local}", attrs)
    if text is not None:
        element.text = text
    return element


def _subject(parent: etree._Element, token: Saml11Token, name_id: str) -> None:
    subject = _e(parent, "Subject")
    attrs = {"Format": token.name_id_format} if token.name_id_format else {}
    _e(subject, "NameIdentifier", name_id, **attrs)
    confirmation = _e(subject, "SubjectConfirmation")
    _e(confirmation, "ConfirmationMethod", _BEARER_CM)


def _assertion(token: Saml11Token, assertion_id: str, faults: ResponseFaults) -> etree._Element:
    now = token.issue_instant + dt.timedelta(seconds=faults.clock_skew_seconds)
    if faults.expired:
        now -= token.lifetime + dt.timedelta(hours=1)
    if faults.not_yet_valid:
        now += dt.timedelta(hours=2)
    root = etree.Element(f"{{{SAML11}}}Assertion", nsmap={"saml": SAML11})
    root.set("MajorVersion", "1")
    root.set("MinorVersion", "1")
    root.set("AssertionID", assertion_id)
    root.set("Issuer", token.issuer)
    root.set("IssueInstant", iso(now))
    conditions = _e(root, "Conditions", NotBefore=iso(now - token.skew), NotOnOrAfter=iso(now + token.lifetime))
    _e(_e(conditions, "AudienceRestrictionCondition"), "Audience", faults.audience or token.audience)
    name_id = faults.name_id or token.name_id
    attributes = dict(token.attributes)
    if faults.drop_attribute:
        attributes.pop(faults.drop_attribute, None)
    if faults.alter_attribute:
        attributes[faults.alter_attribute[0]] = faults.alter_attribute[1]
    if attributes:
        statement = _e(root, "AttributeStatement")
        _subject(statement, token, name_id)
        for uri, values in attributes.items():
            namespace, name = split_claim(uri)
            attribute = _e(statement, "Attribute", AttributeName=name, AttributeNamespace=namespace)
            for value in values:
                _e(attribute, "AttributeValue", value)
    authn = _e(root, "AuthenticationStatement", AuthenticationMethod=token.authn_method, AuthenticationInstant=iso(token.authn_instant))
    _subject(authn, token, name_id)
    return root


def rstr_xml(token: Saml11Token, signing: KeyPair, wrong_key: KeyPair, new_id: Callable[[], str], faults: ResponseFaults = ResponseFaults()) -> bytes:
    """The ``wresult`` value: the RSTR with the signed assertion (faults applied before signing)."""
    assertion = _assertion(token, new_id(), faults)
    if not faults.sign_nothing:
        pair = wrong_key if faults.wrong_key else signing
        xmldsig.sign_element(assertion, pair.key, pair.cert, position="last")
    rstr = etree.Element(f"{{{TRUST}}}RequestSecurityTokenResponse", nsmap={"t": TRUST})
    lifetime = etree.SubElement(rstr, f"{{{TRUST}}}Lifetime")
    created = token.issue_instant
    etree.SubElement(lifetime, f"{{{_WSU}}}Created", nsmap={"wsu": _WSU}).text = iso(created)
    etree.SubElement(lifetime, f"{{{_WSU}}}Expires", nsmap={"wsu": _WSU}).text = iso(created + token.lifetime)
    applies = etree.SubElement(rstr, f"{{{_WSP}}}AppliesTo", nsmap={"wsp": _WSP})
    reference = etree.SubElement(applies, f"{{{_WSA}}}EndpointReference", nsmap={"wsa": _WSA})
    etree.SubElement(reference, f"{{{_WSA}}}Address").text = token.audience
    etree.SubElement(rstr, f"{{{TRUST}}}RequestedSecurityToken").append(assertion)
    etree.SubElement(rstr, f"{{{TRUST}}}TokenType").text = TOKEN_TYPE_SAML11
    etree.SubElement(rstr, f"{{{TRUST}}}RequestType").text = f"{TRUST}/Issue"
    etree.SubElement(rstr, f"{{{TRUST}}}KeyType").text = "http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey"
    return etree.tostring(rstr)
