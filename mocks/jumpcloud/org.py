"""The JumpCloud-like IdP's configuration: users, user groups, SSO applications.

An SSO application is what the admin console's "SSO" tab holds for one SP:
IdP entity ID, SP entity ID, ACS URL (for WS-Federation: the reply URL), the
attributes to send and the user groups allowed to use it. A user may have a
TOTP secret (JumpCloud MFA), which adds a verification-code step to login. For the Microsoft 365 connector the guide fills in
the domain for the IdP entity ID; Entra then knows that value as the
federated domain's IssuerUri.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["JcUser", "JcAttribute", "JcApp", "USER_FIELDS"]

USER_FIELDS = ("email", "username", "firstname", "lastname", "displayname", "immutable_id", "groups")


@dataclass(frozen=True)
class JcUser:
    email: str
    password: str
    firstname: str = ""
    lastname: str = ""
    username: str = ""
    groups: tuple[str, ...] = ()
    immutable_id: str = ""
    totp_secret: str | None = None
    """Base32 secret of the user's JumpCloud Protect / authenticator app; login then asks for a TOTP code."""

    def field(self, name: str) -> tuple[str, ...]:
        if name not in USER_FIELDS:
            raise ValueError(f"unknown JumpCloud user field {name!r}; known: {', '.join(USER_FIELDS)}")
        if name == "groups":
            return self.groups
        if name == "displayname":
            return (f"{self.firstname} {self.lastname}".strip(),)
        value = getattr(self, name)
        return (value,) if value else ()

    def __repr__(self) -> str:
        return f"JcUser(email={self.email!r})"


@dataclass(frozen=True)
class JcAttribute:
    """One "user attribute mapping" row: the attribute name the SP sees, and the user field."""

    name: str
    field: str


@dataclass(frozen=True)
class JcApp:
    slug: str
    display_name: str
    idp_entity_id: str
    sp_entity_id: str
    acs_url: str
    attributes: tuple[JcAttribute, ...] = ()
    name_id_field: str = "email"
    name_id_format: str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    groups: tuple[str, ...] = ()
    """User groups bound to the app; empty means every user."""
    sign: Literal["assertion", "response", "both"] = "both"
    relay_state: str | None = None
    """Default RelayState of an IdP-initiated launch."""
    wsfed_claims: tuple[JcAttribute, ...] = ()
    """Claims of a WS-Federation sign-in (``/wsfed/{slug}``), named by claim URI; the SAML 1.1 token
    writes each as AttributeNamespace + AttributeName. The NameIdentifier is :attr:`name_id_field`."""
