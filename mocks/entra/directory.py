"""The tenants an Entra-like IdP hosts, and how a URL's ``{tenant}`` resolves.

``{tenant}`` is a tenant GUID, a verified domain, ``common`` (any work
account, and personal accounts) or ``organizations`` (any work account).
Users, apps and federated domains are looked up across all tenants, the way
Entra's home-realm discovery does; whether a user may use an app is decided
later (AADSTS50020).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from sso_harness.mocks.entra.tenant import AppRegistration, EnterpriseApp, EntraUser, FederatedDomain, Tenant

__all__ = ["EntraDirectory", "MULTI_TENANT_SEGMENTS", "UserRef"]

MULTI_TENANT_SEGMENTS = frozenset({"common", "organizations"})


@dataclass(frozen=True)
class UserRef:
    tenant_id: str
    upn: str


class EntraDirectory:
    """Thread-safe; :meth:`update` replaces a tenant, :meth:`reset` restores the start state."""

    def __init__(self, tenants: Sequence[Tenant]) -> None:
        self._initial = tuple(tenants)
        self._tenants = list(tenants)
        self._lock = threading.Lock()

    @property
    def tenants(self) -> tuple[Tenant, ...]:
        with self._lock:
            return tuple(self._tenants)

    def update(self, tenant: Tenant) -> None:
        with self._lock:
            for i, t in enumerate(self._tenants):
                if t.tenant_id == tenant.tenant_id:
                    self._tenants[i] = tenant
                    return
            self._tenants.append(tenant)

    def reset(self) -> None:
        with self._lock:
            self._tenants = list(self._initial)

    def tenant(self, segment: str) -> Tenant | None:
        """The tenant named by a GUID or a verified (managed or federated) domain."""
        key = segment.lower()
        for t in self.tenants:
            if t.tenant_id.lower() == key or key in (d.lower() for d in t.all_domains):
                return t
        return None

    def tenant_by_id(self, tenant_id: str) -> Tenant:
        found = self.tenant(tenant_id)
        if found is None:
            raise LookupError(f"no tenant {tenant_id}")
        return found

    def home_of(self, upn: str) -> tuple[Tenant, EntraUser] | None:
        """The tenant where ``upn`` signs in. Guests are skipped: they sign in at their home tenant."""
        for t in self.tenants:
            user = t.user(upn)
            if user is not None and not user.is_guest:
                return t, user
        return None

    def guest_in(self, tenant: Tenant, home_user: EntraUser) -> EntraUser | None:
        """The B2B guest object ``tenant`` holds for a user of another tenant (matched on the invited address)."""
        invited = {home_user.upn.lower(), home_user.mail.lower()} - {""}
        return next((u for u in tenant.users if u.is_guest and u.mail.lower() in invited), None)

    def user(self, ref: UserRef) -> EntraUser:
        user = self.tenant_by_id(ref.tenant_id).user(ref.upn)
        if user is None:
            raise LookupError(f"no user {ref.upn} in {ref.tenant_id}")
        return user

    def federation_for(self, upn: str) -> FederatedDomain | None:
        domain = upn.rpartition("@")[2].lower()
        for t in self.tenants:
            fed = t.federated_domain(domain)
            if fed is not None:
                return fed
        return None

    def tenant_of_domain(self, domain: str) -> Tenant | None:
        return self.tenant(domain) if domain else None

    def registration_anywhere(self, client_id: str) -> tuple[Tenant, AppRegistration] | None:
        for t in self.tenants:
            reg = t.registration(client_id)
            if reg is not None:
                return t, reg
        return None

    def enterprise_app(self, tenant_id: str, app_id: str) -> EnterpriseApp | None:
        return self.tenant_by_id(tenant_id).app_by_id(app_id)
