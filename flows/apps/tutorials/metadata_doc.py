"""The few facts of a SAML metadata document that guides ask people to copy.

SAML metadata §2.3.2 (EntityDescriptor ``entityID``), §2.4.4
(SPSSODescriptor, ``AssertionConsumerService``), §2.4.3 (IDPSSODescriptor,
``SingleSignOnService``) and §2.4.1.1 (``KeyDescriptor`` certificates): the
values of "upload the SP metadata" and "download the federation metadata".
Parsed through :func:`sso_harness.protocols.xml.safe.parse_xml`; pure, and total:
anything else is a :class:`~sso_harness.protocols.DecodeError`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from sso_harness.protocols import DecodeError
from sso_harness.protocols.xml.safe import parse_xml

__all__ = ["MetadataFacts", "metadata_facts"]

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"


@dataclass(frozen=True)
class MetadataFacts:
    entity_id: str | None
    acs: str | None
    """The HTTP-POST AssertionConsumerService (else the first one)."""
    sso_url: str | None
    """The IdP's first SingleSignOnService location."""
    certificates: int


def _location(parent: etree._Element | None, tag: str) -> str | None:
    if parent is None:
        return None
    endpoints = list(parent.iter(f"{{{MD}}}{tag}"))
    post = [e for e in endpoints if e.get("Binding") == POST]
    chosen = (post or endpoints)[:1]
    return chosen[0].get("Location") if chosen else None


def metadata_facts(xml: bytes | str) -> MetadataFacts:
    root = parse_xml(xml, where="metadata")
    entity = root if root.tag == f"{{{MD}}}EntityDescriptor" else next(root.iter(f"{{{MD}}}EntityDescriptor"), None)
    if entity is None:
        raise DecodeError("no md:EntityDescriptor: not SAML metadata", where="metadata")
    sp = next(entity.iter(f"{{{MD}}}SPSSODescriptor"), None)
    idp = next(entity.iter(f"{{{MD}}}IDPSSODescriptor"), None)
    return MetadataFacts(
        entity_id=entity.get("entityID"),
        acs=_location(sp, "AssertionConsumerService"),
        sso_url=_location(idp, "SingleSignOnService"),
        certificates=sum(1 for _ in entity.iter(f"{{{DS}}}X509Certificate")),
    )
