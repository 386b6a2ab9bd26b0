"""Small tree helpers the SAML derivations share (lxml, no I/O).

Every derivation works on a deep copy, so the legitimately signed response
an attacker holds stays intact for the next attack.
"""

from __future__ import annotations

import copy
import uuid

from lxml import etree

from sso_harness.protocols.xml.dsig import DS_NS

__all__ = [
    "SAML",
    "SAMLP",
    "ds",
    "saml",
    "samlp",
    "fresh_id",
    "clone",
    "first_assertion",
    "signature_over",
    "direct_signature",
    "set_name_id",
    "name_id_element",
    "remove",
]

SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"


def ds(local: str) -> str:
    return f"{{{DS_NS}}}{local}"


def saml(local: str) -> str:
    return f"{{{SAML}}}{local}"


def samlp(local: str) -> str:
    return f"{{{SAMLP}}}{local}"


def fresh_id(prefix: str = "_evil") -> str:
    """An xs:ID no IdP issued (NCName: it starts with an underscore)."""
    return f"{prefix}_{uuid.uuid4().hex}"


def clone(element: etree._Element) -> etree._Element:
    return copy.deepcopy(element)


def first_assertion(response: etree._Element) -> etree._Element | None:
    """The Response's first direct-child Assertion: the one a conforming SP consumes."""
    return response.find(saml("Assertion"))


def signature_over(element: etree._Element) -> etree._Element | None:
    """The direct-child ``ds:Signature`` whose Reference names ``element``'s ID."""
    wanted = f"#{element.get('ID')}"
    for signature in element.findall(ds("Signature")):
        reference = signature.find(f"{ds('SignedInfo')}/{ds('Reference')}")
        if reference is not None and reference.get("URI") == wanted:
            return signature
    return None


def direct_signature(element: etree._Element) -> etree._Element | None:
    """The first direct-child ``ds:Signature`` (whatever it references)."""
    return element.find(ds("Signature"))


def name_id_element(assertion: etree._Element) -> etree._Element | None:
    subject = assertion.find(saml("Subject"))
    return None if subject is None else subject.find(saml("NameID"))


def set_name_id(assertion: etree._Element, value: str) -> None:
    """Replace the Subject's NameID text (and any comments inside it) with ``value``."""
    element = name_id_element(assertion)
    if element is None:
        raise LookupError("the assertion has no Subject/NameID to rewrite")
    for child in list(element):
        element.remove(child)
    element.text = value


def remove(element: etree._Element | None) -> None:
    """Detach ``element`` from its parent, keeping the text that followed it."""
    if element is None:
        return
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    parent.remove(element)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
