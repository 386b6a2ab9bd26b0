"""JOSE for the harness: compact JWS/JWT, JWK/JWKS, verification, signing.

Public API::

    decode_jwt(token) -> Jwt                                      # no signature check
    verify_jwt(token, jwks, *, expected=None, now=None, skew=300 s) -> JwtVerdict
    JwtExpectations(issuer=, client_id=, audience=, nonce=, access_token=, code=)
    entra_token_version(claims) -> EntraTokenVersion(version, note)
    decode_jwks(data) -> Jwks        select_jwks_uri(discovery) -> str
    sign_jwt(claims, private_key, alg, kid, headers=None) -> str  # tests and mocks
    jwk_from_public_key(key, kid, alg) -> dict    jwks_from_keys(entries) -> dict
    half_hash(value, alg) -> str | None                           # at_hash / c_hash
    fetch_jwks(url, opener=urlopen) -> Jwks                       # the only I/O

Algorithms: RS256/384/512, PS256/384/512, ES256/384/512, EdDSA (Ed25519),
HS256/384/512 with ``oct`` keys only; ``alg: none`` is always rejected.
"""

from __future__ import annotations

from sso_harness.protocols.jose.algorithms import ALGORITHMS, JwsAlgorithm
from sso_harness.protocols.jose.claims import (
    DEFAULT_SKEW,
    ClaimCheck,
    JwtExpectations,
    check_claims,
    numeric_date,
)
from sso_harness.protocols.jose.compact import Jwt, b64url_decode, b64url_encode, decode_jwt, looks_like_jwt
from sso_harness.protocols.jose.entra import EntraTokenVersion, entra_token_version
from sso_harness.protocols.jose.fetch import JwksFetchError, Opener, fetch_jwks
from sso_harness.protocols.jose.jsonobj import parse_json_object
from sso_harness.protocols.jose.jwk import JwkInfo, jwk_from_public_key, jwks_from_keys, parse_jwk
from sso_harness.protocols.jose.jwks import Jwks, as_jwks, decode_jwks, select_jwks_uri
from sso_harness.protocols.jose.oidc_hash import half_hash
from sso_harness.protocols.jose.sign import sign_jwt
from sso_harness.protocols.jose.signature import SignatureOutcome, check_signature
from sso_harness.protocols.jose.verdict import JwtVerdict, verify_jwt

__all__ = [
    "ALGORITHMS",
    "DEFAULT_SKEW",
    "ClaimCheck",
    "EntraTokenVersion",
    "JwkInfo",
    "Jwks",
    "JwksFetchError",
    "JwsAlgorithm",
    "Jwt",
    "JwtExpectations",
    "JwtVerdict",
    "Opener",
    "SignatureOutcome",
    "as_jwks",
    "b64url_decode",
    "b64url_encode",
    "check_claims",
    "check_signature",
    "decode_jwks",
    "decode_jwt",
    "entra_token_version",
    "fetch_jwks",
    "half_hash",
    "jwk_from_public_key",
    "jwks_from_keys",
    "looks_like_jwt",
    "numeric_date",
    "parse_json_object",
    "parse_jwk",
    "select_jwks_uri",
    "sign_jwt",
    "verify_jwt",
]
