"""Claims of a SAML assertion as Entra composes them from the app's configuration.

Order follows the observed responses (entra.md §1): tenantid,
objectidentifier, displayname, identityprovider, authnmethodsreferences,
then the app's configured claims in order, then groups (or, beyond 150
groups, the ``groups.link`` overage claim). A claim whose source
is empty is left out (a user without ``mail`` gets no emailaddress claim).
The NameID comes from the "Unique User Identifier" source; an empty source
is an error (AADSTS501241), which is what Atlassian's guide warns about for
tenants without Microsoft 365 licences.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sso_harness.mocks.entra.errors import aadsts
from sso_harness.mocks.entra.tenant import (
    CLAIM_URI,
    NAMEID_EMAIL,
    NAMEID_PERSISTENT,
    NAMEID_TRANSIENT,
    NAMEID_UNSPECIFIED,
    EnterpriseApp,
    EntraUser,
    Tenant,
)

__all__ = [
    "SOURCES",
    "AuthMethod",
    "PASSWORD",
    "MULTIFACTOR",
    "federated",
    "is_assigned",
    "SUPPORTED_NAMEID_FORMATS",
    "user_value",
    "name_id_for",
    "saml_attributes",
    "sts_issuer",
    "GROUPS_LINK",
    "SAML_GROUP_LIMIT",
    "JWT_GROUP_LIMIT",
    "IMPLICIT_GROUP_LIMIT",
    "group_membership_url",
    "jwt_group_claims",
]

#: The SAML overage claim (entra.md §1): sent instead of the groups claim beyond :data:`SAML_GROUP_LIMIT` groups.
GROUPS_LINK = CLAIM_URI["groups.link"]
#: Group IDs a SAML assertion carries at most (entra.md §1).
SAML_GROUP_LIMIT = 150
#: Group IDs a JWT carries at most (entra.md §2).
JWT_GROUP_LIMIT = 200
#: Group IDs a JWT sent in a URL (implicit flow) carries at most; from six on: ``hasgroups`` (entra.md §2).
IMPLICIT_GROUP_LIMIT = 5

SOURCES = (
    "user.userprincipalname",
    "user.mail",
    "user.objectid",
    "user.givenname",
    "user.surname",
    "user.displayname",
    "user.tenantid",
    "user.onpremisesimmutableid",
)

SUPPORTED_NAMEID_FORMATS = (NAMEID_PERSISTENT, NAMEID_EMAIL, NAMEID_UNSPECIFIED, NAMEID_TRANSIENT)


@dataclass(frozen=True)
class AuthMethod:
    """How the user proved who they are, in the forms Entra reports it."""

    names: str
    """As AADSTS75011 lists it, e.g. ``Password, ProtectedTransport``."""
    amr_uris: tuple[str, ...]
    """authnmethodsreferences values."""
    class_ref: str
    """AuthnContextClassRef of the AuthnStatement."""
    satisfies: frozenset[str]
    """RequestedAuthnContext class refs (Comparison="exact") this method meets."""
    amr: tuple[str, ...]
    """The token ``amr`` claim."""


_AC = "urn:oasis:names:tc:SAML:2.0:ac:classes:"
PASSWORD = AuthMethod(
    "Password, ProtectedTransport",
    ("http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password",),
    _AC + "Password",
    frozenset({_AC + "Password", _AC + "PasswordProtectedTransport", _AC + "unspecified"}),
    ("pwd",),
)
MULTIFACTOR = AuthMethod(
    "Password, ProtectedTransport, MultiFactor",
    (
        "http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password",
        "http://schemas.microsoft.com/claims/multipleauthn",
    ),
    _AC + "Password",
    frozenset({_AC + "Password", _AC + "PasswordProtectedTransport", _AC + "unspecified", "http://schemas.microsoft.com/claims/multipleauthn"}),
    ("pwd", "mfa"),
)


def federated(class_ref: str | None) -> AuthMethod:
    """A sign-in finished at a federated IdP: Entra passes its authentication context on."""
    ref = class_ref or _AC + "unspecified"
    return AuthMethod(ref.rsplit(":", 1)[-1], (ref,), ref, frozenset({ref, _AC + "unspecified"}), ("fed",))


def sts_issuer(tenant_id: str) -> str:
    """The SAML Issuer and identity-provider value: ``https://sts.windows.net/<tid>/``."""
    return f"https://sts.windows.net/{tenant_id}/"


