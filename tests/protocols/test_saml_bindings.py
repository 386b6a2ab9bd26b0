"""HTTP-Redirect / HTTP-POST decoding and input auto-detection."""

from __future__ import annotations

import base64
import zlib
from collections.abc import Callable
from urllib.parse import quote, urlencode

import pytest

from sso_harness.protocols import (
    AuthnRequest,
    DecodeError,
    LogoutRequest,
    LogoutResponse,
    OtherSamlMessage,
    Response,
    SamlBindingMessage,
    decode_any,
    decode_post,
    decode_redirect,
    to_json,
)

AUTHN_REQUEST = b"""<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" \
xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_req1" Version="2.0" \
IssueInstant="2024-05-01T10:00:00.1234567Z" Destination="https://idp.example/sso" \
AssertionConsumerServiceURL="https://sp.example/acs" \
ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" ForceAuthn="true" IsPassive="0">\
<saml:Issuer> https://sp.example/ </saml:Issuer>\
<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>\
</samlp:AuthnRequest>"""

LOGOUT_REQUEST = b"""<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" \
xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lo1" Version="2.0" IssueInstant="2024-05-01T10:00:00Z" \
Destination="https://idp.example/slo"><saml:Issuer>https://sp.example/</saml:Issuer>\
<saml:NameID>alice</saml:NameID></samlp:LogoutRequest>"""


def deflate_b64(xml: bytes) -> str:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(compressor.compress(xml) + compressor.flush()).decode()


def test_redirect_round_trip_authn_request() -> None:
    query = urlencode(
        {"SAMLRequest": deflate_b64(AUTHN_REQUEST), "RelayState": "/after login?x=1", "SigAlg": "rsa-sha256"}
    )
    for form in (query, "?" + query, f"https://idp.example/sso?{query}#frag"):
        result = decode_redirect(form)
        assert result.binding == "HTTP-Redirect" and result.parameter == "SAMLRequest"
        assert result.relay_state == "/after login?x=1" and result.sig_alg == "rsa-sha256"
        assert result.xml == AUTHN_REQUEST
        request = result.message
        assert isinstance(request, AuthnRequest) and request.kind == "saml.authn_request"
        assert request.id == "_req1" and request.issuer == "https://sp.example/"
        assert request.acs_url == "https://sp.example/acs"
        assert request.protocol_binding == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
        assert request.force_authn is True and request.is_passive is False
        assert request.name_id_policy is not None and request.name_id_policy.allow_create is True
        assert request.issue_instant is not None and request.issue_instant.microsecond == 123456
    mapping = {"SAMLRequest": deflate_b64(AUTHN_REQUEST)}
    assert decode_redirect(mapping).message == decode_redirect(urlencode(mapping)).message


def test_post_round_trip_response_and_request(response_xml: Callable[..., str]) -> None:
    xml = response_xml().encode()
    result = decode_post({"SAMLResponse": base64.b64encode(xml).decode(), "RelayState": "rs"})
    assert (result.binding, result.parameter, result.relay_state, result.sig_alg) == (
        "HTTP-POST",
        "SAMLResponse",
        "rs",
        None,
    )
    assert isinstance(result.message, Response) and result.message.assertion is not None
    request = decode_post({"SAMLRequest": base64.b64encode(AUTHN_REQUEST).decode()})
    assert isinstance(request.message, AuthnRequest)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: "\r\n".join(s[i : i + 76] for i in range(0, len(s), 76)),
        lambda s: s.replace("+", "-").replace("/", "_"),
        lambda s: s.rstrip("="),
        lambda s: s.replace("+", " "),  # an unescaped '+' decoded as a space by a form parser
    ],
    ids=["wrapped", "urlsafe", "unpadded", "plus-as-space"],
)
def test_lenient_base64_in_bindings(mangle: Callable[[str], str], response_xml: Callable[..., str]) -> None:
    xml = response_xml(response_id="_r" + "?" * 40).encode()  # '?' runs produce '/' and '+' in base64
    encoded = base64.b64encode(xml).decode()
    assert "+" in encoded or "/" in encoded
    assert decode_post({"SAMLResponse": mangle(encoded)}).xml == xml
    assert decode_redirect({"SAMLResponse": mangle(deflate_b64(xml))}).xml == xml


