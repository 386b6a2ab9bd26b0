"""What a person needs to know about an X.509 certificate, as a value.

Used to report which trusted certificate verified a signature, what a
message's ``KeyInfo`` carried (informational only: never used for trust),
and when a signing certificate is about to expire — the usual cause of a
login that breaks overnight (a missed IdP certificate rollover).

Fields follow RFC 5280 §4.1: subject and issuer as RFC 4514 strings, serial
as hex, validity as aware UTC datetimes.  Fingerprints are lower-case hex
of the DER encoding, as IdP admin consoles show them (without colons).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

from sso_harness.protocols.errors import DECODE_CERTIFICATE_UNREADABLE, DecodeError

__all__ = ["DEFAULT_HORIZON", "CertificateInfo", "certificate_info", "expiry_warnings"]

DEFAULT_HORIZON = timedelta(days=30)


@dataclass(frozen=True)
class CertificateInfo:
    """Identity, validity and key of one certificate.

    ``key_type`` is ``"RSA"``, ``"EC P-256"``-style, ``"DSA"``, ``"Ed25519"``,
    ``"Ed448"`` or ``"unknown"``; ``key_bits`` the key size (None if unknown).
    ``self_signed`` compares subject and issuer names (what a metadata
    reviewer checks), not the signature.
    """

    subject: str
    issuer: str
    serial_hex: str
    sha256_fingerprint: str
    sha1_fingerprint: str
    not_before: datetime
    not_after: datetime
    key_type: str
    key_bits: int | None
    self_signed: bool

    def short(self) -> str:
        """``CN=…, sha256 ab12cd34…`` — enough to tell certificates apart."""
        return f"{self.subject or '(empty subject)'} (sha256 {self.sha256_fingerprint[:16]}…)"


def _key(cert: x509.Certificate) -> tuple[str, int | None]:
    try:
        key = cert.public_key()
    except (ValueError, UnsupportedAlgorithm):
        return "unknown", None
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        names = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
        return f"EC {names.get(key.curve.name, key.curve.name)}", key.key_size
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456
    return "unknown", None


def _describe(cert: x509.Certificate) -> CertificateInfo:
    key_type, key_bits = _key(cert)
    subject, issuer = cert.subject, cert.issuer
    return CertificateInfo(
        subject=subject.rfc4514_string(),
        issuer=issuer.rfc4514_string(),
        serial_hex=format(cert.serial_number, "x"),
        sha256_fingerprint=cert.fingerprint(hashes.SHA256()).hex(),
        sha1_fingerprint=cert.fingerprint(hashes.SHA1()).hex(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        key_type=key_type,
        key_bits=key_bits,
        self_signed=subject == issuer,
    )


@functools.lru_cache(maxsize=256)
def certificate_info(cert: x509.Certificate) -> CertificateInfo:
    """Describe ``cert`` (cached: the same few IdP certificates recur).

    ``cryptography`` parses certificate fields lazily, so a damaged
    certificate that loaded may still fail here: that is a
    :class:`DecodeError` (``where="certificate"``), never another exception.
    """
    try:
        return _describe(cert)
    # The lazy ASN.1 layer raises ValueError, KeyError (unknown string tags)
    # and more for damaged fields; any of them means "unreadable" here.
    except Exception as exc:  # noqa: BLE001
        raise DecodeError.from_library(
            exc, where="certificate", what="certificate", code=DECODE_CERTIFICATE_UNREADABLE
        ) from None


def _day(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d")


def expiry_warnings(
    certs: Sequence[CertificateInfo | x509.Certificate],
    now: datetime,
    horizon: timedelta = DEFAULT_HORIZON,
) -> list[str]:
    """One warning per certificate that is expired, not yet valid, or
    expires within ``horizon`` of ``now`` (RFC 5280 §4.1.2.5: both bounds
    inclusive).  ``now`` is injected; a naive value is taken as UTC.
    Unreadable certificates are skipped (they cannot expire meaningfully).

    Phrasing: ``"<subject> (sha256 …): expires in 12 days (2026-12-04)"``,
    ``"… expired on 2020-01-01"``, ``"… not yet valid (from 2030-01-01)"``.
    """
    moment = now.replace(tzinfo=UTC) if now.tzinfo is None else now
    found: list[str] = []
    for cert in certs:
        try:
            info = cert if isinstance(cert, CertificateInfo) else certificate_info(cert)
        except DecodeError:
            continue
        if info.not_after < moment:
            found.append(f"certificate {info.short()}: expired on {_day(info.not_after)}")
        elif info.not_before > moment:
            found.append(f"certificate {info.short()}: not yet valid (from {_day(info.not_before)})")
        elif info.not_after - moment <= horizon:
            days = (info.not_after - moment).days
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            found.append(f"certificate {info.short()}: expires {when} ({_day(info.not_after)})")
    return found
