"""JWK / JWKS decoding and export, jwks_uri selection, the injectable fetcher, Entra token versions."""

from __future__ import annotations

import io
import json
import urllib.request
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from .oauth_support import TENANT_ID

from sso_harness.protocols import DecodeError, SigningError
from sso_harness.protocols.jose import (
    JwksFetchError,
    b64url_encode,
    decode_jwks,
    entra_token_version,
    fetch_jwks,
    jwk_from_public_key,
    jwks_from_keys,
    parse_jwk,
    select_jwks_uri,
    sign_jwt,
)


def test_jwk_export_round_trips_every_key_type(
    rsa_key: rsa.RSAPrivateKey, ec_keys: dict[str, ec.EllipticCurvePrivateKey], ed_key: ed25519.Ed25519PrivateKey
) -> None:
    keys: list[Any] = [rsa_key, *ec_keys.values(), ed_key]
    for key in keys:
        jwk = jwk_from_public_key(key, "k", None)
        assert "d" not in jwk  # a private key in, only public members out
        info = parse_jwk(jwk)
        assert info.usable and info.problem is None, info.problem
        assert info.key is not None and not isinstance(info.key, bytes)
        assert info.key.public_bytes(*_spki()) == key.public_key().public_bytes(*_spki())


def _spki() -> tuple[Any, Any]:
    from cryptography.hazmat.primitives import serialization

    return serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo


