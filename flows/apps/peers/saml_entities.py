"""What a peer needs from a partner's SAML metadata: entity ID, endpoints, signing certificates.

Configuring SimpleSAMLphp with our mocks is what an administrator does
with a partner's metadata document: read the ``EntityDescriptor`` (SAML
metadata §2.3.2), take the IdP's ``SingleSignOnService`` (§2.4.3) or the
SP's ``AssertionConsumerService`` (§2.4.4) endpoints, and the certificates
of the ``KeyDescriptor``\\ s whose ``use`` is ``signing`` or absent (§2.4.1.1).

Pure and total: any input yields a :class:`SamlEntity` or a
:class:`~sso_harness.protocols.DecodeError`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from sso_harness.protocols import DecodeError
from sso_harness.protocols.xml.safe import parse_xml

__all__ = ["Endpoint", "SamlEntity", "read_entity"]

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(frozen=True)
class Endpoint:
    binding: str
    location: str
    index: int | None = None


@dataclass(frozen=True)
class SamlEntity:
    """One role of one entity: ``role`` is ``"idp"`` or ``"sp"``."""

    entity_id: str
    role: str
    sso: tuple[Endpoint, ...] = ()
    acs: tuple[Endpoint, ...] = ()
    slo: tuple[Endpoint, ...] = ()
    signing_certs_b64: tuple[str, ...] = ()
    name_id_formats: tuple[str, ...] = ()


def _endpoints(descriptor: etree._Element, name: str, where: str) -> tuple[Endpoint, ...]:
    out: list[Endpoint] = []
    for el in descriptor.findall(f"{{{MD}}}{name}"):
        binding, location = el.get("Binding"), el.get("Location")
        if not binding or not location:
            raise DecodeError(f"{name} lacks Binding or Location", where=where)
        index = el.get("index")
        if index is not None and not (index.isascii() and index.isdigit()):
            raise DecodeError(f"{name} index is not a number: {index[:20]!r}", where=where)
        out.append(Endpoint(binding, location, int(index) if index is not None else None))
    return tuple(out)


def _signing_certs(descriptor: etree._Element) -> tuple[str, ...]:
    certs: list[str] = []
    for kd in descriptor.findall(f"{{{MD}}}KeyDescriptor"):
        if kd.get("use") not in (None, "signing"):
            continue
        for cert in kd.iter(f"{{{DS}}}X509Certificate"):
            text = "".join((cert.text or "").split())
            if text:
                certs.append(text)
    return tuple(certs)


def read_entity(xml: str | bytes, role: str) -> SamlEntity:
    """The ``role`` (``"idp"`` or ``"sp"``) of the entity described by ``xml``."""
    if role not in ("idp", "sp"):
        raise DecodeError(f"role is 'idp' or 'sp', not {role!r}", where="role")
    root = parse_xml(xml, where="metadata")
    if root.tag != f"{{{MD}}}EntityDescriptor":
        raise DecodeError(f"expected md:EntityDescriptor, found {root.tag!r}", where="metadata")
    entity_id = root.get("entityID")
    if not entity_id:
        raise DecodeError("EntityDescriptor has no entityID", where="metadata")
    tag = "IDPSSODescriptor" if role == "idp" else "SPSSODescriptor"
    where = f"EntityDescriptor/{tag}"
    descriptor = root.find(f"{{{MD}}}{tag}")
    if descriptor is None:
        raise DecodeError(f"the entity has no {tag}", where=where)
    formats = tuple((el.text or "").strip() for el in descriptor.findall(f"{{{MD}}}NameIDFormat") if (el.text or "").strip())
    entity = SamlEntity(
        entity_id=entity_id,
        role=role,
        sso=_endpoints(descriptor, "SingleSignOnService", where) if role == "idp" else (),
        acs=_endpoints(descriptor, "AssertionConsumerService", where) if role == "sp" else (),
        slo=_endpoints(descriptor, "SingleLogoutService", where),
        signing_certs_b64=_signing_certs(descriptor),
        name_id_formats=formats,
    )
    if role == "idp" and not entity.sso:
        raise DecodeError("the IdP has no SingleSignOnService", where=where)
    if role == "sp" and not entity.acs:
        raise DecodeError("the SP has no AssertionConsumerService", where=where)
    return entity