def user_value(user: EntraUser, tenant: Tenant, source: str) -> str:
    """The value of a source attribute (``""`` when the user has none)."""
    values = {
        "user.userprincipalname": user.upn,
        "user.mail": user.mail,
        "user.objectid": user.object_id,
        "user.givenname": user.given_name,
        "user.surname": user.surname,
        "user.displayname": user.display_name,
        "user.tenantid": tenant.tenant_id,
        "user.onpremisesimmutableid": user.immutable_id or "",
    }
    if source not in values:
        raise ValueError(f"unknown source attribute {source!r}; known: {', '.join(SOURCES)}")
    return values[source]


def name_id_for(
    app: EnterpriseApp, user: EntraUser, tenant: Tenant, requested_format: str | None, transient: Callable[[], str]
) -> tuple[str, str]:
    """``(value, format)`` of the NameID; ``transient()`` makes the value when that format is used."""
    fmt = app.name_id_format or (requested_format if requested_format in SUPPORTED_NAMEID_FORMATS else None) or NAMEID_EMAIL
    if fmt == NAMEID_TRANSIENT:
        return transient(), fmt
    value = user_value(user, tenant, app.name_id_source)
    if not value:
        raise aadsts(501241, source=app.name_id_source.removeprefix("user."))
    return value, fmt


def saml_attributes(
    app: EnterpriseApp, user: EntraUser, tenant: Tenant, method: AuthMethod, identity_provider: str
) -> dict[str, tuple[str, ...]]:
    attrs: dict[str, tuple[str, ...]] = {
        CLAIM_URI["tenantid"]: (tenant.tenant_id,),
        CLAIM_URI["objectidentifier"]: (user.object_id,),
        CLAIM_URI["displayname"]: (user.display_name,),
        CLAIM_URI["identityprovider"]: (identity_provider,),
        CLAIM_URI["authnmethodsreferences"]: method.amr_uris,
    }
    for claim in app.claims:
        value = user_value(user, tenant, claim.source)
        if value:
            attrs[claim.name] = attrs.get(claim.name, ()) + (value,)
    if app.group_claims and user.groups:
        if len(user.groups) > SAML_GROUP_LIMIT:
            attrs[GROUPS_LINK] = (group_membership_url(tenant.tenant_id, user.object_id),)
        else:
            attrs[CLAIM_URI["groups"]] = tuple(user.groups)
    return attrs


def group_membership_url(tenant_id: str, object_id: str) -> str:
    """Where an app reads the groups a token left out (the overage claim's value).

    Microsoft's docs say only "a Graph URL"; this is the AAD Graph form
    ``https://graph.windows.net/<tid>/users/<oid>/getMemberObjects`` that
    Entra has been seen to send (unverified against a current tenant, which
    may send a Microsoft Graph URL instead).
    """
    return f"https://graph.windows.net/{tenant_id}/users/{object_id}/getMemberObjects"


def jwt_group_claims(user: EntraUser, tenant: Tenant, *, implicit: bool) -> dict[str, Any]:
    """The group claims of a JWT whose app asks for groups (entra.md §2).

    Up to :data:`JWT_GROUP_LIMIT` (200) group IDs go in ``groups``; beyond
    that the overage claim: ``_claim_names: {"groups": "src1"}`` and
    ``_claim_sources: {"src1": {"endpoint": <url>}}``. A token sent in a URL
    (the implicit flow) carries at most five: from six groups on it gets
    ``hasgroups: true`` instead. No groups, no claim.
    """
    if not user.groups:
        return {}
    if implicit and len(user.groups) > IMPLICIT_GROUP_LIMIT:
        return {"hasgroups": True}
    if len(user.groups) > JWT_GROUP_LIMIT:
        return {"_claim_names": {"groups": "src1"},
                "_claim_sources": {"src1": {"endpoint": group_membership_url(tenant.tenant_id, user.object_id)}}}
    return {"groups": list(user.groups)}


def is_assigned(assignments: Sequence[str], user: EntraUser) -> bool:
    """Direct assignment or membership of an assigned group (nested groups do not count)."""
    granted = {a.lower() for a in assignments}
    return user.object_id.lower() in granted or any(g.lower() in granted for g in user.groups)
