"""OpenID Connect relying parties for the security battery: hardened, or with chosen weaknesses.

Public API::

    OidcRelyingParty(base_url=, providers=[RpProvider(...)], weaknesses=(), outbound=, clock=, name=)
    RpProvider(name, issuer, client_id, client_secret)
    RpWeakness, open_to(weaknesses, providers=1), parse_rp_weaknesses(names)
    validate_id_token(token, jwks=, issuer=, client_id=, nonce=, now=, weaknesses=())
"""

from __future__ import annotations

from sso_harness.mocks.oidc_rp.id_token import validate_id_token
from sso_harness.mocks.oidc_rp.rp import OidcRelyingParty, RpProvider
from sso_harness.mocks.oidc_rp.weaknesses import OPENS, PROOF_SETS, RpWeakness, open_to, parse_rp_weaknesses

__all__ = ["OPENS", "PROOF_SETS", "OidcRelyingParty", "RpProvider", "RpWeakness", "open_to", "parse_rp_weaknesses", "validate_id_token"]