def test_binding_errors() -> None:
    with pytest.raises(DecodeError, match="neither SAMLRequest nor SAMLResponse"):
        decode_post({"RelayState": "x"})
    with pytest.raises(DecodeError, match="both"):
        decode_post({"SAMLRequest": "PGEvPg==", "SAMLResponse": "PGEvPg=="})
    with pytest.raises(DecodeError) as info:
        decode_post({"SAMLResponse": "PHNhbWw+*"})
    assert str(info.value) == "SAMLResponse: not valid base64 (at offset 8)"
    bomb = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb_b64 = base64.b64encode(bomb.compress(b" " * (11 * 1024 * 1024)) + bomb.flush()).decode()
    with pytest.raises(DecodeError, match="deflate bomb"):
        decode_redirect({"SAMLRequest": bomb_b64})
    truncated = base64.b64encode(base64.b64decode(deflate_b64(AUTHN_REQUEST))[:40]).decode()
    with pytest.raises(DecodeError, match="truncated") as info:
        decode_redirect({"SAMLRequest": truncated})
    assert info.value.where == "SAMLRequest"
    with pytest.raises(DecodeError) as info:
        decode_post({"SAMLResponse": base64.b64encode(b"<a><b></a>").decode()})
    assert info.value.where == "SAMLResponse/XML" and "malformed XML" in info.value.reason


def test_decode_any_detects_every_representation(response_xml: Callable[..., str]) -> None:
    xml = response_xml().encode()
    b64 = base64.b64encode(xml).decode()
    deflated = deflate_b64(xml)
    raw = decode_any(xml)
    assert isinstance(raw, Response)
    assert decode_any(b"\xef\xbb\xbf" + xml) == raw
    assert decode_any(b64.encode()) == raw
    assert decode_any(b"\n" + b64.encode() + b"\n") == raw
    assert decode_any(quote(b64, safe="").encode()) == raw
    assert decode_any(deflated.encode()) == raw
    via_url = decode_any(f"https://sp.example/acs?SAMLResponse={quote(deflated, safe='')}&RelayState=abc".encode())
    assert isinstance(via_url, SamlBindingMessage)
    assert (via_url.binding, via_url.relay_state, via_url.message) == ("HTTP-Redirect", "abc", raw)
    via_body = decode_any(urlencode({"SAMLResponse": b64, "RelayState": "rs"}).encode())
    assert isinstance(via_body, SamlBindingMessage)
    assert (via_body.binding, via_body.parameter, via_body.message) == ("HTTP-POST", "SAMLResponse", raw)
    request = decode_any(urlencode({"SAMLRequest": deflate_b64(AUTHN_REQUEST)}).encode())
    assert isinstance(request, SamlBindingMessage) and request.binding == "HTTP-Redirect"
    assert isinstance(request.message, AuthnRequest)


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"   ",
        b"hello world",
        b"\x00\x01\x02\xff",
        b"https://example.com/?foo=bar",
        b"a=b&c=d",
        b"QUJD",
        b"<<<",
        "é".encode(),
    ],
)
def test_decode_any_garbage_raises_decode_error(garbage: bytes) -> None:
    with pytest.raises(DecodeError):
        decode_any(garbage)


def test_other_roots_are_identified() -> None:
    # Logout messages are decoded in depth (test_saml_logout.py); other roots by name.
    logout = decode_any(LOGOUT_REQUEST)
    assert isinstance(logout, LogoutRequest)
    assert (logout.kind, logout.id, logout.issuer, logout.destination) == (
        "saml.logout_request",
        "_lo1",
        "https://sp.example/",
        "https://idp.example/slo",
    )
    logout_response = decode_any(LOGOUT_REQUEST.replace(b"LogoutRequest", b"LogoutResponse"))
    assert isinstance(logout_response, LogoutResponse) and logout_response.kind == "saml.logout_response"
    unknown = decode_any(b"<foo xmlns='urn:x'/>")
    assert (
        isinstance(unknown, OtherSamlMessage) and unknown.kind == "saml.unknown" and unknown.root_name == "{urn:x}foo"
    )


def test_authn_request_json_view() -> None:
    view = to_json(decode_redirect({"SAMLRequest": deflate_b64(AUTHN_REQUEST), "RelayState": "r"}))
    assert view["kind"] == "saml.authn_request" and view["binding"] == "HTTP-Redirect" and view["relay_state"] == "r"
    assert view["acs_url"] == "https://sp.example/acs"
    assert view["name_id_policy"] == {
        "format": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        "allow_create": True,
        "sp_name_qualifier": None,
    }
    assert (view["force_authn"], view["is_passive"]) == (True, False)
    assert view["issue_instant"] == "2024-05-01T10:00:00.123456Z"


@pytest.mark.parametrize(
    ("attribute", "value", "where"),
    [
        ("IssueInstant", "yesterday", "AuthnRequest@IssueInstant"),
        ("ForceAuthn", "yes", "AuthnRequest@ForceAuthn"),
        ("IssueInstant", "2024-02-30T10:00:00Z", "AuthnRequest@IssueInstant"),
    ],
)
def test_bad_field_values_name_the_field(attribute: str, value: str, where: str) -> None:
    import re

    xml = re.sub(rf'{attribute}="[^"]*"'.encode(), f'{attribute}="{value}"'.encode(), AUTHN_REQUEST)
    with pytest.raises(DecodeError) as info:
        decode_any(xml)
    assert info.value.where is not None and info.value.where.endswith(where)
