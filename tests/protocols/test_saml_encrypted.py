"""Encrypted SAML: every encrypted shared sample with its SP key, and
Responses we encrypt ourselves (inner signatures, EncryptedID, wrapping)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from sso_harness.protocols import (
    DecodeError,
    Response,
    decode_any,
    decode_post,
    encrypt_assertion,
    encrypt_name_id,
    parse_saml,
    to_json,
)
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.xml.dsig import load_private_key
from sso_harness.protocols.xml.enc.algorithms import AES128_CBC, AES256_CBC, AES256_GCM, RSA_OAEP
from .protocol_builders import SAML, sign, to_bytes

KeyPair = tuple[rsa.RSAPrivateKey, x509.Certificate]

# sample, capture time, expected verdicts after decryption (README truth), NameID
ENCRYPTED = [
    ("okta_signed_response_encrypted_assertion", datetime(2020, 3, 3, 19, 24, 28, tzinfo=UTC), {"Response": True}),
    ("okta_encrypted_signed_assertion", datetime(2020, 3, 3, 19, 31, 55, tzinfo=UTC), {"Assertion": True}),
    (
        "okta_encrypted_assertion_both_signed",
        datetime(2020, 3, 3, 19, 40, 54, tzinfo=UTC),
        {"Response": True, "Assertion": True},
    ),
    (
        "simplesamlphp_python3saml_signed_msg_encrypted_assertion",
        datetime(2014, 3, 30, 20, 47, 31, tzinfo=UTC),
        {"Response": True},
    ),
]


def _sp_key(samples_dir: Path, name: str) -> rsa.RSAPrivateKey:
    key = load_private_key((samples_dir / "keys" / f"{name}.sp-key.pem").read_bytes())
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


@pytest.mark.parametrize(("name", "captured", "verdicts"), ENCRYPTED, ids=[e[0] for e in ENCRYPTED])
def test_every_encrypted_sample_decrypts_and_verifies(
    name: str,
    captured: datetime,
    verdicts: dict[str, bool],
    samples_dir: Path,
    sample_xml: Callable[[str], bytes],
    sample_certs: Callable[[str | None], list[x509.Certificate]],
) -> None:
    certs = sample_certs(f"{name}.idp-cert.pem")
    response = parse_saml(
        sample_xml(f"{name}.xml.b64"), trusted_certs=certs, sp_keys=[_sp_key(samples_dir, name)], now=captured
    )
    assert isinstance(response, Response)
    assert response.encrypted is True and response.decrypted is True
    assert {c.covers: c.valid for c in response.signatures} == verdicts
    assert response.trusted is True
    assertion = response.assertion
    assert assertion is not None and assertion.name_id is not None and assertion.name_id.value
    assert assertion.signed is verdicts.get("Assertion", False)
    fingerprint = certs[0].fingerprint(hashes.SHA256()).hex()
    assert all(c.certificate_sha256 == fingerprint for c in response.signatures)
    # Decrypted means readable: no decryption complaint, and the view says so.
    assert not any("EncryptedAssertion" in e for e in response.errors)
    view = to_json(response)
    assert view["encrypted"] is True and view["decrypted"] is True and view["assertion_id"] == assertion.id


def test_okta_inner_signature_is_checked_after_decryption(
    samples_dir: Path, sample_xml: Callable[[str], bytes], sample_certs: Callable[[str | None], list[x509.Certificate]]
) -> None:
    name = "okta_encrypted_signed_assertion"
    certs = sample_certs(f"{name}.idp-cert.pem")
    xml = sample_xml(f"{name}.xml.b64")
    without_key = parse_saml(xml, trusted_certs=certs)
    assert isinstance(without_key, Response)
    assert without_key.trusted is False and without_key.decrypted is False and without_key.signatures == ()
    assert "EncryptedAssertion not decrypted: no SP private key supplied (sp_keys)" in without_key.warnings
    with_key = parse_saml(xml, trusted_certs=certs, sp_keys=[_sp_key(samples_dir, name)])
    assert isinstance(with_key, Response) and with_key.trusted
    (check,) = with_key.signatures
    assert check.covers == "Assertion" and check.valid and check.element is not None
    assert with_key.assertion is not None and check.covers_id == with_key.assertion.id
    # A wrong IdP certificate: decrypted fine, but nothing trusted.
    wrong = sample_certs("onelogin_crewjam_2016.idp-cert.pem")
    untrusted = parse_saml(xml, trusted_certs=wrong, sp_keys=[_sp_key(samples_dir, name)])
    assert isinstance(untrusted, Response) and untrusted.decrypted and not untrusted.trusted


def test_wrong_sp_key_is_reported_not_raised(
    sample_xml: Callable[[str], bytes], sample_certs: Callable[[str | None], list[x509.Certificate]]
) -> None:
    name = "okta_signed_response_encrypted_assertion"
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = parse_saml(
        sample_xml(f"{name}.xml.b64"), trusted_certs=sample_certs(f"{name}.idp-cert.pem"), sp_keys=[stranger]
    )
    assert isinstance(response, Response)
    assert response.decrypted is False and response.assertion is None
    assert "EncryptedAssertion: no supplied SP key decrypts the EncryptedKey" in response.errors
    # The Response signature was verified on the encrypted document regardless.
    assert response.trusted is True


def test_encrypted_sample_through_the_post_binding(
    samples_dir: Path, sample_raw: Callable[[str], bytes], sample_certs: Callable[[str | None], list[x509.Certificate]]
) -> None:
    name = "okta_encrypted_assertion_both_signed"
    form = {"SAMLResponse": sample_raw(f"{name}.xml.b64").decode(), "RelayState": "r"}
    message = decode_post(form, trusted_certs=sample_certs(f"{name}.idp-cert.pem"), sp_keys=[_sp_key(samples_dir, name)])
    assert message.trusted and isinstance(message.message, Response) and message.message.decrypted
    again = decode_any(sample_raw(f"{name}.xml.b64"), sp_keys=[_sp_key(samples_dir, name)])
    assert isinstance(again, Response) and again.decrypted


@pytest.mark.parametrize("data_algorithm", [AES128_CBC, AES256_CBC, AES256_GCM])
@pytest.mark.parametrize("placement", ["inline", "retrieval"])
def test_signed_then_encrypted_assertion_round_trip(
    data_algorithm: str,
    placement: str,
    rsa_pair: KeyPair,
    sp_pair: KeyPair,
    response_xml: Callable[..., str],
) -> None:
    idp_key, idp_cert = rsa_pair
    sp_key, sp_cert = sp_pair
    root = parse_xml(response_xml(), where="test")
    assertion = root.find(f"{{{SAML}}}Assertion")
    assert assertion is not None
    sign(assertion, idp_key, idp_cert)  # SAML core §6.1: sign, then encrypt
    encrypted = encrypt_assertion(assertion, sp_cert, data_algorithm=data_algorithm, key_placement=placement)  # type: ignore[arg-type]
    root.replace(assertion, encrypted)
    xml = to_bytes(root)
    assert b"alice@example.com" not in xml
    response = parse_saml(xml, trusted_certs=[idp_cert], sp_keys=[sp_key])
    assert isinstance(response, Response)
    assert response.trusted and response.decrypted and response.encrypted
    assert response.assertion is not None and response.assertion.signed
    assert response.assertion.name_id is not None and response.assertion.name_id.value == "alice@example.com"
    assert response.assertion.attributes["groups"] == ("admins", "users")


def test_encrypted_name_id_inside_an_assertion(
    rsa_pair: KeyPair, sp_pair: KeyPair, response_xml: Callable[..., str]
) -> None:
    idp_key, idp_cert = rsa_pair
    sp_key, sp_cert = sp_pair
    root = parse_xml(response_xml(), where="test")
    name_id = root.find(f".//{{{SAML}}}NameID")
    assert name_id is not None
    name_id.getparent().replace(name_id, encrypt_name_id(name_id, sp_cert, key_transport=RSA_OAEP))  # type: ignore[union-attr]
    sign(root, idp_key, idp_cert)
    xml = to_bytes(root)
    response = parse_saml(xml, trusted_certs=[idp_cert], sp_keys=[sp_key])
    assert isinstance(response, Response) and response.trusted
    assert response.assertion is not None and response.assertion.name_id_encrypted
    assert response.assertion.name_id is not None and response.assertion.name_id.value == "alice@example.com"
    # Without the SP key the NameID stays unknown, and a warning says why.
    blind = parse_saml(xml, trusted_certs=[idp_cert])
    assert isinstance(blind, Response) and blind.assertion is not None and blind.assertion.name_id is None
    assert "EncryptedID not decrypted: no SP private key supplied (sp_keys)" in blind.warnings
    assert to_json(blind)["name_id_encrypted"] is True


def test_signed_encrypted_assertion_after_an_unsigned_plain_one_is_not_trusted(
    rsa_pair: KeyPair, sp_pair: KeyPair, response_xml: Callable[..., str]
) -> None:
    # Wrapping across encryption: the signed assertion is genuine but an SP
    # consumes the first one, which nothing signs.
    idp_key, idp_cert = rsa_pair
    sp_key, sp_cert = sp_pair
    root = parse_xml(response_xml(), where="test")
    genuine = root.find(f"{{{SAML}}}Assertion")
    assert genuine is not None
    forged = etree.fromstring(etree.tostring(genuine))
    forged.set("ID", "_forged")
    sign(genuine, idp_key, idp_cert)
    root.replace(genuine, encrypt_assertion(genuine, sp_cert))
    root.insert(2, forged)
    response = parse_saml(to_bytes(root), trusted_certs=[idp_cert], sp_keys=[sp_key])
    assert isinstance(response, Response)
    assert [a.id for a in response.assertions] == ["_forged", "_a1"]
    assert response.trusted is False and response.assertions[1].signed is True
    assert any("possible signature wrapping" in e for e in response.errors)


def test_inner_signature_cannot_reach_outside_the_decrypted_element(
    rsa_pair: KeyPair, sp_pair: KeyPair, response_xml: Callable[..., str]
) -> None:
    # An encrypted Signature whose Reference names the *Response* ID must not
    # lend trust to the Response: it only sees what was decrypted with it.
    idp_key, idp_cert = rsa_pair
    sp_key, sp_cert = sp_pair
    root = parse_xml(response_xml(), where="test")
    assertion = root.find(f"{{{SAML}}}Assertion")
    assert assertion is not None
    sign(assertion, idp_key, idp_cert)
    reference = assertion.find(".//{http://www.w3.org/2000/09/xmldsig#}Reference")
    assert reference is not None
    reference.set("URI", "#_r1")
    root.replace(assertion, encrypt_assertion(assertion, sp_cert))
    response = parse_saml(to_bytes(root), trusted_certs=[idp_cert], sp_keys=[sp_key])
    assert isinstance(response, Response) and response.trusted is False
    assert response.signatures[0].reason == "reference ID '_r1' not found"


def test_garbage_in_an_encrypted_assertion_is_a_decode_error_or_reported(sp_pair: KeyPair) -> None:
    sp_key, _ = sp_pair
    xml = (
        b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        b'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r">'
        b"<samlp:Status><samlp:StatusCode Value='urn:oasis:names:tc:SAML:2.0:status:Success'/></samlp:Status>"
        b"<saml:EncryptedAssertion><junk/></saml:EncryptedAssertion></samlp:Response>"
    )
    response = parse_saml(xml, sp_keys=[sp_key])
    assert isinstance(response, Response) and response.decrypted is False
    assert "EncryptedAssertion: expected one xenc:EncryptedData, found 0" in response.errors
    with pytest.raises(DecodeError, match="sp_keys must be"):
        parse_saml(xml, sp_keys=["not a key"])  # type: ignore[list-item]
