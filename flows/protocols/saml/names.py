"""SAML 2.0 namespaces, tag helpers and safe text readers (SAML core §2, §3).

Text is always read as the element's *full* text content
(``"".join(el.itertext())``): reading only ``.text`` stops at the first
comment, which is exactly the comment-injection attack of CVE-2017-11428
(``user@evil.com<!---->.example.com``).
"""

from __future__ import annotations

from lxml import etree

from sso_harness.protocols.xml.enc.algorithms import XMLENC_NS  # re-exported; defined once, with the other XML Encryption URIs
from sso_harness.protocols.xml.text import text_content

__all__ = [
    "ASSERTION_NS",
    "PROTOCOL_NS",
    "STATUS_SUCCESS",
    "XMLENC_NS",
    "children",
    "first_child",
    "full_text",
    "local_name",
    "saml",
    "samlp",
    "trimmed_text",
]

ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion"
PROTOCOL_NS = "urn:oasis:names:tc:SAML:2.0:protocol"
STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"


def saml(local: str) -> str:
    """Clark tag in the SAML assertion namespace."""
    return f"{{{ASSERTION_NS}}}{local}"


def samlp(local: str) -> str:
    """Clark tag in the SAML protocol namespace."""
    return f"{{{PROTOCOL_NS}}}{local}"


def local_name(element: etree._Element) -> str:
    """Local part of an element's tag ("" for comments/PIs)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def children(parent: etree._Element | None, tag: str) -> list[etree._Element]:
    """Direct children with this Clark tag (never descendants: reading
    deeper would let a wrapped copy shadow the real element)."""
    return [] if parent is None else parent.findall(tag)


def first_child(parent: etree._Element | None, tag: str) -> etree._Element | None:
    """First direct child with this Clark tag, or None."""
    return None if parent is None else parent.find(tag)


def full_text(element: etree._Element | None) -> str | None:
    """Complete text content including text after comments; None if absent."""
    if element is None:
        return None
    return text_content(element)


def trimmed_text(element: etree._Element | None) -> str | None:
    """Full text with surrounding whitespace removed (for URI-typed values
    such as Issuer or Audience, whose whitespace is not significant)."""
    text = full_text(element)
    return None if text is None else text.strip()
