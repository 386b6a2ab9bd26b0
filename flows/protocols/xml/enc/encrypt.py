"""XML Encryption of SAML elements, for tests and the mock IdP.

The inverse of :mod:`sso_harness.protocols.xml.enc.decrypt`: produces the shapes real IdPs
send (SAML core §2.2.4 EncryptedElementType; XML Encryption §3):

* ``inline`` — the ``xenc:EncryptedKey`` sits in ``EncryptedData/ds:KeyInfo``
  (SimpleSAMLphp, pysaml2);
* ``retrieval`` — the EncryptedKey is a sibling of the EncryptedData inside
  the container, pointed at by ``ds:RetrievalMethod`` (Okta, Shibboleth),
  and points back with ``ReferenceList/DataReference``.

Randomness (content key, IV, CBC padding) and the Id source are injectable
so tests can pin what they need; RSA-OAEP adds its own randomness, so the
ciphertext is never reproducible — only the decrypted view is.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Literal, TypedDict, Unpack

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from sso_harness.protocols.encoding import b64encode_text
from sso_harness.protocols.errors import SigningError
from sso_harness.protocols.xml.dsig.algorithms import DS_NS
from sso_harness.protocols.xml.dsig.reference import ds
from sso_harness.protocols.xml.dsig.sign import append_key_info
from sso_harness.protocols.xml.enc.algorithms import (
    AES256_GCM,
    BLOCK_CIPHERS,
    KEY_TRANSPORTS,
    MGF1_SHA1,
    MGFS,
    OAEP_DIGESTS,
    RSA_OAEP,
    RSA_OAEP_MGF1P,
    TYPE_ELEMENT,
    TYPE_ENCRYPTED_KEY,
    XMLENC11_NS,
    XMLENC_NS,
)
from sso_harness.protocols.xml.enc.cipher import TransportParams, encrypt_block, wrap_key
from sso_harness.protocols.xml.enc.decrypt import xenc

__all__ = ["EncryptionOptions", "KeyPlacement", "encrypt_assertion", "encrypt_element", "encrypt_name_id"]

KeyPlacement = Literal["inline", "retrieval"]
_SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion"
_SHA1_URI = "http://www.w3.org/2000/09/xmldsig#sha1"


def _random_id(random: Callable[[int], bytes]) -> str:
    return "_" + random(16).hex()


def _transport(uri: str, oaep_digest: str | None, mgf: str | None) -> TransportParams:
    transport = KEY_TRANSPORTS.get(uri)
    if transport is None:
        raise SigningError(f"unsupported key transport algorithm {uri!r}")
    if transport.padding == "pkcs1v15":
        return TransportParams(transport)
    digest = OAEP_DIGESTS.get(oaep_digest or _SHA1_URI)
    mgf_digest = MGFS.get(mgf or MGF1_SHA1) if uri == RSA_OAEP else hashes.SHA1
    if digest is None or mgf_digest is None:
        raise SigningError(f"unsupported OAEP parameters digest={oaep_digest!r} mgf={mgf!r}")
    return TransportParams(transport, digest=digest, mgf_digest=mgf_digest)


def _encrypted_key(
    wrapped: bytes,
    key_transport: str,
    oaep_digest: str | None,
    mgf: str | None,
    certificate: x509.Certificate | None,
) -> etree._Element:
    encrypted_key = etree.Element(xenc("EncryptedKey"), nsmap={"xenc": XMLENC_NS})
    method = etree.SubElement(encrypted_key, xenc("EncryptionMethod"), Algorithm=key_transport)
    if key_transport in (RSA_OAEP_MGF1P, RSA_OAEP) and oaep_digest is not None:
        etree.SubElement(method, ds("DigestMethod"), nsmap={"ds": DS_NS}, Algorithm=oaep_digest)
    if key_transport == RSA_OAEP and mgf is not None:
        etree.SubElement(method, f"{{{XMLENC11_NS}}}MGF", nsmap={"xenc11": XMLENC11_NS}, Algorithm=mgf)
    if certificate is not None:
        append_key_info(encrypted_key, certificate)
    cipher_data = etree.SubElement(encrypted_key, xenc("CipherData"))
    etree.SubElement(cipher_data, xenc("CipherValue")).text = b64encode_text(wrapped)
    return encrypted_key


def encrypt_element(
    element: etree._Element | bytes | str,
    recipient: x509.Certificate | rsa.RSAPublicKey,
    *,
    container: str,
    data_algorithm: str = AES256_GCM,
    key_transport: str = RSA_OAEP_MGF1P,
    oaep_digest: str | None = None,
    mgf: str | None = None,
    key_placement: KeyPlacement = "inline",
    random: Callable[[int], bytes] = os.urandom,
    new_id: Callable[[], str] | None = None,
) -> etree._Element:
    """Encrypt ``element`` for ``recipient`` into a new ``container`` element.

    ``container`` is a Clark tag (``{urn:…:assertion}EncryptedAssertion``).
    ``oaep_digest`` / ``mgf`` are written only when given (their absence
    means SHA-1, XML Encryption §5.4.2).  Raises :class:`SigningError` for
    unsupported algorithms or a non-RSA recipient.
    """
    cipher = BLOCK_CIPHERS.get(data_algorithm)
    if cipher is None:
        raise SigningError(f"unsupported data encryption algorithm {data_algorithm!r}")
    certificate = recipient if isinstance(recipient, x509.Certificate) else None
    public_key = recipient.public_key() if isinstance(recipient, x509.Certificate) else recipient
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise SigningError("key transport needs an RSA public key")
    if isinstance(element, bytes):
        plain = element
    elif isinstance(element, str):
        plain = element.encode("utf-8")
    else:
        plain = etree.tostring(element)
    make_id = new_id or (lambda: _random_id(random))

    content_key = random(cipher.key_bytes)
    wrapped = wrap_key(public_key, _transport(key_transport, oaep_digest, mgf), content_key)
    encrypted_key = _encrypted_key(wrapped, key_transport, oaep_digest, mgf, certificate)

    outer = etree.Element(container, nsmap={"saml": _SAML_NS})
    data_id = make_id()
    data = etree.SubElement(outer, xenc("EncryptedData"), nsmap={"xenc": XMLENC_NS}, Id=data_id, Type=TYPE_ELEMENT)
    etree.SubElement(data, xenc("EncryptionMethod"), Algorithm=data_algorithm)
    key_info = etree.SubElement(data, ds("KeyInfo"), nsmap={"ds": DS_NS})
    if key_placement == "inline":
        key_info.append(encrypted_key)
    elif key_placement == "retrieval":
        key_id = make_id()
        encrypted_key.set("Id", key_id)
        references = etree.SubElement(encrypted_key, xenc("ReferenceList"))
        etree.SubElement(references, xenc("DataReference"), URI=f"#{data_id}")
        etree.SubElement(key_info, ds("RetrievalMethod"), Type=TYPE_ENCRYPTED_KEY, URI=f"#{key_id}")
        outer.append(encrypted_key)
    else:
        raise SigningError(f"unknown key placement {key_placement!r}")
    cipher_data = etree.SubElement(data, xenc("CipherData"))
    etree.SubElement(cipher_data, xenc("CipherValue")).text = b64encode_text(encrypt_block(cipher, content_key, plain, random=random))
    return outer


class EncryptionOptions(TypedDict, total=False):
    """The keyword options of :func:`encrypt_element` but ``container``; one
    left out takes :func:`encrypt_element`'s default."""

    data_algorithm: str
    key_transport: str
    oaep_digest: str | None
    mgf: str | None
    key_placement: KeyPlacement
    random: Callable[[int], bytes]
    new_id: Callable[[], str] | None


