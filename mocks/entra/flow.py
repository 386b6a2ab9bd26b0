"""A sign-in in progress, and the SSO sessions it leaves behind.

A :class:`Flow` starts at ``/saml2``, ``/oauth2/v2.0/authorize`` or the
launcher, and carries what must happen once the user is known (the
protocol *leg*). Its ``ctx`` travels in every page's hidden inputs (as the
real page's ``ctx``/``flowToken``) and as the RelayState of a federated
round trip. A :class:`SignedIn` session is what the SSO cookie points to.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from dataclasses import dataclass

from sso_harness.mocks.base.records import with_changes
from sso_harness.mocks.entra.claims import AuthMethod
from sso_harness.mocks.entra.directory import UserRef
from sso_harness.mocks.entra.scopes import ScopeRequest

__all__ = ["SamlLeg", "OAuthLeg", "Flow", "SignedIn", "FlowStore", "SessionStore"]


@dataclass(frozen=True)
class SamlLeg:
    tenant_id: str
    app_id: str
    acs_url: str
    audience: str
    request_id: str | None
    relay_state: str | None
    name_id_format: str | None = None
    sp_name_qualifier: str | None = None
    requested_classes: tuple[str, ...] = ()
    force_authn: bool = False


@dataclass(frozen=True)
class OAuthLeg:
    client_id: str
    app_tenant_id: str
    redirect_uri: str
    platform: str
    scope: ScopeRequest
    response_type: str
    response_mode: str
    state: str | None = None
    nonce: str | None = None
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    prompt: str | None = None


@dataclass(frozen=True)
class SignedIn:
    """Who signed in, how, and when (an SSO session, or the result of a flow)."""

    user: UserRef
    method: AuthMethod
    identity_provider: str
    auth_time: dt.datetime
    kmsi: bool = False


@dataclass(frozen=True)
class Flow:
    ctx: str
    path_tenant: str
    tenant_id: str | None
    """The tenant the request was addressed to; None for ``common``/``organizations``."""
    leg: SamlLeg | OAuthLeg
    login_hint: str = ""
    user: UserRef | None = None
    signed_in: SignedIn | None = None
    federation_request_id: str | None = None


class FlowStore:
    """Flows by ``ctx``; a flow is taken out once it completes (no second use)."""

    def __init__(self) -> None:
        self._flows: dict[str, Flow] = {}
        self._lock = threading.Lock()

    def open(self, path_tenant: str, tenant_id: str | None, leg: SamlLeg | OAuthLeg, login_hint: str = "") -> Flow:
        flow = Flow(secrets.token_urlsafe(24), path_tenant, tenant_id, leg, login_hint)
        with self._lock:
            self._flows[flow.ctx] = flow
            if len(self._flows) > 10_000:  # abandoned sign-ins must not grow without bound
                self._flows.pop(next(iter(self._flows)))
        return flow

    def get(self, ctx: str) -> Flow | None:
        with self._lock:
            return self._flows.get(ctx)

    def update(self, flow: Flow, **changes: object) -> Flow:
        new = with_changes(flow, changes)
        with self._lock:
            self._flows[flow.ctx] = new
        return new

    def close(self, ctx: str) -> Flow | None:
        with self._lock:
            return self._flows.pop(ctx, None)

    def clear(self) -> None:
        with self._lock:
            self._flows.clear()


class SessionStore:
    """SSO sessions by cookie value."""

    def __init__(self) -> None:
        self._sessions: dict[str, SignedIn] = {}
        self._lock = threading.Lock()

    def create(self, signed_in: SignedIn) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[sid] = signed_in
        return sid

    def get(self, sid: str | None) -> SignedIn | None:
        if not sid:
            return None
        with self._lock:
            return self._sessions.get(sid)

    def end(self, sid: str | None) -> None:
        with self._lock:
            self._sessions.pop(sid or "", None)

    def clear(self) -> None:
        with self._lock:
            self._sessions.clear()
