"""What the Entra-like IdP's parts share: directory, keys, stores, IDs, log.

Each protocol module (SAML, OAuth, sign-in pages, federation) gets one
:class:`EntraContext` instead of reaching into the server object, so each
can be built and tested on its own.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sso_harness.mocks.base.clock import Clock, IdSource
from sso_harness.mocks.entra.directory import EntraDirectory
from sso_harness.mocks.entra.error_shapes import Correlation, entra_timestamp
from sso_harness.mocks.entra.flow import FlowStore, SessionStore
from sso_harness.mocks.entra.scopes import DEFAULT_RESOURCES, Resource
from sso_harness.mocks.base.keys import KeyPair, KeyRing
from sso_harness.mocks.base.faults import ResponseFaults

__all__ = ["EntraContext", "SignInEvent", "SignInLog", "GuidSource", "random_guids"]

GuidSource = Callable[[], str]


def random_guids() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class SignInEvent:
    """One row of the tenant's sign-in log: who, which app, and the outcome (0 = success)."""

    timestamp: str
    user: str
    app: str
    error_code: int
    detail: str = ""


class SignInLog:
    def __init__(self) -> None:
        self._events: list[SignInEvent] = []
        self._lock = threading.Lock()

    def add(self, event: SignInEvent) -> None:
        with self._lock:
            self._events.append(event)
            del self._events[:-1000]

    def events(self) -> list[SignInEvent]:
        with self._lock:
            return list(self._events)

    def clear(self) -> None:
        with self._lock:
            self._events.clear()


class EntraContext:
    def __init__(
        self,
        *,
        base_url: str,
        directory: EntraDirectory,
        keys: KeyRing,
        wrong_key: KeyPair,
        clock: Clock,
        new_id: IdSource,
        new_guid: GuidSource,
        take_faults: Callable[..., ResponseFaults],
        peek_faults: Callable[..., ResponseFaults],
        cookie: Callable[[str], str],
        resources: Mapping[str, Resource] = DEFAULT_RESOURCES,
    ) -> None:
        self.base_url = base_url
        self.directory = directory
        self.keys = keys
        self.wrong_key = wrong_key
        self.clock = clock
        self.new_id = new_id
        self.new_guid = new_guid
        self.take_faults = take_faults
        self.peek_faults = peek_faults
        self.cookie = cookie
        self.resources = resources
        self.flows = FlowStore()
        self.sessions = SessionStore()
        self.log = SignInLog()

    def correlation(self, correlation_id: str | None = None) -> Correlation:
        """IDs for one STS request; a client's ``client-request-id`` becomes the correlation ID."""
        return Correlation(self.new_guid(), correlation_id or self.new_guid(), self.clock())

    def record(self, user: str, app: str, error_code: int, detail: str = "") -> None:
        self.log.add(SignInEvent(entra_timestamp(self.clock()), user, app, error_code, detail))

    def tenant_key(self, tenant_id: str) -> KeyPair:
        tenant = self.directory.tenant_by_id(tenant_id)
        return self.keys.get(tenant.signing_key, "accounts.accesscontrol.windows.net")

    def issuer_v2(self, tenant_id: str) -> str:
        """The v2 token issuer, on this mock's own origin (OIDC Discovery §4.3: it must match where discovery was fetched)."""
        return f"{self.base_url}/{tenant_id}/v2.0"

    def reset(self) -> None:
        self.flows.clear()
        self.sessions.clear()
        self.log.clear()
