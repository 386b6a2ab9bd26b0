"""JSON Web Keys (RFC 7517) ⇄ ``cryptography`` keys, for verification only.

Supported key types (RFC 7518 §6, RFC 8037 §2): ``RSA`` (``n``, ``e``),
``EC`` on P-256/P-384/P-521 (``x``, ``y``), ``OKP`` Ed25519 (``x``), and
``oct`` shared secrets (``k``).  Reading a JWK is total: a key that cannot
be used is kept with a ``problem`` sentence, so a report can say *why* a
published key was skipped.  Export (:func:`jwk_from_public_key`) only ever
writes public members, even when handed a private key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.jose.algorithms import (
    ALGORITHMS,
    CURVE_NAMES,
    AsymmetricPrivateKey,
    AsymmetricPublicKey,
)
from sso_harness.protocols.jose.compact import b64url_decode, b64url_encode

__all__ = ["JwkInfo", "jwk_from_public_key", "jwks_from_keys", "parse_jwk"]

# Members that only a private (or symmetric) JWK has (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2).
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth")
_CURVES = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}
_COORD = {"P-256": 32, "P-384": 48, "P-521": 66}
_MIN_RSA_BITS = 2048  # RFC 7518 §3.3
_MAX_RSA_BITS = 16384  # OpenSSL's verification limit; larger moduli only cost time


@dataclass(frozen=True)
class JwkInfo:
    """One key of a JWKS as published, plus the usable key when there is one.

    ``key`` is a public key object, the secret bytes of an ``oct`` key, or
    None when ``problem`` says why the key cannot be used.  ``private`` is
    True when the JWK carried private members — a published JWKS never
    should.  ``bits`` is the RSA modulus or curve size.
    """

    kid: str | None
    kty: str | None
    alg: str | None
    use: str | None
    crv: str | None = None
    key_ops: tuple[str, ...] = ()
    x5t: str | None = None
    bits: int | None = None
    private: bool = False
    problem: str | None = None
    key: AsymmetricPublicKey | bytes | None = field(default=None, repr=False, compare=False)

    @property
    def usable(self) -> bool:
        return self.key is not None

    def allows_signature_verification(self) -> bool:
        """False when ``use`` or ``key_ops`` restrict the key to other purposes (RFC 7517 §4.2, §4.3)."""
        if self.use is not None and self.use != "sig":
            return False
        return not self.key_ops or "verify" in self.key_ops


def _str(jwk: Mapping[str, Any], name: str) -> str | None:
    value = jwk.get(name)
    return value if isinstance(value, str) else None


def _member(jwk: Mapping[str, Any], name: str, kty: str) -> bytes:
    value = jwk.get(name)
    if not isinstance(value, str) or not value:
        raise DecodeError(f"{kty} key has no '{name}' member", where=name)
    return b64url_decode(value, where=name)


def _load(jwk: Mapping[str, Any], kty: str | None, crv: str | None) -> tuple[AsymmetricPublicKey | bytes, int]:
    if kty == "RSA":
        n = int.from_bytes(_member(jwk, "n", kty), "big")
        e = int.from_bytes(_member(jwk, "e", kty), "big")
        try:
            public = rsa.RSAPublicNumbers(e, n).public_key()
        except ValueError as exc:
            raise DecodeError(f"invalid RSA public key ({exc})", where="n") from None
        return public, public.key_size
    if kty == "EC":
        if crv not in _CURVES:
            raise DecodeError(f"unsupported EC curve {crv!r} (P-256, P-384, P-521 are supported)", where="crv")
        x, y = _member(jwk, "x", kty), _member(jwk, "y", kty)
        size = _COORD[crv]
        if len(x) != size or len(y) != size:
            raise DecodeError(f"{crv} coordinates must be {size} bytes each", where="x")
        try:
            point = ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[crv], b"\x04" + x + y)
        except ValueError:
            raise DecodeError(f"the point is not on curve {crv}", where="x") from None
        return point, point.curve.key_size
    if kty == "OKP":
        if crv != "Ed25519":
            raise DecodeError(f"unsupported OKP curve {crv!r} (Ed25519 is supported)", where="crv")
        x = _member(jwk, "x", kty)
        if len(x) != 32:
            raise DecodeError("an Ed25519 public key is 32 bytes", where="x")
        return ed25519.Ed25519PublicKey.from_public_bytes(x), 256
    if kty == "oct":
        secret = _member(jwk, "k", kty)
        return secret, 8 * len(secret)
    raise DecodeError(f"unsupported key type {kty!r}", where="kty")


def parse_jwk(jwk: object) -> JwkInfo:
    """Read one JWK; never raises — unusable keys carry ``problem``."""
    if not isinstance(jwk, Mapping):
        return JwkInfo(None, None, None, None, problem=f"a JWK must be a JSON object, got {type(jwk).__name__}")
    kty, crv = _str(jwk, "kty"), _str(jwk, "crv")
    ops = jwk.get("key_ops")
    info = JwkInfo(
        kid=_str(jwk, "kid"),
        kty=kty,
        alg=_str(jwk, "alg"),
        use=_str(jwk, "use"),
        crv=crv,
        key_ops=tuple(o for o in ops if isinstance(o, str)) if isinstance(ops, list) else (),
        x5t=_str(jwk, "x5t"),
        private=any(name in jwk for name in PRIVATE_MEMBERS),
    )
    try:
        key, bits = _load(jwk, kty, crv)
    except DecodeError as exc:
        return _replace(info, problem=f"{exc.where}: {exc.reason}" if exc.where else exc.reason)
    problem = None
    if kty == "RSA" and bits < _MIN_RSA_BITS:
        problem = f"RSA key of {bits} bits is below the {_MIN_RSA_BITS}-bit minimum of RFC 7518 §3.3"
    elif kty == "RSA" and bits > _MAX_RSA_BITS:
        problem = f"RSA key of {bits} bits is larger than the {_MAX_RSA_BITS} bits this verifier accepts"
    elif info.alg is not None and info.alg in ALGORITHMS and ALGORITHMS[info.alg].kty != kty:
        problem = f"the JWK says alg {info.alg} but its kty is {kty}"
    return _replace(info, key=None if problem else key, bits=bits, problem=problem)


def _replace(info: JwkInfo, **changes: Any) -> JwkInfo:
    values = {name: getattr(info, name) for name in info.__dataclass_fields__}
    values.update(changes)
    return JwkInfo(**values)


def _public_members(public: AsymmetricPublicKey) -> dict[str, str]:
    if isinstance(public, rsa.RSAPublicKey):
        numbers = public.public_numbers()
        n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
        e = numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")
        return {"kty": "RSA", "n": b64url_encode(n), "e": b64url_encode(e)}
    if isinstance(public, ec.EllipticCurvePublicKey):
        crv = next(c for c, name in CURVE_NAMES.items() if name == public.curve.name)
        point = public.public_numbers()
        size = _COORD[crv]
        return {
            "kty": "EC",
            "crv": crv,
            "x": b64url_encode(point.x.to_bytes(size, "big")),
            "y": b64url_encode(point.y.to_bytes(size, "big")),
        }
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}


def jwk_from_public_key(
    key: AsymmetricPublicKey | AsymmetricPrivateKey, kid: str | None = None, alg: str | None = None
) -> dict[str, str]:
    """The public JWK of ``key`` with ``use: sig`` (private members are never written).

    When ``kid`` is None the RFC 7638 thumbprint (SHA-256, base64url) is used.
    """
    public: AsymmetricPublicKey
    if isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)):
        public = key.public_key()
    elif isinstance(key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey, ed25519.Ed25519PublicKey)):
        public = key
    else:
        raise TypeError(f"not an RSA, EC or Ed25519 key: {type(key).__name__}")
    members = _public_members(public)
    if kid is None:
        canonical = "{" + ",".join(f'"{k}":"{members[k]}"' for k in sorted(members)) + "}"
        kid = b64url_encode(hashlib.sha256(canonical.encode("ascii")).digest())
    jwk = {**members, "kid": kid, "use": "sig"}
    if alg is not None:
        jwk["alg"] = alg
    return jwk


def jwks_from_keys(
    entries: Iterable[tuple[AsymmetricPublicKey | AsymmetricPrivateKey, str | None, str | None]],
) -> dict[str, list[dict[str, str]]]:
    """A JWKS document ``{"keys": [...]}`` from ``(key, kid, alg)`` triples."""
    return {"keys": [jwk_from_public_key(key, kid, alg) for key, kid, alg in entries]}
