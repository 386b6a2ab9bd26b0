"""One verdict per JWT: signature, claim checks, and whether to trust it.

``trusted`` is True only when the signature verified against the configured
JWKS *and* every requested claim check passed (RFC 8725 §3, OIDC Core
§3.1.3.7).  Everything else is reported, not raised: a forged, expired or
mis-addressed token still yields a :class:`JwtVerdict` whose ``problems``
say why it is not trusted.  Only a token that cannot be decoded at all
raises :class:`~sso_harness.protocols.DecodeError`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

from sso_harness.protocols.jose.claims import DEFAULT_SKEW, JwtExpectations, check_claims
from sso_harness.protocols.jose.compact import Jwt, decode_jwt
from sso_harness.protocols.jose.entra import EntraTokenVersion, entra_token_version
from sso_harness.protocols.jose.jwks import Jwks, as_jwks
from sso_harness.protocols.jose.signature import check_signature

__all__ = ["JwtVerdict", "verify_jwt"]


@dataclass(frozen=True)
class JwtVerdict:
    """A decoded JWT with its verification outcome; kind ``jose.jwt``.

    ``kid`` names the key that verified the signature (None when none did);
    ``algorithm`` is the header's ``alg``.  ``checked`` lists the claim
    checks performed; ``notes`` are remarks that are not failures.
    ``token`` is the compact text (a credential; views show a fingerprint).
    """

    kind: ClassVar[str] = "jose.jwt"

    header: dict[str, Any]
    claims: dict[str, Any]
    signature_valid: bool
    kid: str | None
    algorithm: str
    trusted: bool
    problems: tuple[str, ...]
    notes: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()
    entra: EntraTokenVersion | None = None
    token: str = field(default="", repr=False)


def verify_jwt(
    token: str | bytes | Jwt,
    jwks: Jwks | Mapping[str, Any] | str | bytes | None,
    *,
    expected: JwtExpectations | None = None,
    now: datetime | None = None,
    skew: timedelta = DEFAULT_SKEW,
    allowed_algs: Collection[str] | None = None,
) -> JwtVerdict:
    """Decode ``token``, verify its signature against ``jwks`` and check its claims.

    ``jwks`` may be a parsed :class:`Jwks`, a JWKS dict, one JWK dict, JSON
    text, or None (signature not checked, so never trusted).  Raises
    :class:`DecodeError` only for an undecodable token or JWKS.
    """
    jwt = token if isinstance(token, Jwt) else decode_jwt(token)
    keys = None if jwks is None else as_jwks(jwks)
    signature = check_signature(jwt, keys, allowed_algs=allowed_algs)
    claim_check = check_claims(jwt.header, jwt.claims, expected, now=now, skew=skew)
    problems = signature.problems + claim_check.problems
    entra = entra_token_version(jwt.claims)
    return JwtVerdict(
        header=jwt.header,
        claims=jwt.claims,
        signature_valid=signature.valid,
        kid=signature.kid,
        algorithm=jwt.alg,
        trusted=signature.valid and not problems,
        problems=problems,
        notes=signature.notes + claim_check.notes,
        checked=claim_check.checked,
        entra=entra if entra.version is not None else None,
        token=jwt.token,
    )
