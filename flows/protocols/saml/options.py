"""The knobs every SAML decoder takes, checked once and passed down.

Time is always injected (``now``); nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from sso_harness.protocols.certinfo import DEFAULT_HORIZON
from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.xml.dsig.keys import PrivateKey

__all__ = ["DecodeOptions", "decode_options"]


@dataclass(frozen=True)
class DecodeOptions:
    """Trusted IdP certificates, the evaluation time, the SP's private keys
    (for EncryptedAssertion / EncryptedID) and the certificate-expiry horizon."""

    trusted_certs: tuple[x509.Certificate, ...] = ()
    now: datetime | None = None
    sp_keys: tuple[PrivateKey, ...] = ()
    cert_horizon: timedelta = DEFAULT_HORIZON


def _now(now: datetime | None) -> datetime | None:
    if now is None:
        return None
    if not isinstance(now, datetime):
        raise DecodeError(f"evaluation time must be a datetime, got {type(now).__name__}", where="now")
    # A naive evaluation time is taken as UTC, like SAML's own timestamps.
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def decode_options(
    trusted_certs: Sequence[x509.Certificate] = (),
    now: datetime | None = None,
    sp_keys: Sequence[PrivateKey] = (),
    cert_horizon: timedelta = DEFAULT_HORIZON,
) -> DecodeOptions:
    """Validate and normalise the caller's arguments; DecodeError if a value
    has the wrong type (the decoders stay total even for caller mistakes)."""
    certs = tuple(trusted_certs)
    if not all(isinstance(c, x509.Certificate) for c in certs):
        raise DecodeError("trusted_certs must be x509.Certificate objects", where="trusted_certs")
    keys = tuple(sp_keys)
    if not all(isinstance(k, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)) for k in keys):
        raise DecodeError("sp_keys must be RSA or EC private key objects", where="sp_keys")
    if not isinstance(cert_horizon, timedelta):
        raise DecodeError("cert_horizon must be a timedelta", where="cert_horizon")
    return DecodeOptions(certs, _now(now), keys, cert_horizon)
