"""The attack lab: loopback servers the security battery attacks from and proves itself on.

Public API::

    AttackLab(saml_weaknesses=, rp_weaknesses=, outbound_proxy=, clock=)  # context manager
    AttackerSite(base_url), serve_attacker_site(host=, port=), Hit, same_origin(url, origin)
    LoopbackProvider(base_url, name=, clock=, attacker_key=), serve_provider(name=), ProviderClient, EndUser
    IdTokenKey, Tamper, TAMPERS, claims_for(...), issue_id_token(claims, key, tamper=)
"""

from __future__ import annotations

from sso_harness.mocks.attack_lab.id_tokens import TAMPERS, IdTokenKey, Tamper, claims_for, issue_id_token
from sso_harness.mocks.attack_lab.lab import LAB_IDP_ENTITY_ID, RELYING_PARTIES, AttackLab
from sso_harness.mocks.attack_lab.oidc_provider import EndUser, LoopbackProvider, ProviderClient, serve_provider
from sso_harness.mocks.attack_lab.site import AttackerSite, Hit, same_origin, serve_attacker_site

__all__ = [
    "LAB_IDP_ENTITY_ID",
    "RELYING_PARTIES",
    "TAMPERS",
    "AttackLab",
    "AttackerSite",
    "EndUser",
    "Hit",
    "IdTokenKey",
    "LoopbackProvider",
    "ProviderClient",
    "Tamper",
    "claims_for",
    "issue_id_token",
    "same_origin",
    "serve_attacker_site",
    "serve_provider",
]
