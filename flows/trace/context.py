"""What hop decoders may use: trust anchors, decryption keys, JWKS and the evaluation time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from cryptography import x509

from sso_harness.protocols.jose import Jwks
from sso_harness.protocols.xml.dsig.keys import PrivateKey

__all__ = ["DecodeContext", "SamlDecodeArguments"]


class SamlDecodeArguments(TypedDict):
    """The keyword arguments the SAML and WS-Federation decoders take from a context."""

    trusted_certs: Sequence[x509.Certificate]
    now: dt.datetime | None
    sp_keys: Sequence[PrivateKey]
    cert_horizon: dt.timedelta


@dataclass(frozen=True)
class DecodeContext:
    """Trust anchors (``trusted_certs``), SP decryption keys (``sp_keys``), the OIDC
    provider's keys (``jwks``), the evaluation time (``now``; None: validity windows
    are not judged) and how close a certificate's expiry must be to warn."""

    trusted_certs: Sequence[x509.Certificate] = ()
    sp_keys: Sequence[PrivateKey] = ()
    jwks: Jwks | Mapping[str, Any] | None = None
    now: dt.datetime | None = None
    cert_horizon: dt.timedelta = dt.timedelta(days=30)
    options: dict[str, object] = field(default_factory=dict)

    @property
    def saml_kwargs(self) -> SamlDecodeArguments:
        return {"trusted_certs": self.trusted_certs, "now": self.now, "sp_keys": self.sp_keys, "cert_horizon": self.cert_horizon}
