"""The Entra-like IdP's configuration, in the portal's own terms.

A :class:`Tenant` has verified domains (managed or federated), users,
enterprise applications (SAML single sign-on) and app registrations
(OAuth 2.0 / OpenID Connect). All values are frozen; a test changes one with
:func:`dataclasses.replace` and ``EntraIdp.update_tenant``, and a reset puts
the start configuration back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sso_harness.mocks.base.directory import CLAIM

__all__ = [
    "NAMEID_EMAIL",
    "NAMEID_PERSISTENT",
    "NAMEID_UNSPECIFIED",
    "NAMEID_TRANSIENT",
    "CLAIM_URI",
    "Claim",
    "DEFAULT_CLAIMS",
    "SigningCertificate",
    "EnterpriseApp",
    "ClientSecret",
    "RedirectUri",
    "AppRegistration",
    "FederatedDomain",
    "EntraUser",
    "Tenant",
]

NAMEID_EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
NAMEID_PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
NAMEID_UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
NAMEID_TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"

#: Claim URIs Entra emits (entra.md §1), keyed by their short names.
CLAIM_URI = {
    **CLAIM,
    "tenantid": "http://schemas.microsoft.com/identity/claims/tenantid",
    "identityprovider": "http://schemas.microsoft.com/identity/claims/identityprovider",
    "authnmethodsreferences": "http://schemas.microsoft.com/claims/authnmethodsreferences",
    "role": "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
    "nameidentifier": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
    "groups.link": "http://schemas.microsoft.com/claims/groups.link",
}


@dataclass(frozen=True)
class Claim:
    """One row of "Attributes & Claims": the claim URI and its source attribute."""

    name: str
    source: str


#: The four editable claims every new non-gallery SAML app starts with.
DEFAULT_CLAIMS: tuple[Claim, ...] = (
    Claim(CLAIM_URI["givenname"], "user.givenname"),
    Claim(CLAIM_URI["surname"], "user.surname"),
    Claim(CLAIM_URI["emailaddress"], "user.mail"),
    Claim(CLAIM_URI["name"], "user.userprincipalname"),
)


@dataclass(frozen=True)
class SigningCertificate:
    """A SAML signing certificate of an app; ``key`` names it in the fleet's key ring."""

    key: str
    active: bool = True


@dataclass(frozen=True)
class EnterpriseApp:
    """A non-gallery enterprise app with SAML single sign-on ("Basic SAML Configuration" and the rest)."""

    app_id: str
    display_name: str
    identifiers: tuple[str, ...]
    """Identifier (Entity ID) values; the AuthnRequest Issuer must be one of them."""
    reply_urls: tuple[str, ...]
    """Reply URLs (ACS); the first is the default, used for IdP-initiated sign-in."""
    sign_on_url: str | None = None
    relay_state: str | None = None
    logout_url: str | None = None
    name_id_source: str = "user.userprincipalname"
    name_id_format: str | None = NAMEID_EMAIL
    """None is the portal's "Default": the format the SP asks for, else emailAddress."""
    claims: tuple[Claim, ...] = DEFAULT_CLAIMS
    group_claims: bool = False
    """"Add a group claim": the user's group object IDs."""
    signing: Literal["assertion", "response", "both"] = "assertion"
    signing_algorithm: Literal["sha256", "sha1"] = "sha256"
    certificates: tuple[SigningCertificate, ...] = ()
    assignment_required: bool = False
    assignments: tuple[str, ...] = ()
    """Object IDs of assigned users and groups."""
    verification_certificates: tuple[str, ...] = ()
    """Key-ring names of the SP's request-signing certificates; when set,
    "Require verification certificates" is on and AuthnRequests must be signed."""

    @property
    def active_certificate(self) -> SigningCertificate | None:
        return next((c for c in self.certificates if c.active), None)


@dataclass(frozen=True)
class ClientSecret:
    """"Certificates & secrets": the portal shows the Value once, and the Secret ID always."""

    secret_id: str
    value: str
    description: str = ""
    expires: dt.datetime | None = None


@dataclass(frozen=True)
class RedirectUri:
    uri: str
    platform: Literal["web", "spa", "public"] = "web"


