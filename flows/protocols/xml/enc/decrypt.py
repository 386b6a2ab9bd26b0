"""In-process XML Encryption decryption (XML Encryption 1.0/1.1 §4.2–§4.4).

What SAML needs (SAML core §2.2.4, §2.3.4, §6): an ``EncryptedAssertion``
or ``EncryptedID`` holds one ``xenc:EncryptedData`` whose content key is
transported by an ``xenc:EncryptedKey`` for the SP.  The EncryptedKey is
found either

* inline in ``EncryptedData/ds:KeyInfo`` (possibly one per recipient), or
* as a sibling of the EncryptedData inside the container, named by
  ``ds:KeyInfo/ds:RetrievalMethod`` (``URI="#id"``, ``Type=…#EncryptedKey``,
  XML Encryption §3.5.1), or — when KeyInfo names nothing usable — by the
  sibling's ``ReferenceList/DataReference`` or simply by being the only one.

Every supplied SP key is tried against every candidate EncryptedKey; the
first combination that yields a well-formed plaintext wins.  Plaintext is
parsed only through :func:`sso_harness.protocols.xml.safe.parse_xml` (no DTD, no
entities), wrapped in an element that declares the namespaces in scope at
the container, so a fragment that relies on an outer ``xmlns:saml`` still
parses.  The decrypted element lives in its own small document: signatures
inside it can only reference what was decrypted with it.

Contract: the functions here return a value or raise :class:`DecodeError`
whose ``where`` names the container and whose reason says what failed
(``"no supplied SP key decrypts the EncryptedKey"``, ``"unsupported data
encryption algorithm …"``, ``"aes256-gcm authentication tag does not
match"``…).  Never any other exception.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from sso_harness.protocols.encoding import b64decode_lenient
from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.xml.text import child_elements, text_content
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.xml.dsig.keys import PrivateKey
from sso_harness.protocols.xml.dsig.reference import ds
from sso_harness.protocols.xml.enc.algorithms import (
    BLOCK_CIPHERS,
    KEY_TRANSPORTS,
    MGF1_SHA1,
    MGFS,
    OAEP_DIGESTS,
    RSA_OAEP,
    TYPE_ENCRYPTED_KEY,
    XMLENC11_NS,
    XMLENC_NS,
    BlockCipher,
)
from sso_harness.protocols.xml.enc.cipher import TransportParams, decrypt_block, unwrap_key

__all__ = ["MAX_ENCRYPTED_KEYS", "decrypt_element", "decrypt_encrypted_data", "read_transport", "xenc"]

T = TypeVar("T")

# A real EncryptedData has one EncryptedKey per recipient: a handful at most.
MAX_ENCRYPTED_KEYS = 8
_DECLARATION = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<\?xml\b[^>]*\?>")
NO_KEY_OPENS = "no supplied SP key decrypts the EncryptedKey"


def xenc(local: str) -> str:
    """Clark tag in the XML Encryption 1.0 namespace."""
    return f"{{{XMLENC_NS}}}{local}"


def _cipher_value(parent: etree._Element, where: str) -> bytes:
    data = parent.find(xenc("CipherData"))
    if data is None:
        raise DecodeError("no CipherData", where=where)
    if data.find(xenc("CipherReference")) is not None:
        raise DecodeError("CipherReference (detached ciphertext) is not supported", where=where)
    value = data.find(xenc("CipherValue"))
    if value is None:
        raise DecodeError("no CipherValue", where=where)
    return b64decode_lenient(text_content(value), where=f"{where}/CipherValue")


def read_transport(encrypted_key: etree._Element) -> TransportParams:
    """The key-transport parameters of an ``xenc:EncryptedKey``.

    ``rsa-oaep-mgf1p`` always uses MGF1-SHA1; ``xmlenc11#rsa-oaep`` reads
    ``xenc11:MGF``.  Both read an optional ``ds:DigestMethod`` (default
    SHA-1) and ``xenc:OAEPparams`` (the OAEP label).  DecodeError for
    anything unsupported.
    """
    where = "EncryptedKey/EncryptionMethod"
    method = encrypted_key.find(xenc("EncryptionMethod"))
    uri = "" if method is None else method.get("Algorithm", "")
    transport = KEY_TRANSPORTS.get(uri)
    if transport is None or method is None:
        raise DecodeError(f"unsupported key transport algorithm {uri!r}", where=where)
    if transport.padding == "pkcs1v15":
        return TransportParams(transport)
    digest_el = method.find(ds("DigestMethod"))
    digest_uri = "http://www.w3.org/2000/09/xmldsig#sha1" if digest_el is None else digest_el.get("Algorithm", "")
    digest = OAEP_DIGESTS.get(digest_uri)
    if digest is None:
        raise DecodeError(f"unsupported OAEP digest {digest_uri!r}", where=where)
    mgf_uri = MGF1_SHA1
    if uri == RSA_OAEP:
        mgf_el = method.find(f"{{{XMLENC11_NS}}}MGF")
        mgf_uri = MGF1_SHA1 if mgf_el is None else mgf_el.get("Algorithm", "")
    mgf = MGFS.get(mgf_uri)
    if mgf is None:
        raise DecodeError(f"unsupported OAEP mask generation function {mgf_uri!r}", where=where)
    params_el = method.find(xenc("OAEPparams"))
    label = None
    if params_el is not None and (params_el.text or "").strip():
        label = b64decode_lenient(params_el.text or "", where=f"{where}/OAEPparams")
    return TransportParams(transport, digest=digest, mgf_digest=mgf, label=label)


def _references(encrypted_key: etree._Element, data_id: str | None) -> bool:
    if not data_id:
        return False
    refs = encrypted_key.find(xenc("ReferenceList"))
    return refs is not None and any(r.get("URI") == f"#{data_id}" for r in refs.findall(xenc("DataReference")))


def _candidate_keys(encrypted_data: etree._Element, siblings: Sequence[etree._Element], where: str) -> list[etree._Element]:
    key_info = encrypted_data.find(ds("KeyInfo"))
    found: list[etree._Element] = [] if key_info is None else list(key_info.findall(xenc("EncryptedKey")))
    retrievals = [] if key_info is None else key_info.findall(ds("RetrievalMethod"))
    sibling_keys = [s for s in siblings if s.tag == xenc("EncryptedKey")]
    for retrieval in retrievals:
        uri = retrieval.get("URI") or ""
        kind = retrieval.get("Type")
        if kind not in (None, TYPE_ENCRYPTED_KEY):
            continue
        matches = [k for k in sibling_keys if uri.startswith("#") and k.get("Id") == uri[1:]]
        if not matches:
            raise DecodeError(f"RetrievalMethod points at {uri!r}, which is no EncryptedKey next to the EncryptedData", where=where)
        found += matches
    if not found:
        # No usable pointer: fall back on siblings that say they belong here,
        # then on any sibling (Shibboleth and ADFS place them without a pointer).
        data_id = encrypted_data.get("Id")
        found = [k for k in sibling_keys if _references(k, data_id)] or sibling_keys
    if not found:
        raise DecodeError(
            "no EncryptedKey found (neither inline in KeyInfo nor referenced by RetrievalMethod)", where=where
        )
    return found[:MAX_ENCRYPTED_KEYS]


def _data_cipher(encrypted_data: etree._Element, where: str) -> BlockCipher:
    method = encrypted_data.find(xenc("EncryptionMethod"))
    uri = "" if method is None else method.get("Algorithm", "")
    cipher = BLOCK_CIPHERS.get(uri)
    if cipher is None:
        raise DecodeError(f"unsupported data encryption algorithm {uri!r}", where=where)
    return cipher


def decrypt_encrypted_data(
    encrypted_data: etree._Element,
    sp_keys: Sequence[PrivateKey],
    *,
    siblings: Sequence[etree._Element] = (),
    accept: Callable[[bytes], T],
    where: str = "EncryptedData",
) -> T:
    """Decrypt one ``xenc:EncryptedData`` and return ``accept(plaintext)``.

    ``siblings`` are the elements next to it in its container (where a
    RetrievalMethod may point).  ``accept`` turns plaintext into the
    caller's value and raises :class:`DecodeError` when it is not what was
    expected; that also rejects a wrong key that PKCS#1 v1.5 implicit
    rejection let through, so the next key is tried.
    """
    rsa_keys = [k for k in sp_keys if isinstance(k, rsa.RSAPrivateKey)]
    if not rsa_keys:
        raise DecodeError("no RSA SP private key supplied, so nothing can be decrypted", where=where)
    cipher = _data_cipher(encrypted_data, where)
    ciphertext = _cipher_value(encrypted_data, where)
    later_problem: DecodeError | None = None
    blind = False  # rsa-1_5 "opened" a key: maybe only by implicit rejection
    transport_problem: DecodeError | None = None
    for encrypted_key in _candidate_keys(encrypted_data, siblings, where):
        try:
            params = read_transport(encrypted_key)
            wrapped = _cipher_value(encrypted_key, "EncryptedKey")
        except DecodeError as problem:
            transport_problem = problem
            continue
        for private_key in rsa_keys:
            content_key = unwrap_key(private_key, params, wrapped)
            if content_key is None or len(content_key) != cipher.key_bytes:
                continue
            try:
                return accept(decrypt_block(cipher, content_key, ciphertext, where=where))
            except DecodeError as problem:
                later_problem = problem
                blind = blind or params.transport.padding == "pkcs1v15"
    if later_problem is not None and blind:
        raise DecodeError(
            f"{NO_KEY_OPENS}, or the content is damaged (rsa-1_5 cannot tell which): {later_problem.reason}",
            where=where,
        )
    if later_problem is not None:
        raise DecodeError(f"the EncryptedKey opened but the content did not: {later_problem.reason}", where=where)
    if transport_problem is not None:
        raise transport_problem.within(where)
    raise DecodeError(NO_KEY_OPENS, where=where)


def _quote(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _wrapper(context: etree._Element) -> tuple[bytes, bytes]:
    declarations = []
    for prefix, uri in context.nsmap.items():
        name = "xmlns" if prefix is None else f"xmlns:{prefix}"
        declarations.append(f' {name}="{_quote(uri)}"')
    return f"<decrypted{''.join(declarations)}>".encode(), b"</decrypted>"


def _single_element(plain: bytes, context: etree._Element, where: str) -> etree._Element:
    body = _DECLARATION.sub(b"", plain, count=1)
    start, end = _wrapper(context)
    wrapper = parse_xml(start + body + end, where=f"{where}/plaintext")
    elements = child_elements(wrapper)
    if len(elements) != 1:
        raise DecodeError(f"decrypted content holds {len(elements)} elements, expected exactly one", where=where)
    return elements[0]


def decrypt_element(container: etree._Element, sp_keys: Sequence[PrivateKey], *, where: str) -> etree._Element:
    """Decrypt a SAML ``EncryptedElementType`` (SAML core §2.2.4) in place of
    reading it: ``container`` is ``EncryptedAssertion``, ``EncryptedID`` or
    ``EncryptedAttribute``.  Returns the single decrypted element (in a new
    document); raises :class:`DecodeError` naming ``where``."""
    data_elements = container.findall(xenc("EncryptedData"))
    if len(data_elements) != 1:
        raise DecodeError(f"expected one xenc:EncryptedData, found {len(data_elements)}", where=where)
    encrypted_data = data_elements[0]
    siblings = [child for child in container if child is not encrypted_data]
    return decrypt_encrypted_data(
        encrypted_data,
        sp_keys,
        siblings=siblings,
        accept=lambda plain: _single_element(plain, container, where),
        where=where,
    )
