"""WS-Federation passive requestor profile (WS-Federation 1.2 §13).

Public API::

    decode_wsfed(params, *, trusted_certs=(), now=None, sp_keys=(), cert_horizon=30 days)
        -> WsFedSignInRequest | WsFedSignOutRequest | WsFedSignInResponse
    wsfed_to_json(message) -> dict   (also reachable through sso_harness.protocols.to_json)
"""

from __future__ import annotations

from sso_harness.protocols.wsfed.decode import SIGNIN, SIGNOUT, SIGNOUT_CLEANUP, decode_wsfed
from sso_harness.protocols.wsfed.jsonview import wsfed_to_json
from sso_harness.protocols.wsfed.messages import (
    Saml11Assertion,
    WsFedMessage,
    WsFedSignInRequest,
    WsFedSignInResponse,
    WsFedSignOutRequest,
)
from sso_harness.protocols.wsfed.rstr import TRUST_12_NS, TRUST_13_NS
from sso_harness.protocols.wsfed.saml11 import SAML11_NS, claim_uri

__all__ = [
    "SAML11_NS",
    "SIGNIN",
    "SIGNOUT",
    "SIGNOUT_CLEANUP",
    "TRUST_12_NS",
    "TRUST_13_NS",
    "Saml11Assertion",
    "WsFedMessage",
    "WsFedSignInRequest",
    "WsFedSignInResponse",
    "WsFedSignOutRequest",
    "claim_uri",
    "decode_wsfed",
    "wsfed_to_json",
]
