"""In-process enveloped XML-DSig signing for the harness's mock IdP/SP.

Produces signatures that xmlsec1 and every mainstream SAML stack accept:
enveloped signature, Exclusive C14N, one ``#id`` Reference (SAML core §5.4).
Two entry points: fill an existing template (:func:`sign_template`, the shape
pysaml2's ``pre_signature_part`` emits) or build and fill one
(:func:`sign_element`).  :func:`sign_statement_xml` mirrors the contract of
pysaml2's ``CryptoBackend.sign_statement`` so it can replace xmlsec1 there.
"""

from __future__ import annotations

from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree

from sso_harness.protocols.encoding import b64encode_text
from sso_harness.protocols.errors import DecodeError, SigningError
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.xml.dsig.algorithms import (
    DS_NS,
    ENVELOPED,
    EXC_C14N,
    RSA_SHA256,
    SHA256,
    SIGNATURE_METHODS,
)
from sso_harness.protocols.xml.dsig.keys import PrivateKey, sign_octets
from sso_harness.protocols.xml.dsig.reference import (
    ID_ATTRIBUTES,
    build_id_index,
    ds,
    plan_reference,
    read_signed_info,
    reference_digest,
    signed_info_octets,
)

__all__ = ["append_key_info", "sign_element", "sign_statement_xml", "sign_template"]

_SAML_ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion"


def append_key_info(parent: etree._Element, certificate: x509.Certificate) -> etree._Element:
    """Append ``ds:KeyInfo/ds:X509Data/ds:X509Certificate`` carrying
    ``certificate``'s DER (XML-DSig §4.5, §4.5.4) to ``parent``; return the
    KeyInfo.  It declares the ``ds`` prefix unless ``parent`` already has it in
    scope (lxml drops a redundant declaration), so it serves under a
    ``ds:Signature`` and an ``xenc:EncryptedKey`` alike."""
    key_info = etree.SubElement(parent, ds("KeyInfo"), nsmap={"ds": DS_NS})
    x509_data = etree.SubElement(key_info, ds("X509Data"))
    der = certificate.public_bytes(serialization.Encoding.DER)
    etree.SubElement(x509_data, ds("X509Certificate")).text = b64encode_text(der)
    return key_info


def sign_template(root: etree._Element, signature_el: etree._Element, private_key: PrivateKey) -> None:
    """Fill DigestValue(s) and SignatureValue of a ``ds:Signature`` template.

    The template's own SignatureMethod, DigestMethod, transforms and
    CanonicalizationMethod are honoured.  ``root`` is any element of the
    document (IDs are resolved document-wide and must be unique).  Digests
    are computed first, then SignedInfo is canonicalised in place and signed
    (XML-DSig §3.1).  Raises :class:`SigningError` for a malformed template,
    an unresolvable or ambiguous reference, or a key that does not match the
    SignatureMethod.
    """
    if signature_el.tag != ds("Signature"):
        raise SigningError(f"not a ds:Signature element: {signature_el.tag!r}")
    try:
        parts = read_signed_info(signature_el)
        method = SIGNATURE_METHODS.get(parts.signature_method or "")
        if method is None:
            raise SigningError(f"unsupported signature method {parts.signature_method!r}")
        if not parts.references:
            raise SigningError("template has no Reference")
        index = build_id_index(root)
        for reference in parts.references:
            plan = plan_reference(reference, signature_el, index)
            digest_el = reference.find(ds("DigestValue"))
            if digest_el is None:
                digest_el = etree.SubElement(reference, ds("DigestValue"))
            # Clear first: a stale value inside the signed subtree is harmless
            # (the enveloped transform removes the Signature) but confusing.
            digest_el.text = None
            digest_el.text = b64encode_text(reference_digest(plan, signature_el))
        value_el = signature_el.find(ds("SignatureValue"))
        if value_el is None:
            raise SigningError("template has no SignatureValue")
        value_el.text = b64encode_text(sign_octets(private_key, method, signed_info_octets(parts)))
    except DecodeError as exc:
        raise SigningError(f"cannot sign: {exc}") from None


def _element_id(element: etree._Element) -> str:
    for name in ID_ATTRIBUTES:
        value = element.get(name)
        if value:
            return value
    raise SigningError(f"element {etree.QName(element).localname} has no ID attribute to reference")


