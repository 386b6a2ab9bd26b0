"""Single logout messages (SAML core §3.7) and HTTP-Artifact values
(SAML bindings §3.6.4)."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from sso_harness.protocols import (
    DecodeError,
    LogoutRequest,
    LogoutResponse,
    SamlArtifact,
    decode_any,
    decode_artifact,
    decode_post,
    decode_redirect,
    encrypt_name_id,
    parse_saml,
    source_id_for,
    to_json,
)
from sso_harness.protocols.saml import encode_artifact, render_summary
from sso_harness.protocols.xml.safe import parse_xml
from .protocol_builders import LOGOUT_RESPONSE, NAME_ID, SAML, deflate_b64, logout_request, sign, to_bytes

KeyPair = tuple[rsa.RSAPrivateKey, x509.Certificate]
PARTIAL = "urn:oasis:names:tc:SAML:2.0:status:PartialLogout"


def test_logout_request_fields() -> None:
    request = parse_saml(logout_request())
    assert isinstance(request, LogoutRequest) and request.kind == "saml.logout_request"
    assert (request.id, request.issuer, request.destination) == ("_lr1", "https://sp.example/", "https://idp.example/slo")
    assert request.issue_instant == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert request.not_on_or_after == datetime(2024, 5, 1, 10, 5, tzinfo=UTC)
    assert request.reason == "urn:oasis:names:tc:SAML:2.0:logout:user"
    assert request.session_indexes == ("sess-1", "sess-2")
    assert request.name_id is not None and request.name_id.value == "alice-7f3a"
    assert request.name_id.sp_name_qualifier == "https://sp.example/" and not request.name_id_encrypted
    assert request.trusted is False and request.signatures == ()
    view = to_json(request)
    assert view["session_indexes"] == ["sess-1", "sess-2"] and view["name_id"]["value"] == "alice-7f3a"
    assert view["not_on_or_after"] == "2024-05-01T10:05:00Z" and view["reason"].endswith(":user")
    assert "session indexes: sess-1, sess-2" in " ".join(render_summary(request).split())


def test_logout_request_with_encrypted_id_signed_over_post(rsa_pair: KeyPair, sp_pair: KeyPair) -> None:
    idp_key, idp_cert = rsa_pair
    sp_key, sp_cert = sp_pair
    encrypted = etree.tostring(encrypt_name_id(NAME_ID, sp_cert)).decode()
    signed = to_bytes(sign(logout_request(encrypted), idp_key, idp_cert))
    form = {"SAMLRequest": base64.b64encode(signed).decode(), "RelayState": "rs"}
    message = decode_post(form, trusted_certs=[idp_cert], sp_keys=[sp_key])
    request = message.message
    assert isinstance(request, LogoutRequest) and request.trusted and message.trusted
    assert request.name_id_encrypted and request.name_id is not None and request.name_id.value == "alice-7f3a"
    blind = decode_post(form, trusted_certs=[idp_cert])
    assert isinstance(blind.message, LogoutRequest) and blind.message.name_id is None
    assert "EncryptedID not decrypted: no SP private key supplied (sp_keys)" in blind.warnings
    wrong = decode_post(form, trusted_certs=[idp_cert], sp_keys=[rsa.generate_private_key(public_exponent=65537, key_size=2048)])
    assert isinstance(wrong.message, LogoutRequest)
    assert "LogoutRequest/EncryptedID: no supplied SP key decrypts the EncryptedKey" in wrong.message.errors


def test_logout_response_status_and_signature(rsa_pair: KeyPair, other_rsa_pair: KeyPair) -> None:
    key, cert = rsa_pair
    response = parse_saml(to_bytes(sign(LOGOUT_RESPONSE, key, cert)), trusted_certs=[cert])
    assert isinstance(response, LogoutResponse) and response.kind == "saml.logout_response"
    assert response.in_response_to == "_lr1" and response.trusted
    assert response.status is not None and not response.status.ok
    assert response.status.sub_codes == (PARTIAL,)
    assert [e.name for e in response.status.entries] == ["Responder", "PartialLogout"]
    untrusted = parse_saml(to_bytes(sign(LOGOUT_RESPONSE, *other_rsa_pair)), trusted_certs=[cert])
    assert isinstance(untrusted, LogoutResponse) and not untrusted.trusted
    assert untrusted.errors == ("Signature over LogoutResponse _lp1: no trusted certificate verifies the signature",)
    view = to_json(untrusted)
    assert view["status"]["sub_codes"] == [PARTIAL] and view["in_response_to"] == "_lr1"


def test_logout_request_over_redirect() -> None:
    message = decode_redirect(f"SAMLRequest={deflate_b64(logout_request().encode())}&RelayState=x")
    assert isinstance(message.message, LogoutRequest) and message.binding == "HTTP-Redirect"


IDP = "https://idp.example.org/metadata"


def test_artifact_round_trip_and_source_id() -> None:
    handle = bytes(range(20))
    value = encode_artifact(IDP, handle, endpoint_index=3)
    artifact = decode_artifact(value)
    assert artifact == SamlArtifact(0x0004, 3, hashlib.sha1(IDP.encode()).hexdigest(), handle.hex())
    assert artifact.source_id_hex == source_id_for(IDP) and artifact.issued_by(IDP)
    assert not artifact.issued_by("https://other.example/")
    assert artifact.kind == "saml.artifact" and "ArtifactResolve" in artifact.note


def test_artifact_in_query_and_form() -> None:
    value = encode_artifact(IDP, b"\x01" * 20)
    for message in (
        decode_redirect(f"https://sp.example/acs?SAMLart={value.replace('+', '%2B')}&RelayState=rs"),
        decode_post({"SAMLart": value, "RelayState": "rs"}),
    ):
        assert message.binding == "HTTP-Artifact" and message.parameter == "SAMLart" and message.relay_state == "rs"
        assert isinstance(message.message, SamlArtifact) and message.kind == "saml.artifact"
        view = to_json(message)
        assert view["source_id"] == source_id_for(IDP) and view["message_handle"] == "01" * 20
        assert view["endpoint_index"] == 0 and view["type_code"] == 4 and view["trusted"] is False
    pasted = decode_any(f"SAMLart={value}")
    assert not isinstance(pasted, SamlArtifact) and isinstance(pasted.message, SamlArtifact)  # type: ignore[union-attr]
    assert isinstance(decode_any(value), SamlArtifact)
    assert "artifact:" in render_summary(decode_post({"SAMLart": value}))


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        (b"\x00", "artifact too short"),
        (b"\x00\x01" + b"\x00" * 40, "unsupported artifact type code 0x0001"),
        (b"\x00\x04" + b"\x00" * 41, "a type 0x0004 artifact is 44 bytes, this one is 43"),
    ],
)
def test_malformed_artifacts(raw: bytes, needle: str) -> None:
    with pytest.raises(DecodeError, match=needle):
        decode_artifact(base64.b64encode(raw).decode())
    with pytest.raises(DecodeError):
        decode_post({"SAMLart": "!!!"})
    with pytest.raises(DecodeError, match="more than one of"):
        decode_post({"SAMLart": encode_artifact(IDP, b"\x00" * 20), "SAMLResponse": "PHg+"})


def test_artifact_resolve_is_identified_by_name() -> None:
    root = parse_xml(
        f'<samlp:ArtifactResolve xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="{SAML}" ID="_ar"/>',
        where="test",
    )
    message = parse_saml(etree.tostring(root))
    assert message.kind == "saml.artifact_resolve" and message.id == "_ar"
