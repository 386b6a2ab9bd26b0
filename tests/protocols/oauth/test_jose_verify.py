"""JWT/JWS verification: signatures for every algorithm, hostile tokens, claim checks."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from .oauth_support import CLIENT_ID, ISSUER, NOW, T0, TENANT_ID, id_token_claims

from sso_harness.protocols import DecodeError
from sso_harness.protocols.jose import (
    JwtExpectations,
    b64url_encode,
    decode_jwt,
    half_hash,
    jwk_from_public_key,
    jwks_from_keys,
    sign_jwt,
    verify_jwt,
)

EXPECT = JwtExpectations(issuer=ISSUER, client_id=CLIENT_ID, nonce="n-0S6_WzA2Mj")
MakeToken = Callable[..., str]


def _segments(token: str) -> list[str]:
    return token.split(".")


def _b64json(value: dict[str, Any]) -> str:
    return b64url_encode(json.dumps(value, separators=(",", ":")).encode())


# --- the happy path and every algorithm ------------------------------------------


def test_valid_token_is_trusted_and_names_its_key(make_token: MakeToken, jwks: dict[str, Any]) -> None:
    verdict = verify_jwt(make_token(), jwks, expected=EXPECT, now=NOW)
    assert verdict.trusted and verdict.signature_valid
    assert verdict.kid == "rsa-1" and verdict.algorithm == "RS256"
    assert verdict.problems == ()
    assert set(verdict.checked) >= {"exp", "nbf", "iat", "iss", "aud", "azp", "nonce"}


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"])
def test_rsa_algorithms_round_trip(alg: str, rsa_key: rsa.RSAPrivateKey) -> None:
    token = sign_jwt(id_token_claims(), rsa_key, alg, "k1")
    keys = jwks_from_keys([(rsa_key, "k1", None)])
    verdict = verify_jwt(token, keys, expected=EXPECT, now=NOW)
    assert verdict.trusted, verdict.problems
    assert verdict.algorithm == alg


@pytest.mark.parametrize("alg", ["ES256", "ES384", "ES512"])
def test_ecdsa_algorithms_round_trip_with_raw_signatures(
    alg: str, ec_keys: dict[str, ec.EllipticCurvePrivateKey], jwks: dict[str, Any]
) -> None:
    token = sign_jwt(id_token_claims(), ec_keys[alg], alg, f"ec-{alg}")
    size = {"ES256": 32, "ES384": 48, "ES512": 66}[alg]
    assert len(decode_jwt(token).signature) == 2 * size  # r || s, not DER (RFC 7518 §3.4)
    verdict = verify_jwt(token, jwks, expected=EXPECT, now=NOW)
    assert verdict.trusted, verdict.problems
    assert verdict.kid == f"ec-{alg}"


def test_eddsa_round_trip(ed_key: ed25519.Ed25519PrivateKey, jwks: dict[str, Any]) -> None:
    verdict = verify_jwt(sign_jwt(id_token_claims(), ed_key, "EdDSA", "ed-1"), jwks, expected=EXPECT, now=NOW)
    assert verdict.trusted and verdict.kid == "ed-1"


def test_hs256_with_a_shared_oct_key_verifies() -> None:
    secret = b"a shared secret of reasonable length!!"
    keys = {"keys": [{"kty": "oct", "kid": "s1", "k": b64url_encode(secret)}]}
    verdict = verify_jwt(sign_jwt(id_token_claims(), secret, "HS256", "s1"), keys, expected=EXPECT, now=NOW)
    assert verdict.trusted and verdict.kid == "s1"


def test_der_encoded_ecdsa_signature_is_rejected(
    ec_keys: dict[str, ec.EllipticCurvePrivateKey], jwks: dict[str, Any]
) -> None:
    token = sign_jwt(id_token_claims(), ec_keys["ES256"], "ES256", "ec-ES256")
    head, body, _sig = _segments(token)
    der = ec_keys["ES256"].sign(f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
    verdict = verify_jwt(f"{head}.{body}.{b64url_encode(der)}", jwks, now=NOW)
    assert not verdict.signature_valid and not verdict.trusted


def test_without_kid_every_key_of_the_type_is_tried_and_the_verifying_one_is_named(
    rsa_key: rsa.RSAPrivateKey, other_rsa_key: rsa.RSAPrivateKey
) -> None:
    keys = jwks_from_keys([(other_rsa_key, "old", None), (rsa_key, "new", None)])
    verdict = verify_jwt(sign_jwt(id_token_claims(), rsa_key, "RS256", None), keys, now=NOW)
    assert verdict.signature_valid and verdict.kid == "new"


# --- hostile and broken tokens ------------------------------------------------------


def test_tampered_payload_fails(make_token: MakeToken, jwks: dict[str, Any]) -> None:
    head, _body, sig = _segments(make_token())
    forged = _b64json(id_token_claims(sub="mallory"))
    verdict = verify_jwt(f"{head}.{forged}.{sig}", jwks, expected=EXPECT, now=NOW)
    assert not verdict.signature_valid and not verdict.trusted
    assert verdict.claims["sub"] == "mallory"  # still decoded and shown
    assert any("does not verify" in p for p in verdict.problems)


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_alg_none_is_always_rejected(alg: str, jwks: dict[str, Any]) -> None:
    token = f"{_b64json({'alg': alg, 'typ': 'JWT'})}.{_b64json(id_token_claims())}."
    verdict = verify_jwt(token, jwks, expected=EXPECT, now=NOW)
    assert not verdict.trusted and not verdict.signature_valid
    assert "unsigned" in verdict.problems[0]


def test_hs256_signed_with_the_rsa_public_key_pem_is_rejected(rsa_key: rsa.RSAPrivateKey, jwks: dict[str, Any]) -> None:
    pem = rsa_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    for kid in ("rsa-1", None):
        verdict = verify_jwt(sign_jwt(id_token_claims(), pem, "HS256", kid), jwks, expected=EXPECT, now=NOW)
        assert not verdict.signature_valid and not verdict.trusted
        assert any("key-confusion" in p for p in verdict.problems), verdict.problems


def test_hs256_with_the_jwk_modulus_as_secret_is_rejected(rsa_key: rsa.RSAPrivateKey, jwks: dict[str, Any]) -> None:
    jwk = jwk_from_public_key(rsa_key, "rsa-1")
    verdict = verify_jwt(sign_jwt(id_token_claims(), json.dumps(jwk).encode(), "HS256", "rsa-1"), jwks, now=NOW)
    assert not verdict.signature_valid


def test_wrong_key_fails(other_rsa_key: rsa.RSAPrivateKey, jwks: dict[str, Any]) -> None:
    verdict = verify_jwt(sign_jwt(id_token_claims(), other_rsa_key, "RS256", "rsa-1"), jwks, expected=EXPECT, now=NOW)
    assert not verdict.signature_valid and verdict.kid is None
    assert verdict.problems == ("the RS256 signature does not verify with the selected key",)


def test_unknown_kid_is_reported_with_the_known_ones(make_token: MakeToken, jwks: dict[str, Any]) -> None:
    verdict = verify_jwt(make_token(kid="rotated-away"), jwks, now=NOW)
    assert not verdict.signature_valid
    assert "no key with kid 'rotated-away'" in verdict.problems[0] and "'rsa-1'" in verdict.problems[0]


def test_algorithm_not_matching_the_key_type_is_refused(
    ec_keys: dict[str, ec.EllipticCurvePrivateKey], jwks: dict[str, Any]
) -> None:
    token = sign_jwt(id_token_claims(), ec_keys["ES256"], "ES256", "rsa-1")
    verdict = verify_jwt(token, jwks, now=NOW)
    assert not verdict.signature_valid
    assert verdict.problems[0] == "key 'rsa-1' is an RSA key, but ES256 needs an EC key"


def test_jwk_alg_restricts_the_key(rsa_key: rsa.RSAPrivateKey) -> None:
    keys = jwks_from_keys([(rsa_key, "k", "RS256")])
    verdict = verify_jwt(sign_jwt(id_token_claims(), rsa_key, "PS256", "k"), keys, now=NOW)
    assert not verdict.signature_valid
    assert "published for RS256 only" in verdict.problems[0]


def test_encryption_keys_are_not_used_for_signatures(rsa_key: rsa.RSAPrivateKey) -> None:
    keys = {"keys": [{**jwk_from_public_key(rsa_key, "k"), "use": "enc"}]}
    verdict = verify_jwt(sign_jwt(id_token_claims(), rsa_key, "RS256", "k"), keys, now=NOW)
    assert not verdict.signature_valid and "not for signatures" in verdict.problems[0]


def test_embedded_header_key_is_ignored(other_rsa_key: rsa.RSAPrivateKey, jwks: dict[str, Any]) -> None:
    attacker_jwk = jwk_from_public_key(other_rsa_key, "rsa-1")
    token = sign_jwt(id_token_claims(), other_rsa_key, "RS256", "rsa-1", headers={"jwk": attacker_jwk})
    verdict = verify_jwt(token, jwks, now=NOW)
    assert not verdict.signature_valid
    assert any("'jwk'" in note and "ignored" in note for note in verdict.notes)


def test_unknown_critical_header_is_rejected(make_token: MakeToken, jwks: dict[str, Any]) -> None:
    verdict = verify_jwt(make_token(headers={"crit": ["exp-ext"], "exp-ext": 1}), jwks, now=NOW)
    assert not verdict.signature_valid and "critical" in verdict.problems[0]


def test_allowed_algs_restricts(make_token: MakeToken, jwks: dict[str, Any]) -> None:
    verdict = verify_jwt(make_token(), jwks, now=NOW, allowed_algs={"ES256"})
    assert not verdict.trusted and "not among the accepted" in verdict.problems[0]


def test_no_jwks_means_never_trusted(make_token: MakeToken) -> None:
    verdict = verify_jwt(make_token(), None, expected=EXPECT, now=NOW)
    assert not verdict.trusted and "not checked" in verdict.problems[0]


_RS256 = b64url_encode(b'{"alg":"RS256"}')
_MALFORMED = [
    ("", "empty"),
    ("abc", "3 dot-separated"),
    ("a.b.c.d.e", "encrypted JWT"),
    ("eyJ!.e30.", "base64url"),
    (b64url_encode(b"[1]") + ".e30.", "JSON object"),
    (b64url_encode(b"{}") + ".e30.", "'alg'"),
    (b64url_encode(b'{"alg":"RS256","alg":"none"}') + ".e30.", "more than once"),
    (_RS256 + "..", "empty payload"),
    (_RS256 + "." + b64url_encode(b"not json") + ".", "not valid JSON"),
    (b64url_encode(b'{"alg":"RS256","b64":false}') + ".e30.", "RFC 7797"),
    (_RS256 + ".e30.a+b/", "base64url"),
    (_RS256 + ".e30=x.", "padding inside"),
    (_RS256 + "." + b64url_encode(b'{"exp":NaN}') + ".", "not valid JSON"),
    (_RS256 + "." + b64url_encode(b"[" * 100_000) + ".", "nested too deeply"),
]


@pytest.mark.parametrize(("token", "fragment"), _MALFORMED)
def test_malformed_tokens_raise_decode_error(token: str, fragment: str) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_jwt(token)
    assert fragment in str(caught.value)


def test_lenient_padding_and_bearer_prefix_are_accepted(make_token: MakeToken, jwks: dict[str, Any]) -> None:
    head, body, sig = _segments(make_token())
    padded = head + "=" * (-len(head) % 4)
    # The signing input keeps the padded header, so the signature no longer matches — but it decodes.
    assert decode_jwt(f"Bearer {padded}.{body}.{sig}").claims["sub"] == "alice-pairwise-sub"
    assert verify_jwt(f"  Bearer {head}.{body}.{sig}\n", jwks, now=NOW).signature_valid


# --- claim checks -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "expected_problem"),
    [
        ({"exp": T0 - 301}, "the token expired at 2024-05-01T09:54:59Z (exp)"),
        ({"nbf": T0 + 301}, "not valid before 2024-05-01T10:05:01Z (nbf)"),
        ({"iat": T0 + 3000}, "iat 2024-05-01T10:50:00Z is in the future"),
        ({"aud": "api://other"}, f"aud is 'api://other' but the client is '{CLIENT_ID}'"),
        (
            {"iss": "https://evil.example/"},
            "iss is 'https://evil.example/' but the expected issuer is 'https://idp.example/'",
        ),
        ({"nonce": "replayed"}, "nonce is 'replayed' but the authorization request sent 'n-0S6_WzA2Mj'"),
        ({"nonce": None}, "nonce is missing but the authorization request sent 'n-0S6_WzA2Mj'"),
        ({"exp": None}, "exp is missing"),
        ({"exp": "tomorrow"}, "exp is 'tomorrow', not a NumericDate"),
        ({"aud": [CLIENT_ID, "api://x"]}, "aud has several values"),
        ({"azp": "someone-else"}, f"azp is 'someone-else' but the client is '{CLIENT_ID}'"),
    ],
)
def test_claim_problems_are_plain_sentences(
    overrides: dict[str, Any], expected_problem: str, make_token: MakeToken, jwks: dict[str, Any]
) -> None:
    verdict = verify_jwt(make_token(**overrides), jwks, expected=EXPECT, now=NOW)
    assert verdict.signature_valid and not verdict.trusted
    assert any(expected_problem in p for p in verdict.problems), verdict.problems


def test_skew_is_honoured_at_the_boundary(make_token: MakeToken, jwks: dict[str, Any]) -> None:
    assert verify_jwt(make_token(exp=T0 - 299), jwks, expected=EXPECT, now=NOW).trusted
    assert not verify_jwt(make_token(exp=T0 - 300), jwks, expected=EXPECT, now=NOW).trusted
    strict = verify_jwt(make_token(exp=T0 - 1), jwks, expected=EXPECT, now=NOW, skew=dt.timedelta(0))
    assert not strict.trusted


def test_multi_audience_with_matching_azp_is_trusted(make_token: MakeToken, jwks: dict[str, Any]) -> None:
    verdict = verify_jwt(make_token(aud=[CLIENT_ID, "api://x"], azp=CLIENT_ID), jwks, expected=EXPECT, now=NOW)
    assert verdict.trusted, verdict.problems


def test_explicit_audience_for_access_tokens(make_token: MakeToken, jwks: dict[str, Any]) -> None:
    api = JwtExpectations(issuer=ISSUER, audience="api://orders")
    assert verify_jwt(make_token(aud="api://orders"), jwks, expected=api, now=NOW).trusted
    verdict = verify_jwt(make_token(aud="api://other"), jwks, expected=api, now=NOW)
    assert "aud is 'api://other' but the expected audience is 'api://orders'" in verdict.problems


def test_at_hash_and_c_hash(make_token: MakeToken, jwks: dict[str, Any]) -> None:
    access_token, code = "SlAV32hkKG", "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk"
    expected = JwtExpectations(client_id=CLIENT_ID, access_token=access_token, code=code)
    good = make_token(at_hash=half_hash(access_token, "RS256"), c_hash=half_hash(code, "RS256"))
    assert verify_jwt(good, jwks, expected=expected, now=NOW).trusted
    bad = verify_jwt(make_token(at_hash=half_hash("other", "RS256")), jwks, expected=expected, now=NOW)
    assert not bad.trusted
    assert any(p.startswith("at_hash is") and "OIDC Core §3.1.3.6" in p for p in bad.problems)
    absent = verify_jwt(make_token(), jwks, expected=expected, now=NOW)
    assert absent.trusted and any("at_hash is absent" in n for n in absent.notes)


def test_half_hash_matches_the_oidc_definition() -> None:
    import hashlib

    digest = hashlib.sha256(b"jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y").digest()
    assert half_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", "RS256") == (
        base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()
    )
    assert len(half_hash("x", "ES384") or "") == 32  # 24 bytes of SHA-384
    assert len(half_hash("x", "EdDSA") or "") == 43  # 32 bytes of SHA-512
    assert half_hash("x", "none") is None


def test_time_checks_need_an_injected_clock(make_token: MakeToken, jwks: dict[str, Any]) -> None:
    verdict = verify_jwt(make_token(exp=1), jwks, expected=EXPECT)
    assert verdict.trusted  # nothing requested about time ...
    assert any("no evaluation time" in n for n in verdict.notes)  # ... and it says so


def test_entra_tenant_placeholder_issuer(make_token: MakeToken, jwks: dict[str, Any]) -> None:
    template = JwtExpectations(issuer="https://login.microsoftonline.com/{tenantid}/v2.0", client_id=CLIENT_ID)
    iss = f"https://login.microsoftonline.com/{TENANT_ID}/v2.0"
    assert verify_jwt(make_token(iss=iss, tid=TENANT_ID), jwks, expected=template, now=NOW).trusted
    other = verify_jwt(
        make_token(iss=iss, tid="00000000-0000-0000-0000-000000000000"), jwks, expected=template, now=NOW
    )
    assert not other.trusted


def test_verdict_recognises_entra_versions(make_token: MakeToken, jwks: dict[str, Any]) -> None:
    v2 = verify_jwt(make_token(iss=f"https://login.microsoftonline.com/{TENANT_ID}/v2.0", ver="2.0"), jwks, now=NOW)
    assert v2.entra is not None and v2.entra.version == "2.0"
    assert verify_jwt(make_token(), jwks, now=NOW).entra is None
