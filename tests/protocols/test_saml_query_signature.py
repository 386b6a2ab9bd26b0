"""HTTP-Redirect query signatures (SAML bindings §3.4.4.1) and POST-binding
signatures on requests."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from urllib.parse import quote, quote_plus, unquote

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa

from sso_harness.protocols import (
    AuthnRequest,
    LogoutResponse,
    decode_any,
    decode_post,
    decode_redirect,
    to_json,
)
from sso_harness.protocols.saml import signed_query_octets
from sso_harness.protocols.xml.dsig import ECDSA_SHA256, RSA_SHA1, RSA_SHA256, SHA1
from .protocol_builders import LOGOUT_RESPONSE, sign, signed_redirect_query, to_bytes

KeyPair = tuple[rsa.RSAPrivateKey, x509.Certificate]

AUTHN_REQUEST = b"""<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" \
xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_req1" Version="2.0" \
IssueInstant="2024-05-01T10:00:00Z" Destination="https://idp.example/sso" \
AssertionConsumerServiceURL="https://sp.example/acs"><saml:Issuer>https://sp.example/</saml:Issuer>\
</samlp:AuthnRequest>"""


def test_redirect_signature_verifies_over_the_raw_query(rsa_pair: KeyPair) -> None:
    key, cert = rsa_pair
    query = signed_redirect_query(AUTHN_REQUEST, key, relay_state="/app?x=1&y=2")
    for form in (query, f"https://idp.example/sso?{query}"):
        message = decode_redirect(form, trusted_certs=[cert])
        check = message.query_signature
        assert check is not None and check.covers == "query" and check.valid, check
        assert check.algorithm == RSA_SHA256
        assert check.certificate_sha256 == cert.fingerprint(hashes.SHA256()).hex()
        assert message.trusted and isinstance(message.message, AuthnRequest) and message.message.trusted
        assert message.relay_state == "/app?x=1&y=2" and message.raw_query == query
    view = to_json(decode_redirect(query, trusted_certs=[cert]))
    assert view["trusted"] is True and view["query_signature"]["covers"] == "query"
    assert view["query_signature"]["valid"] is True and view["warnings"] == []


def _lowercase_escapes(value: str) -> str:
    # Lower-case hex escapes are legal (RFC 3986 §2.1) and some SPs send them;
    # re-encoding would produce upper case and break the signature.
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(value, safe=""))


@pytest.mark.parametrize(
    "encode", [lambda v: quote(v, safe=""), quote_plus, _lowercase_escapes], ids=["quote", "quote_plus", "lowercase"]
)
def test_any_encoder_verifies_because_the_octets_are_used_as_sent(
    encode: Callable[[str], str], rsa_pair: KeyPair
) -> None:
    key, cert = rsa_pair
    query = signed_redirect_query(AUTHN_REQUEST, key, relay_state="https://sp.example/a b/ü", encode=encode)
    message = decode_redirect(query, trusted_certs=[cert])
    assert message.query_signature is not None and message.query_signature.valid, message.query_signature


def test_parameter_order_in_the_url_does_not_matter(rsa_pair: KeyPair) -> None:
    key, cert = rsa_pair
    query = signed_redirect_query(AUTHN_REQUEST, key, relay_state="rs")
    parts = dict(p.split("=", 1) for p in query.split("&"))
    shuffled = "&".join(f"{k}={parts[k]}" for k in ("Signature", "SigAlg", "RelayState", "SAMLRequest"))
    assert decode_redirect(shuffled, trusted_certs=[cert]).trusted


def test_tampering_breaks_the_signature(rsa_pair: KeyPair, other_rsa_pair: KeyPair) -> None:
    key, cert = rsa_pair
    query = signed_redirect_query(AUTHN_REQUEST, key, relay_state="original")
    tampered = query.replace("RelayState=original", "RelayState=evil")
    message = decode_redirect(tampered, trusted_certs=[cert])
    assert message.query_signature is not None and not message.query_signature.valid
    assert message.query_signature.reason == "no trusted certificate verifies the query signature"
    assert not message.trusted and isinstance(message.message, AuthnRequest) and not message.message.trusted
    assert "Query signature: no trusted certificate verifies the query signature" in message.warnings
    # Dropping RelayState changes the signed octets too.
    dropped = "&".join(p for p in query.split("&") if not p.startswith("RelayState="))
    assert not decode_redirect(dropped, trusted_certs=[cert]).trusted
    # A signature by someone else.
    assert not decode_redirect(signed_redirect_query(AUTHN_REQUEST, other_rsa_pair[0]), trusted_certs=[cert]).trusted


def test_uncheckable_and_malformed_query_signatures(rsa_pair: KeyPair) -> None:
    key, cert = rsa_pair
    query = signed_redirect_query(AUTHN_REQUEST, key)
    parsed = dict(p.split("=", 1) for p in query.split("&"))
    mapping = {k: unquote(v) for k, v in parsed.items()}
    message = decode_redirect(mapping, trusted_certs=[cert])
    assert message.query_signature is not None and not message.query_signature.valid
    assert "raw query string is needed" in (message.query_signature.reason or "")
    no_certs = decode_redirect(query)
    assert no_certs.query_signature is not None and no_certs.query_signature.reason == "no trusted certificates supplied"
    no_alg = "&".join(p for p in query.split("&") if not p.startswith("SigAlg="))
    check = decode_redirect(no_alg, trusted_certs=[cert]).query_signature
    assert check is not None and check.reason == "SigAlg missing (a Signature parameter needs one)"
    bad_alg = signed_redirect_query(AUTHN_REQUEST, key).replace(quote(RSA_SHA256, safe=""), "urn%3Ax")
    check = decode_redirect(bad_alg, trusted_certs=[cert]).query_signature
    assert check is not None and check.reason == "unsupported SigAlg 'urn:x'"
    twice = query + "&SAMLRequest=abc"
    check = decode_redirect(twice, trusted_certs=[cert]).query_signature
    assert check is not None and check.reason == "SAMLRequest appears 2 times in the query"


def test_signed_octets_follow_the_spec_order() -> None:
    raw = "Signature=S&SigAlg=A%3Ab&RelayState=r%2Fs&SAMLRequest=x%2By"
    assert signed_query_octets(raw, "SAMLRequest") == b"SAMLRequest=x%2By&RelayState=r%2Fs&SigAlg=A%3Ab"
    assert signed_query_octets("SAMLResponse=q&SigAlg=a", "SAMLResponse") == b"SAMLResponse=q&SigAlg=a"


def test_rsa_sha1_query_signature_is_flagged_weak(rsa_pair: KeyPair) -> None:
    key, cert = rsa_pair
    message = decode_redirect(signed_redirect_query(AUTHN_REQUEST, key, sig_alg=RSA_SHA1), trusted_certs=[cert])
    check = message.query_signature
    assert check is not None and check.valid and check.weak  # type: ignore[attr-defined]
    expected = (
        "Signature over query: rsa-sha1 is deprecated (RFC 9231 §2.3 / NIST SP 800-131A); "
        "ask the IdP for rsa-sha256"
    )
    assert expected in message.warnings
    assert message.trusted  # weak is a warning, not an error


def test_ecdsa_query_signature(ec_pair: tuple[object, x509.Certificate]) -> None:
    key, cert = ec_pair
    query = signed_redirect_query(AUTHN_REQUEST, key, sig_alg=ECDSA_SHA256)  # type: ignore[arg-type]
    assert decode_redirect(query, trusted_certs=[cert]).trusted


def test_logout_response_over_redirect_and_decode_any(rsa_pair: KeyPair) -> None:
    key, cert = rsa_pair
    query = signed_redirect_query(LOGOUT_RESPONSE.encode(), key, parameter="SAMLResponse", relay_state="rs")
    message = decode_redirect(query, trusted_certs=[cert])
    assert isinstance(message.message, LogoutResponse) and message.message.trusted
    pasted = decode_any(f"https://sp.example/slo?{query}", trusted_certs=[cert])
    assert not isinstance(pasted, LogoutResponse) and pasted.trusted  # type: ignore[union-attr]


def test_post_binding_signatures_on_requests(rsa_pair: KeyPair) -> None:
    key, cert = rsa_pair
    signed = to_bytes(sign(AUTHN_REQUEST, key, cert, algorithm=RSA_SHA1, digest=SHA1))
    message = decode_post({"SAMLRequest": base64.b64encode(signed).decode()}, trusted_certs=[cert])
    request = message.message
    assert isinstance(request, AuthnRequest) and request.trusted and message.query_signature is None
    check = request.signatures[0]
    assert check.algorithm == RSA_SHA1 and check.digest_algorithm == SHA1
    assert check.weaknesses == (  # type: ignore[attr-defined]
        "rsa-sha1 is deprecated (RFC 9231 §2.3 / NIST SP 800-131A); ask the IdP for rsa-sha256",
        "sha1 digest is deprecated (RFC 9231 §2.1.1 / NIST SP 800-131A); ask the IdP for sha256",
    )
    assert len(request.warnings) == 2
    logout = decode_post(
        {"SAMLResponse": base64.b64encode(to_bytes(sign(LOGOUT_RESPONSE, key, cert))).decode()}, trusted_certs=[cert]
    )
    assert isinstance(logout.message, LogoutResponse) and logout.message.trusted and logout.message.warnings == ()