def _insert_position(element: etree._Element, position: str) -> int:
    if position == "first":
        return 0
    if position == "last":
        return len(element)
    if position == "after-issuer":
        # SAML core §5.4: the Signature follows saml:Issuer in both
        # Assertion and protocol messages (schema sequence order).
        for i, child in enumerate(element):
            if child.tag == f"{{{_SAML_ASSERTION_NS}}}Issuer":
                return i + 1
        return 0
    raise SigningError(f"unknown signature position {position!r}")


def sign_element(
    element: etree._Element,
    private_key: PrivateKey,
    certificate: x509.Certificate | None,
    *,
    signature_algorithm: str = RSA_SHA256,
    digest_algorithm: str = SHA256,
    position: Literal["after-issuer", "first", "last"] = "after-issuer",
) -> etree._Element:
    """Create an enveloped, Exclusive-C14N signature inside ``element`` and sign it.

    The Signature is inserted after the element's ``saml:Issuer`` child
    (``position="after-issuer"``, falling back to first child), and carries
    ``KeyInfo/X509Data/X509Certificate`` when ``certificate`` is given.
    Returns the new ``ds:Signature`` element; :class:`SigningError` on failure
    (in which case the element is left unchanged).
    """
    ref_id = _element_id(element)
    index = _insert_position(element, position)
    signature = etree.Element(ds("Signature"), nsmap={"ds": DS_NS})
    signed_info = etree.SubElement(signature, ds("SignedInfo"))
    etree.SubElement(signed_info, ds("CanonicalizationMethod"), Algorithm=EXC_C14N)
    etree.SubElement(signed_info, ds("SignatureMethod"), Algorithm=signature_algorithm)
    reference = etree.SubElement(signed_info, ds("Reference"), URI=f"#{ref_id}")
    transforms = etree.SubElement(reference, ds("Transforms"))
    etree.SubElement(transforms, ds("Transform"), Algorithm=ENVELOPED)
    etree.SubElement(transforms, ds("Transform"), Algorithm=EXC_C14N)
    etree.SubElement(reference, ds("DigestMethod"), Algorithm=digest_algorithm)
    etree.SubElement(reference, ds("DigestValue"))
    etree.SubElement(signature, ds("SignatureValue"))
    if certificate is not None:
        append_key_info(signature, certificate)
    element.insert(index, signature)
    try:
        sign_template(element, signature, private_key)
    except SigningError:
        element.remove(signature)
        raise
    return signature


def _split_node_name(node_name: str) -> tuple[str | None, str]:
    # pysaml2 passes "<namespace>:<local>", e.g.
    # "urn:oasis:names:tc:SAML:2.0:assertion:Assertion".
    namespace, sep, local = node_name.rpartition(":")
    return (namespace, local) if sep else (None, node_name)


def sign_statement_xml(xml: str, node_name: str, node_id: str | None, private_key: PrivateKey) -> str:
    """Sign the ``ds:Signature`` template of one element in a serialized document.

    Finds the element named ``node_name`` (``"namespace:LocalName"`` as
    pysaml2 passes it, or a bare local name) whose ``ID`` equals ``node_id``
    — or the first such element when ``node_id`` is None — fills its direct
    ``ds:Signature`` child with :func:`sign_template` and returns the whole
    document serialized without pretty-printing (and without an XML
    declaration).  Raises :class:`SigningError` (also for unparseable XML).
    """
    try:
        root = parse_xml(xml, where="statement")
    except DecodeError as exc:
        raise SigningError(f"cannot sign: {exc}") from None
    namespace, local = _split_node_name(node_name)
    tag = f"{{{namespace}}}{local}" if namespace else None

    def wanted(candidate: etree._Element) -> bool:
        named = candidate.tag == tag if tag else etree.QName(candidate).localname == local
        return named and (node_id is None or candidate.get("ID") == node_id)

    target = next((c for c in root.iter(etree.Element) if wanted(c)), None)
    if target is None:
        description = f"{node_name} with ID {node_id!r}" if node_id else node_name
        raise SigningError(f"no element {description} in the statement")
    templates = target.findall(ds("Signature"))
    if len(templates) != 1:
        raise SigningError(f"expected one ds:Signature template directly inside {local}, found {len(templates)}")
    sign_template(root, templates[0], private_key)
    return etree.tostring(root.getroottree(), encoding="unicode")
