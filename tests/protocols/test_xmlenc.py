"""XML Encryption round trips in every supported algorithm combination.

Encryption uses :mod:`sso_harness.protocols.xml.enc.encrypt` (real AES / RSA from
``cryptography``); decryption must return the very element encrypted.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from lxml import etree

from sso_harness.protocols import DecodeError
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.xml.enc.decrypt import decrypt_element, xenc
from sso_harness.protocols.xml.enc.algorithms import (
    AES128_CBC,
    AES128_GCM,
    AES192_CBC,
    AES192_GCM,
    AES256_CBC,
    AES256_GCM,
    MGF1_SHA256,
    MGF1_SHA512,
    RSA_1_5,
    RSA_OAEP,
    RSA_OAEP_MGF1P,
)
from sso_harness.protocols.xml.enc.encrypt import encrypt_assertion, encrypt_name_id
from .protocol_builders import SAML

KeyPair = tuple[rsa.RSAPrivateKey, x509.Certificate]

SHA256_URI = "http://www.w3.org/2001/04/xmlenc#sha256"
SHA512_URI = "http://www.w3.org/2001/04/xmlenc#sha512"

DATA = [AES128_CBC, AES192_CBC, AES256_CBC, AES128_GCM, AES192_GCM, AES256_GCM]
# (transport, DigestMethod, MGF)
TRANSPORTS = [
    (RSA_OAEP_MGF1P, None, None),
    (RSA_OAEP_MGF1P, SHA256_URI, None),
    (RSA_OAEP, None, None),
    (RSA_OAEP, SHA256_URI, MGF1_SHA256),
    (RSA_OAEP, SHA512_URI, MGF1_SHA512),
    (RSA_1_5, None, None),
]


@pytest.fixture()
def plain_assertion(response_xml: Callable[..., str]) -> Callable[..., bytes]:
    """A standalone Assertion (its namespace declarations copied in), as bytes."""

    def make(assertion_id: str = "_a1") -> bytes:
        root = parse_xml(response_xml(response_id="_r"), where="test")
        element = root.find(f"{{{SAML}}}Assertion")
        assert element is not None
        element.set("ID", assertion_id)
        return etree.tostring(element)

    return make


def _canonical(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n")


@pytest.mark.parametrize("placement", ["inline", "retrieval"])
@pytest.mark.parametrize(("transport", "digest", "mgf"), TRANSPORTS)
@pytest.mark.parametrize("data_algorithm", DATA)
def test_round_trip(
    data_algorithm: str, transport: str, digest: str | None, mgf: str | None, placement: str, sp_pair: KeyPair, plain_assertion: Callable[..., bytes]
) -> None:
    key, cert = sp_pair
    original = parse_xml(plain_assertion("_enc-1"), where="test")
    container = encrypt_assertion(
        original, cert, data_algorithm=data_algorithm, key_transport=transport, oaep_digest=digest, mgf=mgf,
        key_placement=placement,  # type: ignore[arg-type]
    )
    # What travels is serialised XML: parse it back like a receiver would.
    received = parse_xml(etree.tostring(container), where="test")
    data = received.find(xenc("EncryptedData"))
    assert data is not None
    if placement == "retrieval":
        assert received.find(xenc("EncryptedKey")) is not None
        assert data.find(".//{http://www.w3.org/2000/09/xmldsig#}RetrievalMethod") is not None
    else:
        assert data.find(".//" + xenc("EncryptedKey")) is not None
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    # The right key need not come first (SP key rollover: several keys at once).
    decrypted = decrypt_element(received, [other, key], where="EncryptedAssertion")
    assert _canonical(decrypted) == _canonical(original)
    assert b"alice@example.com" not in etree.tostring(received)


def test_wrong_key_is_a_typed_error(sp_pair: KeyPair, plain_assertion: Callable[..., bytes]) -> None:
    _, cert = sp_pair
    container = encrypt_assertion(plain_assertion(), cert)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(DecodeError) as caught:
        decrypt_element(container, [stranger], where="EncryptedAssertion")
    assert str(caught.value) == "EncryptedAssertion: no supplied SP key decrypts the EncryptedKey"
    with pytest.raises(DecodeError, match="no RSA SP private key supplied"):
        decrypt_element(container, [], where="EncryptedAssertion")


def test_rsa15_wrong_key_is_reported_without_crashing(sp_pair: KeyPair, plain_assertion: Callable[..., bytes]) -> None:
    _, cert = sp_pair
    container = encrypt_assertion(plain_assertion(), cert, key_transport=RSA_1_5, data_algorithm=AES128_CBC)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(DecodeError, match="no supplied SP key decrypts the EncryptedKey"):
        decrypt_element(container, [stranger], where="EncryptedAssertion")


def _cipher_value(container: etree._Element) -> etree._Element:
    value = container.find(f"{xenc('EncryptedData')}/{xenc('CipherData')}/{xenc('CipherValue')}")
    assert value is not None
    return value


def test_tampered_gcm_ciphertext_fails_authentication(sp_pair: KeyPair, plain_assertion: Callable[..., bytes]) -> None:
    key, cert = sp_pair
    container = encrypt_assertion(plain_assertion(), cert, data_algorithm=AES256_GCM)
    value = _cipher_value(container)
    raw = bytearray(base64.b64decode(value.text or ""))
    raw[20] ^= 1
    value.text = base64.b64encode(bytes(raw)).decode()
    with pytest.raises(DecodeError, match="aes256-gcm authentication tag does not match"):
        decrypt_element(container, [key], where="EncryptedAssertion")


def test_iso10126_padding_is_stripped_by_its_length_octet_only(sp_pair: KeyPair, plain_assertion: Callable[..., bytes]) -> None:
    # XML Encryption §5.2.1: padding octets are arbitrary (not PKCS#7); only
    # the last one counts.  Build such a ciphertext by hand.
    key, cert = sp_pair
    plain = plain_assertion("_pad")
    counter = iter(range(256))

    def fixed(n: int) -> bytes:
        return bytes((next(counter) * 37 + 11) % 256 for _ in range(n))

    container = encrypt_assertion(plain, cert, data_algorithm=AES128_CBC, random=fixed)
    decrypted = decrypt_element(container, [key], where="EncryptedAssertion")
    assert decrypted.get("ID") == "_pad"


def test_bad_padding_length_is_reported(sp_pair: KeyPair, plain_assertion: Callable[..., bytes]) -> None:
    key, cert = sp_pair
    content_key = bytes(range(16))
    container = encrypt_assertion(plain_assertion(), cert, data_algorithm=AES128_CBC, random=lambda n: content_key[:n])
    iv = content_key
    block = b"x" * 15 + b"\x00"  # padding length 0 is never valid
    encryptor = Cipher(algorithms.AES(content_key), modes.CBC(iv)).encryptor()
    _cipher_value(container).text = base64.b64encode(iv + encryptor.update(block) + encryptor.finalize()).decode()
    with pytest.raises(DecodeError, match="padding is invalid"):
        decrypt_element(container, [key], where="EncryptedAssertion")


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (lambda c: c.find(xenc("EncryptedData")).find(xenc("EncryptionMethod")).set("Algorithm", "urn:x:des"),
         "unsupported data encryption algorithm 'urn:x:des'"),
        (lambda c: c.find(".//" + xenc("EncryptedKey")).find(xenc("EncryptionMethod")).set("Algorithm", "urn:x:kt"),
         "unsupported key transport algorithm 'urn:x:kt'"),
        (lambda c: c.find(".//" + xenc("EncryptedKey")).getparent().remove(c.find(".//" + xenc("EncryptedKey"))),
         "no EncryptedKey found"),
        (lambda c: c.remove(c.find(xenc("EncryptedData"))), "expected one xenc:EncryptedData, found 0"),
        (lambda c: setattr(_cipher_value(c), "text", "!!"), "not valid base64"),
    ],
)
def test_structural_problems_are_explained(
    edit: Callable[[etree._Element], object], needle: str, sp_pair: KeyPair, plain_assertion: Callable[..., bytes]
) -> None:
    key, cert = sp_pair
    container = encrypt_assertion(plain_assertion(), cert)
    edit(container)
    with pytest.raises(DecodeError, match=needle.replace("(", r"\(")):
        decrypt_element(container, [key], where="EncryptedAssertion")


def test_retrieval_method_to_a_missing_key(sp_pair: KeyPair, plain_assertion: Callable[..., bytes]) -> None:
    key, cert = sp_pair
    container = encrypt_assertion(plain_assertion(), cert, key_placement="retrieval")
    retrieval = container.find(".//{http://www.w3.org/2000/09/xmldsig#}RetrievalMethod")
    assert retrieval is not None
    retrieval.set("URI", "#nowhere")
    with pytest.raises(DecodeError, match="RetrievalMethod points at '#nowhere'"):
        decrypt_element(container, [key], where="EncryptedAssertion")


def test_decrypted_plaintext_goes_through_the_safe_parser(sp_pair: KeyPair, plain_assertion: Callable[..., bytes]) -> None:
    key, cert = sp_pair
    hostile = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    container = encrypt_assertion(hostile, cert)
    with pytest.raises(DecodeError, match="DTD not allowed"):
        decrypt_element(container, [key], where="EncryptedAssertion")


def test_fragment_relying_on_outer_namespace_declarations(sp_pair: KeyPair, plain_assertion: Callable[..., bytes]) -> None:
    # SimpleSAMLphp encrypts an Assertion whose "saml:" prefix is declared on
    # the Response; decryption must parse it in that namespace context.
    key, cert = sp_pair
    fragment = b'<outer:NameID Format="urn:x">bob</outer:NameID>'  # "outer:" is declared only outside
    container = encrypt_name_id(fragment, cert)
    response = parse_xml(
        f'<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:outer="{SAML}"/>',
        where="test",
    )
    response.append(container)
    decrypted = decrypt_element(container, [key], where="EncryptedID")
    assert decrypted.tag == "{urn:oasis:names:tc:SAML:2.0:assertion}NameID" and decrypted.text == "bob"
