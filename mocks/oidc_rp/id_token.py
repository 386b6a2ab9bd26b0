"""The relying party's ID-token validation (OIDC Core §3.1.3.7), with its weaknesses switchable.

Hardened: RS256 only, a key from the provider's JWKS, ``iss`` equal to the
provider's issuer, ``aud`` (and ``azp``) naming the client, ``exp``/``iat``
at the relying party's clock with 60 s of skew, and the nonce it sent. Each
weakness skips one of those steps, nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from sso_harness.protocols import DecodeError
from sso_harness.protocols.jose import JwtExpectations, as_jwks, check_claims, check_signature, decode_jwt
from sso_harness.mocks.oidc_rp.weaknesses import RpWeakness

__all__ = ["validate_id_token", "SKEW"]

SKEW = dt.timedelta(seconds=60)
R = RpWeakness


def validate_id_token(
    token: str,
    *,
    jwks: Mapping[str, Any],
    issuer: str,
    client_id: str,
    nonce: str | None,
    now: dt.datetime,
    weaknesses: Collection[RpWeakness] = (),
) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
    """``(claims, ())`` when the token is accepted, ``(None, problems)`` otherwise."""
    try:
        jwt = decode_jwt(token)
    except DecodeError as exc:
        return None, (f"ID token unreadable: {exc}",)
    problems: list[str] = []
    unsigned_ok = R.SKIPS_SIGNATURE in weaknesses or (R.ACCEPTS_ALG_NONE in weaknesses and jwt.alg.lower() == "none")
    if not unsigned_ok:
        try:
            keys = as_jwks(dict(jwks))
        except DecodeError as exc:
            return None, (f"the provider's JWKS is unreadable: {exc}",)
        problems += check_signature(jwt, keys, allowed_algs=("RS256",)).problems
    expected = JwtExpectations(
        issuer=None if R.NO_ISS_CHECK in weaknesses else issuer,
        client_id=None if R.NO_AUD_CHECK in weaknesses else client_id,
        nonce=None if R.NO_NONCE_CHECK in weaknesses else nonce,
    )
    checked = check_claims(jwt.header, jwt.claims, expected, now=None if R.NO_EXP_CHECK in weaknesses else now, skew=SKEW)
    problems += checked.problems
    return (None, tuple(problems)) if problems else (dict(jwt.claims), ())
