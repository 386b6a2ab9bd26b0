"""JWS ``alg`` values (RFC 7518 §3, RFC 8037 §3.1) and their raw primitives.

Each algorithm names the key type it needs (``kty``, RFC 7518 §6) — the
basis of the key-confusion rule: an HMAC ``alg`` is never computed with the
bytes of an asymmetric public key.  ECDSA signatures travel as the fixed
length ``r || s`` (RFC 7518 §3.4), not DER, so they are converted both ways.
RSASSA-PSS uses MGF1 with the same hash and a salt as long as the hash
(RFC 7518 §3.5).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Literal

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

__all__ = [
    "ALGORITHMS",
    "CURVE_NAMES",
    "AsymmetricPrivateKey",
    "AsymmetricPublicKey",
    "Family",
    "JwsAlgorithm",
    "raw_sign",
    "raw_verify",
]

Family = Literal["RSA", "PSS", "EC", "EdDSA", "HMAC"]
AsymmetricPublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey
AsymmetricPrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey


@dataclass(frozen=True)
class JwsAlgorithm:
    """One JWS algorithm: its family, hash, required ``kty`` and (for ECDSA) curve."""

    name: str
    family: Family
    kty: str
    hash_name: str
    curve: str | None = None

    def hash(self) -> hashes.HashAlgorithm:
        if self.hash_name == "SHA384":
            return hashes.SHA384()
        return hashes.SHA512() if self.hash_name == "SHA512" else hashes.SHA256()

    @property
    def symmetric(self) -> bool:
        return self.family == "HMAC"


_TABLE = [
    *(JwsAlgorithm(f"RS{n}", "RSA", "RSA", f"SHA{n}") for n in (256, 384, 512)),
    *(JwsAlgorithm(f"PS{n}", "PSS", "RSA", f"SHA{n}") for n in (256, 384, 512)),
    JwsAlgorithm("ES256", "EC", "EC", "SHA256", "P-256"),
    JwsAlgorithm("ES384", "EC", "EC", "SHA384", "P-384"),
    JwsAlgorithm("ES512", "EC", "EC", "SHA512", "P-521"),
    # Ed25519 hashes internally with SHA-512; the hash also sizes at_hash/c_hash.
    JwsAlgorithm("EdDSA", "EdDSA", "OKP", "SHA512", "Ed25519"),
    *(JwsAlgorithm(f"HS{n}", "HMAC", "oct", f"SHA{n}") for n in (256, 384, 512)),
]
ALGORITHMS: dict[str, JwsAlgorithm] = {a.name: a for a in _TABLE}

_CURVE_BYTES = {"P-256": 32, "P-384": 48, "P-521": 66}
# JWK "crv" names (RFC 7518 §6.2.1.1) and the names ``cryptography`` uses.
CURVE_NAMES = {"P-256": "secp256r1", "P-384": "secp384r1", "P-521": "secp521r1"}


def _pss(alg: JwsAlgorithm) -> padding.PSS:
    digest = alg.hash()
    return padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)


def raw_verify(alg: JwsAlgorithm, key: AsymmetricPublicKey | bytes, signing_input: bytes, signature: bytes) -> bool:
    """True iff ``signature`` is valid for ``signing_input`` under ``key``.

    Never raises for bad signatures or mismatched keys: a key of the wrong
    type for ``alg`` simply does not verify (callers report why first).
    """
    try:
        if alg.family == "HMAC":
            if not isinstance(key, bytes):
                return False
            expected = hmac.new(key, signing_input, alg.hash_name.lower()).digest()
            return hmac.compare_digest(expected, signature)
        if alg.family in ("RSA", "PSS") and isinstance(key, rsa.RSAPublicKey):
            pad = padding.PKCS1v15() if alg.family == "RSA" else _pss(alg)
            key.verify(signature, signing_input, pad, alg.hash())
            return True
        if alg.family == "EC" and isinstance(key, ec.EllipticCurvePublicKey):
            size = _CURVE_BYTES[alg.curve or ""]
            if len(signature) != 2 * size or key.curve.name != CURVE_NAMES[alg.curve or ""]:
                return False
            r, s = int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
            key.verify(encode_dss_signature(r, s), signing_input, ec.ECDSA(alg.hash()))
            return True
        if alg.family == "EdDSA" and isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, signing_input)
            return True
    except (InvalidSignature, ValueError, UnsupportedAlgorithm, OverflowError):
        return False
    return False


def raw_sign(alg: JwsAlgorithm, key: AsymmetricPrivateKey | bytes, signing_input: bytes) -> bytes:
    """Sign ``signing_input``; raises ``TypeError`` when the key does not fit ``alg``."""
    if alg.family == "HMAC":
        if not isinstance(key, bytes):
            raise TypeError(f"{alg.name} needs a shared secret (bytes)")
        return hmac.new(key, signing_input, alg.hash_name.lower()).digest()
    if alg.family in ("RSA", "PSS") and isinstance(key, rsa.RSAPrivateKey):
        pad = padding.PKCS1v15() if alg.family == "RSA" else _pss(alg)
        return key.sign(signing_input, pad, alg.hash())
    if alg.family == "EC" and isinstance(key, ec.EllipticCurvePrivateKey):
        size = _CURVE_BYTES[alg.curve or ""]
        if key.curve.name != CURVE_NAMES[alg.curve or ""]:
            raise TypeError(f"{alg.name} needs a {alg.curve} key, got {key.curve.name}")
        r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(alg.hash())))
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    if alg.family == "EdDSA" and isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(signing_input)
    raise TypeError(f"{alg.name} cannot be computed with a {type(key).__name__}")
