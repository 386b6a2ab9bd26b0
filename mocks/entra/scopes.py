"""Scopes of the v2 endpoints: which resource, which permissions, whose consent.

A v2 ``scope`` names permissions of *one* resource (``https://outlook.office.com/IMAP.AccessAsUser.All``;
a bare name like ``Mail.ReadWrite`` means Microsoft Graph) plus the OpenID
Connect scopes. The admin grants delegated permissions on the app
registration ("API permissions", then "Grant admin consent"). Exchange
Online's IMAP/POP/SMTP permissions are listed under Microsoft Graph in the
portal but requested with the Exchange host as prefix (Jira guide): a Graph
grant of the same name covers them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sso_harness.mocks.entra.errors import aadsts
from sso_harness.mocks.entra.tenant import AppRegistration

__all__ = ["Resource", "GRAPH", "EXCHANGE", "EXCHANGE_GCC", "DEFAULT_RESOURCES", "OIDC_SCOPES", "ScopeRequest", "parse_scope", "parse_resource", "find_resource", "static_permissions", "missing_consent"]

OIDC_SCOPES = frozenset({"openid", "profile", "email", "offline_access"})


@dataclass(frozen=True)
class Resource:
    uri: str
    app_id: str
    display_name: str
    scopes: frozenset[str]
    """Delegated permission names, lower case."""
    graph_granted: frozenset[str] = frozenset()
    """Permission names that the portal grants under Microsoft Graph."""


GRAPH = Resource(
    "https://graph.microsoft.com",
    "00000003-0000-0000-c000-000000000000",
    "Microsoft Graph",
    frozenset(
        s.lower()
        for s in (
            "User.Read", "User.ReadBasic.All", "Mail.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.Read",
            "Files.Read", "offline_access", "IMAP.AccessAsUser.All", "POP.AccessAsUser.All", "SMTP.Send",
        )
    ),
)
_EXO_SCOPES = frozenset(s.lower() for s in ("IMAP.AccessAsUser.All", "POP.AccessAsUser.All", "SMTP.Send", "EWS.AccessAsUser.All"))
EXCHANGE = Resource(
    "https://outlook.office.com", "00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online", _EXO_SCOPES, _EXO_SCOPES
)
EXCHANGE_GCC = Resource(
    "https://outlook.office365.com", "00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online", _EXO_SCOPES, _EXO_SCOPES
)
DEFAULT_RESOURCES: Mapping[str, Resource] = {r.uri: r for r in (GRAPH, EXCHANGE, EXCHANGE_GCC)}


@dataclass(frozen=True)
class ScopeRequest:
    raw: str
    oidc: frozenset[str]
    resource: Resource | None
    names: tuple[str, ...]
    """Permission names of :attr:`resource` as requested (``.default`` included)."""
    v1: bool = False
    """Came from a v1 endpoint's ``resource`` parameter: v1 token shapes, the app's static permissions."""

    @property
    def is_default(self) -> bool:
        return ".default" in self.names

    @property
    def offline(self) -> bool:
        return "offline_access" in self.oidc

    def granted(self) -> str:
        """The token response's ``scope``: full permission URIs, then the OIDC scopes asked for."""
        parts = [f"{self.resource.uri}/{n}" for n in self.names] if self.resource else []
        return " ".join(parts + sorted(self.oidc - {"offline_access"}))


def _resource_of(token: str, resources: Mapping[str, Resource], tenant_name: str) -> tuple[Resource, str]:
    if "://" in token:
        prefix, _, name = token.rpartition("/")
        resource = resources.get(prefix.rstrip("/"))
        if resource is None:
            raise aadsts(500011, resource=prefix, tenant_name=tenant_name)
        return resource, name
    if "/" in token:  # e.g. "user.read/.default": neither a Graph name nor a URI
        raise aadsts(70011, scope=token, reason="")
    return resources.get(GRAPH.uri, GRAPH), token