@dataclass(frozen=True)
class AppRegistration:
    """An app registration (OAuth client) and its service principal's settings."""

    client_id: str
    display_name: str
    redirect_uris: tuple[RedirectUri, ...] = ()
    secrets: tuple[ClientSecret, ...] = ()
    api_permissions: tuple[str, ...] = ()
    """Delegated permissions: ``Mail.ReadWrite`` (Microsoft Graph) or a full scope URI."""
    admin_consent: bool = False
    multi_tenant: bool = False
    """"Accounts in any organizational directory"; False is single tenant."""
    assignment_required: bool = False
    assignments: tuple[str, ...] = ()
    id_tokens_enabled: bool = False
    """Implicit grant: "ID tokens" ticked."""
    group_claims: bool = False
    """"Token configuration → Add groups claim": ID tokens carry the user's groups (or the overage claims)."""


@dataclass(frozen=True)
class FederatedDomain:
    """A domain set to Federated (``Set-MsolDomainAuthentication -Authentication Federated``)."""

    domain: str
    issuer_uri: str
    passive_logon_uri: str
    logoff_uri: str
    signing_certificate: str
    """Base64 DER of the federated IdP's signing certificate, whitespace removed."""
    preferred_authentication_protocol: Literal["SAMLP", "WSFED"] = "SAMLP"
    active_logon_uri: str | None = None
    federation_brand_name: str | None = None


@dataclass(frozen=True)
class EntraUser:
    upn: str
    password: str
    object_id: str
    display_name: str
    given_name: str = ""
    surname: str = ""
    mail: str = ""
    """Empty on tenants without Microsoft 365 licences."""
    groups: tuple[str, ...] = ()
    """Group object IDs."""
    totp_secret: str | None = None
    """Base32 secret of an authenticator app (RFC 6238); sign-in then asks for a code."""
    immutable_id: str | None = None
    """onPremisesImmutableId: the anchor a federated domain's IdP sends as the persistent NameID."""
    user_type: Literal["Member", "Guest"] = "Member"
    """A Guest (B2B) has an ``#EXT#`` UPN and signs in at its home tenant; ``mail`` is the invited address."""

    @property
    def is_guest(self) -> bool:
        return self.user_type == "Guest"

    def __repr__(self) -> str:  # never print the password
        return f"EntraUser(upn={self.upn!r}, object_id={self.object_id!r})"


@dataclass(frozen=True)
class Tenant:
    tenant_id: str
    display_name: str
    domains: tuple[str, ...]
    """Verified managed domains; the first is the default domain."""
    federated_domains: tuple[FederatedDomain, ...] = ()
    users: tuple[EntraUser, ...] = ()
    enterprise_apps: tuple[EnterpriseApp, ...] = ()
    app_registrations: tuple[AppRegistration, ...] = ()
    signing_key: str = "entra-tenant-signing"
    """Key-ring name of the tenant's token-signing key (JWKS, tenant federation metadata)."""
    show_kmsi: bool = True
    groups: tuple[tuple[str, str], ...] = ()
    """``(object ID, display name)`` of the tenant's groups."""

    @property
    def all_domains(self) -> tuple[str, ...]:
        return self.domains + tuple(d.domain for d in self.federated_domains)

    def user(self, upn: str) -> EntraUser | None:
        wanted = upn.strip().lower()
        return next((u for u in self.users if u.upn.lower() == wanted), None)

    def app_by_identifier(self, identifier: str) -> EnterpriseApp | None:
        return next((a for a in self.enterprise_apps if identifier in a.identifiers), None)

    def app_by_id(self, app_id: str) -> EnterpriseApp | None:
        return next((a for a in self.enterprise_apps if a.app_id.lower() == app_id.lower()), None)

    def registration(self, client_id: str) -> AppRegistration | None:
        return next((a for a in self.app_registrations if a.client_id.lower() == client_id.lower()), None)

    def federated_domain(self, domain: str) -> FederatedDomain | None:
        return next((d for d in self.federated_domains if d.domain.lower() == domain.lower()), None)