def encrypt_assertion(
    assertion: etree._Element | bytes | str,
    recipient: x509.Certificate | rsa.RSAPublicKey,
    **options: Unpack[EncryptionOptions],
) -> etree._Element:
    """A ``saml:EncryptedAssertion`` holding ``assertion`` (sign it first if
    it should carry its own signature: SAML core §6.1 signs, then encrypts).
    See :func:`encrypt_element` for the options and their defaults."""
    # Forwarded, not restated, so the defaults stand in one place.
    return encrypt_element(assertion, recipient, container=f"{{{_SAML_NS}}}EncryptedAssertion", **options)


def encrypt_name_id(
    name_id: etree._Element | bytes | str,
    recipient: x509.Certificate | rsa.RSAPublicKey,
    *,
    data_algorithm: str = AES256_GCM,
    key_transport: str = RSA_OAEP_MGF1P,
    key_placement: KeyPlacement = "inline",
    random: Callable[[int], bytes] = os.urandom,
) -> etree._Element:
    """A ``saml:EncryptedID`` holding a ``saml:NameID`` (SAML core §2.2.4)."""
    return encrypt_element(
        name_id,
        recipient,
        container=f"{{{_SAML_NS}}}EncryptedID",
        data_algorithm=data_algorithm,
        key_transport=key_transport,
        key_placement=key_placement,
        random=random,
    )