def parse_scope(raw: str | None, resources: Mapping[str, Resource] = DEFAULT_RESOURCES, *, tenant_name: str = "") -> ScopeRequest:
    """Parse a v2 ``scope``; AADSTS90014 when missing, 70011 when not valid, 500011 for an unknown resource."""
    if raw is None or not raw.strip():
        raise aadsts(90014, field="scope")
    oidc: set[str] = set()
    resource: Resource | None = None
    names: list[str] = []
    for token in raw.split():
        if token.lower() in OIDC_SCOPES:
            oidc.add(token.lower())
            continue
        found, name = _resource_of(token, resources, tenant_name)
        if resource is not None and found.uri != resource.uri:
            raise aadsts(70011, scope=f"'{raw}'", reason=" Scopes for more than one resource were requested in one call.")
        resource = found
        if name != ".default" and name.lower() not in found.scopes:
            raise aadsts(70011, scope=f"'{token}'", reason="")
        names.append(name)
    if ".default" in names and len(names) > 1:
        raise aadsts(70011, scope=f"'{raw}'", reason=" '.default' cannot be combined with resource-specific scopes.")
    return ScopeRequest(raw, frozenset(oidc), resource, tuple(names))


def find_resource(value: str, resources: Mapping[str, Resource] = DEFAULT_RESOURCES) -> Resource | None:
    """A v1 ``resource``: the resource URI (a final slash allowed) or its app ID."""
    wanted = value.strip().rstrip("/").lower()
    return next((r for r in resources.values() if wanted in (r.uri.lower(), r.app_id.lower())), None)


def parse_resource(
    resource: str | None, scope: str | None, resources: Mapping[str, Resource] = DEFAULT_RESOURCES, *, tenant_name: str = ""
) -> ScopeRequest:
    """A v1 request: ``resource`` names the API (AADSTS500011 when unknown) and the app gets its statically
    configured permissions, as ``/.default`` does on v2; ``scope`` only adds ``openid``. v1 always hands out
    a refresh token, so ``offline_access`` is implied."""
    oidc = {"offline_access"} | ({"openid"} if "openid" in (scope or "").split() else set())
    found = None
    if resource:
        found = find_resource(resource, resources)
        if found is None:
            raise aadsts(500011, resource=resource, tenant_name=tenant_name)
    return ScopeRequest(resource or "", frozenset(oidc), found, (".default",) if found else (), v1=True)


def static_permissions(registration: AppRegistration, resource: Resource) -> tuple[str, ...]:
    """The delegated permissions configured on the registration for ``resource`` (v1 ``scp`` and ``scope``)."""
    out = []
    for p in registration.api_permissions:
        if p.lower() in OIDC_SCOPES:
            continue
        prefix, _, name = p.rpartition("/") if "://" in p else (GRAPH.uri, "/", p)
        covered = prefix.rstrip("/") == resource.uri or (prefix.rstrip("/") == GRAPH.uri and name.lower() in resource.graph_granted)
        if covered and name.lower() in resource.scopes:
            out.append(name)
    return tuple(out)


def _grants(permissions: Iterable[str], resources: Mapping[str, Resource]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for p in permissions:
        if p.lower() in OIDC_SCOPES:
            continue
        if "://" in p:
            prefix, _, name = p.rpartition("/")
            out.add((prefix.rstrip("/"), name.lower()))
        else:
            out.add((GRAPH.uri, p.lower()))
    return out


def missing_consent(request: ScopeRequest, registration: AppRegistration, resources: Mapping[str, Resource] = DEFAULT_RESOURCES) -> list[str]:
    """Requested permissions nobody has consented to (users cannot consent in these tenants)."""
    if request.resource is None:
        return []
    if not registration.admin_consent:
        return [f"{request.resource.uri}/{n}" for n in request.names]
    if request.is_default:
        return []
    grants = _grants(registration.api_permissions, resources)
    missing = []
    for name in request.names:
        key = name.lower()
        covered = (request.resource.uri, key) in grants or (
            key in request.resource.graph_granted and (GRAPH.uri, key) in grants
        )
        if not covered:
            missing.append(f"{request.resource.uri}/{name}")
    return missing
