"""ID tokens as the loopback OpenID provider issues them, and the tampered ones it can swap in (pure).

A tampered token is right in every claim but the one under attack, and
names the victim (``sub``, ``email``): a relying party that misses the
check signs the attacker in as someone else.

* ``alg-none``: header ``{"alg": "none"}``, empty signature (RFC 8725 §3.1);
* ``wrong-key``: RS256 by the attacker's key under the provider's ``kid``;
* ``wrong-iss`` / ``wrong-aud``: another issuer / another client;
* ``expired``: ``exp`` an hour ago (beyond any sane skew);
* ``nonce-mismatch``: a nonce the relying party never sent.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from cryptography.hazmat.primitives.asymmetric import rsa

from sso_harness.protocols.jose import b64url_encode, sign_jwt

__all__ = ["Tamper", "TAMPERS", "IdTokenKey", "claims_for", "issue_id_token", "OTHER_ISSUER", "OTHER_CLIENT"]

Tamper = Literal["alg-none", "wrong-key", "wrong-iss", "wrong-aud", "expired", "nonce-mismatch"]
TAMPERS: tuple[Tamper, ...] = ("alg-none", "wrong-key", "wrong-iss", "wrong-aud", "expired", "nonce-mismatch")
OTHER_ISSUER = "https://op.attacker.invalid"
OTHER_CLIENT = "another-client-of-the-provider"


@dataclass(frozen=True)
class IdTokenKey:
    key: rsa.RSAPrivateKey
    kid: str


def claims_for(
    *, issuer: str, client_id: str, sub: str, email: str, name: str, nonce: str | None, now: dt.datetime, lifetime: int = 600
) -> dict[str, object]:
    at = int(now.timestamp())
    claims: dict[str, object] = {"iss": issuer, "sub": sub, "aud": client_id, "iat": at, "exp": at + lifetime,
                              "email": email, "email_verified": True, "name": name}
    if nonce is not None:
        claims["nonce"] = nonce
    return claims


def issue_id_token(
    claims: Mapping[str, object],
    signing: IdTokenKey,
    *,
    tamper: Tamper | None = None,
    attacker: rsa.RSAPrivateKey | None = None,
    now: dt.datetime | None = None,
) -> str:
    """A compact RS256 ID token over ``claims``, tampered as asked."""
    body = dict(claims)
    if tamper == "wrong-iss":
        body["iss"] = OTHER_ISSUER
    elif tamper == "wrong-aud":
        body["aud"] = OTHER_CLIENT
    elif tamper == "expired":
        at = int((now or dt.datetime.now(dt.timezone.utc)).timestamp())
        body.update(iat=at - 7200, exp=at - 3600)
    elif tamper == "nonce-mismatch":
        body["nonce"] = secrets.token_urlsafe(16)
    if tamper == "alg-none":
        header = b64url_encode(json.dumps({"alg": "none", "typ": "JWT"}, separators=(",", ":")).encode())
        payload = b64url_encode(json.dumps(body, separators=(",", ":")).encode())
        return f"{header}.{payload}."
    if tamper == "wrong-key":
        if attacker is None:
            raise ValueError("the wrong-key tamper needs the attacker's key")
        return sign_jwt(body, attacker, "RS256", signing.kid)
    return sign_jwt(body, signing.key, "RS256", signing.kid)
