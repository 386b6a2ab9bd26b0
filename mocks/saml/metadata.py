"""SAML 2.0 metadata for the mocks: build IdP and SP descriptors, read an IdP's.

Element order follows the metadata schema (SAML metadata §2.4.1-§2.4.4):
KeyDescriptors, then SingleLogoutService, NameIDFormat, then
SingleSignOnService (IdP) or AssertionConsumerService (SP). Every document
built here validates against ``saml-schema-metadata-2.0.xsd`` (see
:mod:`sso_harness.mocks.saml.schema`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree

from sso_harness.protocols import DecodeError
from sso_harness.protocols.xml import dsig as xmldsig
from sso_harness.protocols.xml.safe import parse_xml

__all__ = [
    "MD",
    "BINDING_REDIRECT",
    "BINDING_POST",
    "Endpoint",
    "IdpMetadata",
    "MetadataError",
    "idp_descriptor",
    "sp_descriptor",
    "parse_idp_metadata",
    "cert_b64",
    "to_xml",
]

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
BINDING_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
BINDING_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"


@dataclass(frozen=True)
class Endpoint:
    binding: str
    location: str


@dataclass(frozen=True)
class IdpMetadata:
    """What an SP takes from an uploaded IdP metadata document."""

    entity_id: str
    sso_url: str
    sso_binding: str
    slo_url: str | None
    certificates: tuple[x509.Certificate, ...]


class MetadataError(ValueError):
    """The document is not usable IdP metadata; the message says why."""


def cert_b64(cert: x509.Certificate) -> str:
    """DER base64 without line breaks, as KeyInfo and Entra's portal show it."""
    import base64

    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode("ascii")


def _md(parent: etree._Element, name: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{MD}}}{name}", attrib=attrs)


def _root(entity_id: str, descriptor_id: str | None) -> etree._Element:
    root = etree.Element(f"{{{MD}}}EntityDescriptor", nsmap={"md": MD, "ds": DS})
    if descriptor_id:
        root.set("ID", descriptor_id)
    root.set("entityID", entity_id)
    return root


def _keys(role: etree._Element, certificates: Sequence[x509.Certificate], use: str = "signing") -> None:
    for cert in certificates:
        kd = _md(role, "KeyDescriptor", use=use)
        info = etree.SubElement(kd, f"{{{DS}}}KeyInfo")
        data = etree.SubElement(info, f"{{{DS}}}X509Data")
        etree.SubElement(data, f"{{{DS}}}X509Certificate").text = cert_b64(cert)


def idp_descriptor(
    entity_id: str,
    *,
    sso: Sequence[Endpoint],
    slo: Sequence[Endpoint] = (),
    certificates: Sequence[x509.Certificate] = (),
    name_id_formats: Sequence[str] = (),
    want_authn_requests_signed: bool | None = None,
    descriptor_id: str | None = None,
) -> etree._Element:
    """An ``EntityDescriptor`` with one ``IDPSSODescriptor`` (metadata §2.4.3)."""
    root = _root(entity_id, descriptor_id)
    role = _md(root, "IDPSSODescriptor", protocolSupportEnumeration=PROTOCOL)
    if want_authn_requests_signed is not None:
        role.set("WantAuthnRequestsSigned", "true" if want_authn_requests_signed else "false")
    _keys(role, certificates)
    for ep in slo:
        _md(role, "SingleLogoutService", Binding=ep.binding, Location=ep.location)
    for fmt in name_id_formats:
        _md(role, "NameIDFormat").text = fmt
    for ep in sso:
        _md(role, "SingleSignOnService", Binding=ep.binding, Location=ep.location)
    return root


def sp_descriptor(
    entity_id: str,
    *,
    acs: Sequence[Endpoint],
    slo: Sequence[Endpoint] = (),
    certificates: Sequence[x509.Certificate] = (),
    name_id_formats: Sequence[str] = (),
    authn_requests_signed: bool = False,
    want_assertions_signed: bool = True,
) -> etree._Element:
    """An ``EntityDescriptor`` with one ``SPSSODescriptor`` (metadata §2.4.4)."""
    root = _root(entity_id, None)
    role = _md(
        root,
        "SPSSODescriptor",
        AuthnRequestsSigned="true" if authn_requests_signed else "false",
        WantAssertionsSigned="true" if want_assertions_signed else "false",
        protocolSupportEnumeration=PROTOCOL,
    )
    _keys(role, certificates)
    for ep in slo:
        _md(role, "SingleLogoutService", Binding=ep.binding, Location=ep.location)
    for fmt in name_id_formats:
        _md(role, "NameIDFormat").text = fmt
    for index, ep in enumerate(acs):
        _md(role, "AssertionConsumerService", Binding=ep.binding, Location=ep.location, index=str(index), isDefault="true" if index == 0 else "false")
    return root


def to_xml(root: etree._Element) -> str:
    return etree.tostring(root, encoding="unicode")


def parse_idp_metadata(xml: str | bytes) -> IdpMetadata:
    """Entity ID, SSO URL (Redirect preferred), SLO URL and signing certificates."""
    try:
        root = parse_xml(xml if isinstance(xml, bytes) else xml.encode(), where="IdP metadata")
    except DecodeError as exc:
        raise MetadataError(f"not readable XML: {exc}") from None
    entity = root if root.tag == f"{{{MD}}}EntityDescriptor" else root.find(f".//{{{MD}}}EntityDescriptor")
    if entity is None or not entity.get("entityID"):
        raise MetadataError("no EntityDescriptor with an entityID")
    role = entity.find(f"{{{MD}}}IDPSSODescriptor")
    if role is None:
        raise MetadataError(f"{entity.get('entityID')} has no IDPSSODescriptor (is this SP metadata?)")
    sso = {e.get("Binding"): e.get("Location") for e in role.findall(f"{{{MD}}}SingleSignOnService")}
    binding = BINDING_REDIRECT if sso.get(BINDING_REDIRECT) else BINDING_POST
    sso_url = sso.get(binding)
    if not sso_url:
        raise MetadataError("no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding")
    slo = role.find(f"{{{MD}}}SingleLogoutService")
    certs: list[x509.Certificate] = []
    for kd in role.findall(f"{{{MD}}}KeyDescriptor"):
        if kd.get("use") not in (None, "signing"):
            continue
        for el in kd.iter(f"{{{DS}}}X509Certificate"):
            try:
                certs.append(xmldsig.certificate_from_keyinfo_text(el.text or ""))
            except Exception as exc:  # a broken certificate is a metadata error, not a crash
                raise MetadataError(f"unreadable signing certificate: {exc}") from None
    if not certs:
        raise MetadataError("no signing certificate (KeyDescriptor use='signing')")
    return IdpMetadata(
        entity_id=entity.get("entityID", ""),
        sso_url=sso_url,
        sso_binding=binding,
        slo_url=slo.get("Location") if slo is not None else None,
        certificates=tuple(certs),
    )
