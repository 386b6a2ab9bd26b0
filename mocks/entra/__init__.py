"""The Entra-like IdP: tenants (members, guests, synced users), enterprise apps (SAML and WS-Fed),
app registrations (OAuth 2.0 / OIDC, v1 and v2 endpoints), federated domains (SAMLP or WS-Fed),
the sign-in pages and AADSTS errors in Entra's three shapes."""

from __future__ import annotations

from sso_harness.mocks.entra.errors import AadstsError, aadsts
from sso_harness.mocks.entra.idp import EntraIdp
from sso_harness.mocks.entra.tenant import (
    CLAIM_URI,
    DEFAULT_CLAIMS,
    NAMEID_EMAIL,
    NAMEID_PERSISTENT,
    NAMEID_TRANSIENT,
    NAMEID_UNSPECIFIED,
    AppRegistration,
    Claim,
    ClientSecret,
    EnterpriseApp,
    EntraUser,
    FederatedDomain,
    RedirectUri,
    SigningCertificate,
    Tenant,
)
from sso_harness.mocks.entra.totp import totp, verify_totp

__all__ = [
    "CLAIM_URI",
    "DEFAULT_CLAIMS",
    "NAMEID_EMAIL",
    "NAMEID_PERSISTENT",
    "NAMEID_TRANSIENT",
    "NAMEID_UNSPECIFIED",
    "AadstsError",
    "AppRegistration",
    "Claim",
    "ClientSecret",
    "EnterpriseApp",
    "EntraIdp",
    "EntraUser",
    "FederatedDomain",
    "RedirectUri",
    "SigningCertificate",
    "Tenant",
    "aadsts",
    "totp",
    "verify_totp",
]