def test_default_kid_is_the_rfc7638_thumbprint() -> None:
    # RFC 7638 §3.1 example key and its published thumbprint.
    n = (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs"
        "tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajr"
        "n1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    )
    e = 65537
    key = rsa.RSAPublicNumbers(e, int.from_bytes(__import__("base64").urlsafe_b64decode(n + "=="), "big")).public_key()
    assert jwk_from_public_key(key)["kid"] == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_jwks_reports_private_material_duplicates_and_unusable_keys(rsa_key: rsa.RSAPrivateKey) -> None:
    good = jwk_from_public_key(rsa_key, "a", "RS256")
    document = {
        "keys": [
            good,
            {**good, "d": "c2VjcmV0"},
            {
                "kty": "EC",
                "kid": "b",
                "crv": "P-256",
                "x": b64url_encode(b"\x01" * 32),
                "y": b64url_encode(b"\x02" * 32),
            },
            {"kty": "RSA", "kid": "c", "n": b64url_encode((2**1023 + 1).to_bytes(128, "big")), "e": "AQAB"},
            {"kty": "XYZ", "kid": "d"},
            "not an object",
        ]
    }
    jwks = decode_jwks(json.dumps(document))
    assert jwks.kind == "jose.jwks" and len(jwks.keys) == 6
    assert jwks.errors == ("key 1 (kid 'a') publishes private key material; anyone can now sign as this issuer",)
    text = "\n".join(jwks.warnings)
    assert "kid 'a' is used by more than one key" in text
    assert "not on curve P-256" in text
    assert "1024 bits is below the 2048-bit minimum" in text
    assert "unsupported key type 'XYZ'" in text
    assert "must be a JSON object" in text


@pytest.mark.parametrize("document", ["[]", "{}", '{"keys": {}}', "not json", '{"keys": [' + "{}," * 300 + "{}]}"])
def test_non_jwks_documents_raise(document: str) -> None:
    with pytest.raises(DecodeError):
        decode_jwks(document)


def test_select_jwks_uri() -> None:
    assert select_jwks_uri({"jwks_uri": "https://idp.example/keys"}) == "https://idp.example/keys"
    assert select_jwks_uri({"jwks_uri": "http://127.0.0.1:8080/keys"}).startswith("http://127.0.0.1")

    class Doc:
        jwks_uri = "https://idp.example/k2"

    assert select_jwks_uri(Doc()) == "https://idp.example/k2"
    for bad in ({}, {"jwks_uri": 5}, {"jwks_uri": "http://idp.example/keys"}):
        with pytest.raises(DecodeError):
            select_jwks_uri(bad)


class _FakeResponse(io.BytesIO):
    def __enter__(self) -> _FakeResponse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class FakeOpener:
    """Records what was asked and serves a fixed body (or raises)."""

    def __init__(self, body: bytes = b"", error: OSError | None = None) -> None:
        self.body, self.error = body, error
        self.requests: list[tuple[Any, float]] = []

    def __call__(self, url: Any, /, *, timeout: float) -> _FakeResponse:
        self.requests.append((url, timeout))
        if self.error is not None:
            raise self.error
        return _FakeResponse(self.body)


def test_fetch_jwks_uses_the_injected_opener(rsa_key: rsa.RSAPrivateKey) -> None:
    opener = FakeOpener(json.dumps(jwks_from_keys([(rsa_key, "k1", "RS256")])).encode())
    jwks = fetch_jwks("https://idp.example/discovery/keys", opener, timeout=3)
    assert jwks.kids == ("k1",)
    request, timeout = opener.requests[0]
    assert isinstance(request, urllib.request.Request) and request.full_url == "https://idp.example/discovery/keys"
    assert timeout == 3


def test_fetch_jwks_failures() -> None:
    with pytest.raises(JwksFetchError, match="https"):
        fetch_jwks("http://idp.example/keys", FakeOpener())
    with pytest.raises(JwksFetchError, match="refused"):
        fetch_jwks("https://idp.example/keys", FakeOpener(error=ConnectionRefusedError("refused")))
    with pytest.raises(DecodeError, match="larger than 10 bytes"):
        fetch_jwks("https://idp.example/keys", FakeOpener(b'{"keys": []}'), max_bytes=10)
    with pytest.raises(DecodeError):
        fetch_jwks("https://idp.example/keys", FakeOpener(b"<html>"))


def test_sign_jwt_refuses_unknown_algorithms_and_mismatched_keys(
    rsa_key: rsa.RSAPrivateKey, ec_keys: dict[str, ec.EllipticCurvePrivateKey]
) -> None:
    with pytest.raises(SigningError):
        sign_jwt({}, rsa_key, "none", None)
    with pytest.raises(SigningError):
        sign_jwt({}, rsa_key, "ES256", None)
    with pytest.raises(SigningError):
        sign_jwt({}, ec_keys["ES384"], "ES256", None)
    with pytest.raises(SigningError):
        sign_jwt({}, b"secret", "RS256", None)


# --- Entra token versions (entra.md §2 "Token claims") ----------------------------

V1_ACCESS = {
    "aud": "api://orders",
    "iss": f"https://sts.windows.net/{TENANT_ID}/",
    "appid": "c1",
    "upn": "a@x",
    "unique_name": "a@x",
    "scp": "read",
    "ver": "1.0",
    "tid": TENANT_ID,
}
V2_ACCESS = {
    "aud": "5b1e...",
    "iss": f"https://login.microsoftonline.com/{TENANT_ID}/v2.0",
    "azp": "c1",
    "preferred_username": "a@x",
    "scp": "read",
    "ver": "2.0",
    "tid": TENANT_ID,
}
V2_ID = {"aud": "c1", "iss": f"https://login.microsoftonline.com/{TENANT_ID}/v2.0", "nonce": "n", "ver": "2.0"}


def test_entra_v1_access_token() -> None:
    version, note = entra_token_version(V1_ACCESS)
    assert version == "1.0"
    assert note.startswith("Entra v1.0 access token")
    assert "appid" in note and "requestedAccessTokenVersion" in note


def test_entra_v2_tokens() -> None:
    assert entra_token_version(V2_ACCESS) == (
        "2.0",
        "Entra v2.0 access token; the client is named by azp and the user by preferred_username",
    )
    assert entra_token_version(V2_ID).note.startswith("Entra v2.0 ID token")


def test_entra_version_inconsistencies_are_noted() -> None:
    assert "ver says 1.0 but iss has the v2.0 form" in entra_token_version({**V2_ACCESS, "ver": "1.0"}).note
    no_ver = entra_token_version({k: v for k, v in V1_ACCESS.items() if k != "ver"})
    assert no_ver.version == "1.0" and "inferred from the iss form" in no_ver.note
    assert "differs from the tenant" in entra_token_version({**V1_ACCESS, "tid": "other"}).note


def test_non_entra_tokens() -> None:
    version, note = entra_token_version({"iss": "https://accounts.google.com", "ver": "2.0"})
    assert version is None and note.startswith("not an Entra ID token")
    assert entra_token_version({}).version is None
