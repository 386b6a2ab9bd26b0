"""WS-Federation passive requestor messages (WS-Federation 1.2 §13.2) with
SAML 1.1 and SAML 2.0 tokens we sign ourselves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from sso_harness.protocols import (
    DecodeError,
    Saml11Assertion,
    WsFedSignInRequest,
    WsFedSignInResponse,
    WsFedSignOutRequest,
    decode_wsfed,
    encrypt_assertion,
    to_json,
)
from sso_harness.protocols.saml import Assertion
from sso_harness.protocols.xml.safe import parse_xml
from .protocol_builders import SAML, SAML2_TOKEN_TYPE, rstr, saml11_assertion, sign, signed_saml11

KeyPair = tuple[rsa.RSAPrivateKey, x509.Certificate]
CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims"
AT = datetime(2024, 5, 1, 10, 30, tzinfo=UTC)


def test_signin_request_from_query_and_form() -> None:
    params = {
        "wa": "wsignin1.0",
        "wtrealm": "urn:federation:rp.example",
        "wreply": "https://rp.example/signin-wsfed",
        "wctx": "rm=0&id=passive&ru=%2f",
        "whr": "contoso.com",
        "wct": "2024-05-01T10:00:00Z",
        "wfresh": "0",
    }
    for source in (params, "https://sts.example/adfs/ls/?" + urlencode(params), urlencode(params)):
        message = decode_wsfed(source)
        assert isinstance(message, WsFedSignInRequest) and message.kind == "wsfed.signin_request"
        assert (message.wtrealm, message.wreply, message.wctx, message.whr) == (
            "urn:federation:rp.example",
            "https://rp.example/signin-wsfed",
            "rm=0&id=passive&ru=%2f",
            "contoso.com",
        )
        assert message.wfresh == "0" and message.errors == ()
    view = to_json(decode_wsfed(params))
    assert view["wtrealm"] == "urn:federation:rp.example" and view["whr"] == "contoso.com"
    assert view["trusted"] is False and view["name_id"] is None and view["attributes"] == {}
    missing = decode_wsfed({"wa": "wsignin1.0"})
    assert isinstance(missing, WsFedSignInRequest) and "wtrealm is missing" in missing.errors[0]


@pytest.mark.parametrize(("wa", "cleanup"), [("wsignout1.0", False), ("wsignoutcleanup1.0", True)])
def test_signout(wa: str, cleanup: bool) -> None:
    message = decode_wsfed({"wa": wa, "wreply": "https://rp.example/bye"})
    assert isinstance(message, WsFedSignOutRequest) and message.cleanup is cleanup
    assert message.kind == "wsfed.signout_request" and to_json(message)["wreply"] == "https://rp.example/bye"


@pytest.mark.parametrize(("version", "collection"), [("1.2", False), ("1.3", False), ("1.3", True)])
def test_signin_response_with_signed_saml11_token(version: str, collection: bool, rsa_pair: KeyPair) -> None:
    key, cert = rsa_pair
    wresult = rstr(signed_saml11(key, cert), version=version, collection=collection)
    message = decode_wsfed({"wa": "wsignin1.0", "wresult": wresult, "wctx": "ctx"}, trusted_certs=[cert], now=AT)
    assert isinstance(message, WsFedSignInResponse) and message.kind == "wsfed.signin_response"
    assert message.trust_version == version and message.trusted and message.errors == ()
    assert message.applies_to == "urn:federation:rp.example"
    assert message.created == datetime(2024, 5, 1, 10, 0, 0, 123000, tzinfo=UTC)
    assert message.token_type == "urn:oasis:names:tc:SAML:1.0:assertion"
    token = message.token
    assert isinstance(token, Saml11Assertion) and token.signed
    assert (token.id, token.issuer) == ("_s11-1", "https://sts.example/adfs/services/trust")
    assert token.name_id is not None and token.name_id.value == "alice@example.com"
    assert token.name_id.format == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    assert token.audiences == ("urn:federation:rp.example",)
    assert token.attributes == {
        f"{CLAIMS}/upn": ("alice@example.com",),
        "http://schemas.xmlsoap.org/claims/Group": ("Domain Users", "Finance"),
    }
    assert token.authn_method == "urn:oasis:names:tc:SAML:1.0:am:password"
    (check,) = message.signatures
    assert check.covers == "Assertion" and check.covers_id == "_s11-1" and check.valid
    assert check.certificate_sha256 == cert.fingerprint(hashes.SHA256()).hex()
    view = to_json(message)
    assert view["issuer"] == token.issuer and view["name_id"]["value"] == "alice@example.com"
    assert view["audiences"] == ["urn:federation:rp.example"] and view["wctx"] == "ctx"
    assert view["not_before"] == "2024-05-01T09:59:00Z" and view["not_on_or_after"] == "2024-05-01T11:00:00Z"
    assert view["token_version"] == "1.1" and view["trusted"] is True and view["signatures"][0]["valid"]


def test_time_window_and_untrusted_certificate(rsa_pair: KeyPair, other_rsa_pair: KeyPair) -> None:
    key, cert = rsa_pair
    wresult = rstr(signed_saml11(key, cert))
    late = decode_wsfed({"wa": "wsignin1.0", "wresult": wresult}, trusted_certs=[cert], now=datetime(2024, 6, 1))
    assert isinstance(late, WsFedSignInResponse) and late.trusted
    assert any("NotOnOrAfter 2024-05-01T11:00:00Z" in e for e in late.errors)
    stranger = decode_wsfed({"wa": "wsignin1.0", "wresult": wresult}, trusted_certs=[other_rsa_pair[1]])
    assert isinstance(stranger, WsFedSignInResponse) and not stranger.trusted
    assert "token is not trusted: no valid signature by a trusted certificate covers the reported token" in stranger.errors
    tampered = decode_wsfed(
        {"wa": "wsignin1.0", "wresult": wresult.replace("Finance", "Domain Admins")}, trusted_certs=[cert]
    )
    assert isinstance(tampered, WsFedSignInResponse) and not tampered.trusted
    assert tampered.signatures[0].reason == "digest mismatch"


def test_wrapped_token_is_not_trusted(rsa_pair: KeyPair) -> None:
    # The genuine signed assertion is hidden elsewhere; the reported token is unsigned.
    key, cert = rsa_pair
    genuine = signed_saml11(key, cert)
    forged = saml11_assertion(assertion_id="_evil", name=" admin@example.com")
    wresult = rstr(forged).replace("</t:RequestSecurityTokenResponse>", f"<t:Extra>{genuine}</t:Extra></t:RequestSecurityTokenResponse>")
    message = decode_wsfed({"wa": "wsignin1.0", "wresult": wresult}, trusted_certs=[cert])
    assert isinstance(message, WsFedSignInResponse) and message.trusted is False
    assert isinstance(message.token, Saml11Assertion) and message.token.id == "_evil" and not message.token.signed
    assert any("possible signature wrapping" in e for e in message.errors)


def _saml2_assertion(response_xml: Callable[..., str]) -> etree._Element:
    root = parse_xml(response_xml(), where="test")
    element = root.find(f"{{{SAML}}}Assertion")
    assert element is not None
    return element


def test_signin_response_with_saml2_token(rsa_pair: KeyPair, response_xml: Callable[..., str]) -> None:
    key, cert = rsa_pair
    token = etree.tostring(sign(_saml2_assertion(response_xml), key, cert)).decode()
    message = decode_wsfed(
        {"wa": "wsignin1.0", "wresult": rstr(token, version="1.3", token_type=SAML2_TOKEN_TYPE)}, trusted_certs=[cert]
    )
    assert isinstance(message, WsFedSignInResponse) and message.trusted
    assert isinstance(message.token, Assertion) and message.token.signed
    assert message.token.name_id is not None and message.token.name_id.value == "alice@example.com"
    view = to_json(message)
    assert view["token_version"] == "2.0" and view["attributes"]["groups"] == ["admins", "users"]
    assert view["authn_method"] == "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"


def test_encrypted_saml2_token(rsa_pair: KeyPair, sp_pair: KeyPair, response_xml: Callable[..., str]) -> None:
    key, cert = rsa_pair
    sp_key, sp_cert = sp_pair
    signed = sign(_saml2_assertion(response_xml), key, cert)
    encrypted = etree.tostring(encrypt_assertion(signed, sp_cert)).decode()
    params = {"wa": "wsignin1.0", "wresult": rstr(encrypted, token_type=SAML2_TOKEN_TYPE)}
    message = decode_wsfed(params, trusted_certs=[cert], sp_keys=[sp_key])
    assert isinstance(message, WsFedSignInResponse) and message.encrypted and message.decrypted and message.trusted
    blind = decode_wsfed(params, trusted_certs=[cert])
    assert isinstance(blind, WsFedSignInResponse) and blind.token is None and not blind.trusted
    assert "token is encrypted and not decrypted: no SP private key supplied (sp_keys)" in blind.warnings


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({}, "no wa parameter"),
        ({"wa": "wattr1.0"}, "unsupported action 'wattr1.0'"),
        ({"wa": "wsignin1.0", "wresult": "<x/>"}, "is not a WS-Trust RequestSecurityTokenResponse"),
        ({"wa": "wsignin1.0", "wresult": "<x"}, "malformed XML"),
        ({"wa": "wsignin1.0", "wresult": "<!DOCTYPE x><x/>"}, "DTD not allowed"),
    ],
)
def test_bad_parameters(params: dict[str, str], needle: str) -> None:
    with pytest.raises(DecodeError, match=needle):
        decode_wsfed(params)


def test_empty_requested_security_token_is_reported(rsa_pair: KeyPair) -> None:
    message = decode_wsfed({"wa": "wsignin1.0", "wresult": rstr("")})
    assert isinstance(message, WsFedSignInResponse) and message.token is None and not message.trusted
    assert "RequestedSecurityToken holds 0 elements, expected one token" in message.errors
