"""Choosing the verification key and checking a JWS signature (RFC 7515 §5.2).

Rules, in the order they are applied:

* ``alg: none`` is always rejected — an unsigned token proves nothing
  (RFC 8725 §3.1).
* An HMAC ``alg`` (``HS*``) is only ever computed with an ``oct`` JWK.  When
  the selected key is an RSA/EC/OKP public key the token is rejected as a
  key-confusion forgery (RFC 8725 §2.1, §3.1): the public key is public, so
  a MAC made with its bytes proves nothing.
* Keys come only from the configured JWKS.  ``jwk``/``jku``/``x5u``/``x5c``
  in the header are ignored (noted), never trusted.
* With a ``kid``, only keys with that ``kid`` are tried; without one, every
  key of the matching ``kty`` is tried and the verifying key's ``kid`` is
  reported.  A JWK's own ``alg``/``use``/``key_ops`` restrict it (RFC 7517 §4).
* ``crit`` extensions are not understood here, so a token that marks any is
  rejected (RFC 7515 §4.1.11).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sso_harness.protocols.jose.algorithms import ALGORITHMS, JwsAlgorithm, raw_verify
from sso_harness.protocols.jose.compact import Jwt
from sso_harness.protocols.jose.jwk import JwkInfo
from sso_harness.protocols.jose.jwks import Jwks

__all__ = ["SignatureOutcome", "check_signature"]

_EMBEDDED_KEY_HEADERS = ("jwk", "jku", "x5u", "x5c")


@dataclass(frozen=True)
class SignatureOutcome:
    """Whether the signature verified, with which key, and why not."""

    valid: bool
    algorithm: str
    kid: str | None = None
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def _name(info: JwkInfo) -> str:
    return f"key {info.kid!r}" if info.kid else "a key without kid"


def _algorithm_problem(jwt: Jwt, allowed: Collection[str] | None) -> str | None:
    alg = jwt.alg
    if alg.lower() == "none":
        return "alg is 'none': the token is unsigned and is never accepted (RFC 8725 §3.1)"
    if alg not in ALGORITHMS:
        return f"alg {alg!r} is not supported (supported: {', '.join(ALGORITHMS)})"
    if allowed is not None and alg not in allowed:
        return f"alg {alg} is not among the accepted algorithms ({', '.join(sorted(allowed)) or 'none'})"
    crit = jwt.header.get("crit")
    if crit is not None:
        names = ", ".join(str(c) for c in crit) if isinstance(crit, list) else repr(crit)
        return f"the header marks critical extensions this verifier does not implement ({names}, RFC 7515 §4.1.11)"
    return None


def _candidate_problem(alg: JwsAlgorithm, info: JwkInfo) -> str | None:
    if alg.symmetric and info.kty != "oct":
        return (
            f"{alg.name} is a shared-secret MAC but {_name(info)} is an {info.kty} public key; a token MACed "
            "with a public key's bytes is a key-confusion forgery and is rejected"
        )
    if info.kty != alg.kty:
        return f"{_name(info)} is an {info.kty} key, but {alg.name} needs an {alg.kty} key"
    if alg.curve is not None and info.crv != alg.curve:
        return f"{_name(info)} is on curve {info.crv}, but {alg.name} needs {alg.curve}"
    if info.alg is not None and info.alg != alg.name:
        return f"{_name(info)} is published for {info.alg} only, the token uses {alg.name}"
    if not info.allows_signature_verification():
        return f"{_name(info)} is not for signatures (use={info.use!r}, key_ops={list(info.key_ops)})"
    if info.key is None:
        return f"{_name(info)} cannot be used: {info.problem}"
    return None


def _candidates(jwt: Jwt, alg: JwsAlgorithm, jwks: Jwks) -> tuple[list[JwkInfo], list[str]]:
    kid = jwt.header.get("kid")
    if kid is not None and not isinstance(kid, str):
        return [], [f"the header's kid is not a string ({type(kid).__name__})"]
    if kid is not None:
        matching = [k for k in jwks.keys if k.kid == kid]
        if not matching:
            known = ", ".join(repr(k) for k in jwks.kids) or "none"
            return [], [f"no key with kid {kid!r} in the JWKS (kids present: {known})"]
        return matching, []
    same_type = [k for k in jwks.keys if k.kty == alg.kty]
    if same_type:
        return same_type, []
    if alg.symmetric and jwks.keys:
        # Surface the key-confusion verdict rather than a bland "no key".
        return list(jwks.keys), []
    return [], [f"the JWKS has no {alg.kty} key for {alg.name} and the token names no kid"]


def check_signature(jwt: Jwt, jwks: Jwks | None, *, allowed_algs: Collection[str] | None = None) -> SignatureOutcome:
    """Verify ``jwt``'s signature against ``jwks``; never raises."""
    notes = tuple(
        f"the header carries '{name}'; it is ignored — keys come only from the configured JWKS"
        for name in _EMBEDDED_KEY_HEADERS
        if name in jwt.header
    )
    refused = _algorithm_problem(jwt, allowed_algs)
    if refused is not None:
        return SignatureOutcome(False, jwt.alg, problems=(refused,), notes=notes)
    if jwks is None:
        return SignatureOutcome(
            False, jwt.alg, problems=("no JWKS was given, so the signature was not checked",), notes=notes
        )
    alg = ALGORITHMS[jwt.alg]
    candidates, problems = _candidates(jwt, alg, jwks)
    tried = 0
    for info in candidates:
        problem = _candidate_problem(alg, info)
        if problem is not None:
            problems.append(problem)
            continue
        tried += 1
        if info.key is not None and raw_verify(alg, info.key, jwt.signing_input, jwt.signature):
            return SignatureOutcome(True, alg.name, kid=info.kid, notes=notes)
    if tried == 1:
        problems.append(f"the {alg.name} signature does not verify with the selected key")
    elif tried > 1:
        problems.append(f"the {alg.name} signature does not verify with any of the {tried} candidate keys")
    return SignatureOutcome(False, alg.name, problems=tuple(problems), notes=notes)
