"""Recognising Entra ID (Azure AD) OAuth 2.0 / OIDC endpoint URLs.

Entra serves two generations side by side (entra.md §2): v1.0 under
``/{tenant}/oauth2/<endpoint>`` and v2.0 under ``/{tenant}/oauth2/v2.0/<endpoint>``,
on ``login.microsoftonline.com`` and its aliases.  ``{tenant}`` is a tenant
GUID, a verified domain, or one of ``common``, ``organizations``,
``consumers``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

__all__ = ["ENTRA_HOSTS", "EntraEndpoint", "entra_endpoint"]

# Alias hosts listed by Entra's own instance discovery (entra.md §2).
ENTRA_HOSTS = frozenset({"login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"})
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_PATH = re.compile(r"/(?P<tenant>[^/]+)/oauth2/(?:(?P<v2>v2\.0)/)?(?P<endpoint>authorize|token|logout|devicecode)/?")

TenantKind = Literal["guid", "domain", "common", "organizations", "consumers"]
_MULTI_TENANT: dict[str, TenantKind] = {"common": "common", "organizations": "organizations", "consumers": "consumers"}


@dataclass(frozen=True)
class EntraEndpoint:
    """An Entra OAuth endpoint: its ``version`` ("1.0"/"2.0"), ``tenant`` as written, and the tenant's kind."""

    host: str
    tenant: str
    tenant_kind: TenantKind
    version: Literal["1.0", "2.0"]
    endpoint: str


def _tenant_kind(tenant: str) -> TenantKind:
    kind = _MULTI_TENANT.get(tenant.lower())
    if kind is not None:
        return kind
    return "guid" if _GUID.fullmatch(tenant) else "domain"


def entra_endpoint(url: str) -> EntraEndpoint | None:
    """The Entra endpoint ``url`` points at, or None when it is not one."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if host not in ENTRA_HOSTS:
        return None
    match = _PATH.fullmatch(parts.path)
    if match is None:
        return None
    tenant = match["tenant"]
    return EntraEndpoint(
        host=host,
        tenant=tenant,
        tenant_kind=_tenant_kind(tenant),
        version="2.0" if match["v2"] else "1.0",
        endpoint=match["endpoint"],
    )
