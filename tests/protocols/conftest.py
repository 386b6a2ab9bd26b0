"""Shared fixtures for the protocol decoder tests.

Samples are read in place from the shared, verified test-vector directory:
``$SSO_HARNESS_SAMPLES``, ``<repo>/../shared/samples/saml`` or ``/work/shared/samples/saml``.  Tests that
need them are skipped when it is absent.  Keys and certificates for signing
tests are generated here with ``cryptography`` — nothing secret is stored.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from sso_harness.protocols.xml.dsig.keys import PrivateKey, load_certificates

REPO = Path(__file__).resolve().parents[2]


def _self_signed(key: PrivateKey, common_name: str) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )


KeyPair = tuple[PrivateKey, x509.Certificate]


@pytest.fixture(scope="session")
def rsa_pair() -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key, _self_signed(key, "test-idp-rsa.example")


@pytest.fixture(scope="session")
def other_rsa_pair() -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key, _self_signed(key, "attacker.example")


@pytest.fixture(scope="session")
def sp_pair() -> KeyPair:
    """The SP's encryption key pair (what an IdP encrypts assertions to)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key, _self_signed(key, "test-sp-encryption.example")


@pytest.fixture(scope="session")
def ec_pair() -> KeyPair:
    key = ec.generate_private_key(ec.SECP256R1())
    return key, _self_signed(key, "test-idp-ec.example")


@pytest.fixture(scope="session")
def ec384_pair() -> KeyPair:
    key = ec.generate_private_key(ec.SECP384R1())
    return key, _self_signed(key, "test-idp-ec384.example")


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def key_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@pytest.fixture(scope="session")
def pem() -> Callable[[x509.Certificate], bytes]:
    return cert_pem


@pytest.fixture(scope="session")
def private_pem() -> Callable[[PrivateKey], bytes]:
    return key_pem


RESPONSE_TEMPLATE = """<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" \
xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{response_id}" Version="2.0" \
IssueInstant="2024-05-01T10:00:00Z" Destination="https://sp.example/acs" InResponseTo="req-1">\
<saml:Issuer>https://idp.example/</saml:Issuer>\
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>\
{assertion}</samlp:Response>"""

ASSERTION_TEMPLATE = """<saml:Assertion xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="{assertion_id}" Version="2.0" \
IssueInstant="2024-05-01T10:00:00Z">
  <saml:Issuer>https://idp.example/</saml:Issuer>
  <saml:Subject>
    <saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{name_id}</saml:NameID>
    <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
      <saml:SubjectConfirmationData InResponseTo="req-1" NotOnOrAfter="2024-05-01T10:05:00Z" \
Recipient="https://sp.example/acs"/>
    </saml:SubjectConfirmation>
  </saml:Subject>
  <saml:Conditions NotBefore="2024-05-01T09:59:00Z" NotOnOrAfter="2024-05-01T10:05:00Z">
    <saml:AudienceRestriction><saml:Audience>https://sp.example/</saml:Audience></saml:AudienceRestriction>
  </saml:Conditions>
  <saml:AuthnStatement AuthnInstant="2024-05-01T10:00:00Z" SessionIndex="sess-1">
    <saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password\
</saml:AuthnContextClassRef></saml:AuthnContext>
  </saml:AuthnStatement>
  <saml:AttributeStatement>
    <saml:Attribute Name="mail"><saml:AttributeValue xsi:type="xs:string">alice@example.com</saml:AttributeValue></saml:Attribute>
    <saml:Attribute Name="groups"><saml:AttributeValue>admins</saml:AttributeValue>\
<saml:AttributeValue>users</saml:AttributeValue></saml:Attribute>
  </saml:AttributeStatement>
</saml:Assertion>"""


def make_assertion(assertion_id: str = "_a1", name_id: str = "alice@example.com") -> str:
    return ASSERTION_TEMPLATE.format(assertion_id=assertion_id, name_id=name_id)


def make_response(assertion: str | None = None, response_id: str = "_r1") -> str:
    body = make_assertion() if assertion is None else assertion
    return RESPONSE_TEMPLATE.format(response_id=response_id, assertion=body)


@pytest.fixture(scope="session")
def response_xml() -> Callable[..., str]:
    return make_response


@pytest.fixture(scope="session")
def assertion_xml() -> Callable[..., str]:
    return make_assertion
