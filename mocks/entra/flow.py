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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from sso_harness.mocks.base.records import with_changes
from sso_harness.mocks.entra.claims import AuthMethod
from sso_harness.mocks.entra.directory import UserRef
from sso_harness.mocks.entra.scopes import ScopeRequest

__all__ = ["SamlLeg", "OAuthLeg", "Flow", "SignedIn", "FlowStore", "SessionStore", "ScreenScripts", "SCREEN_STEPS", "ScriptError"]

#: The screens a scripted sign-in can be put through, in the order a script lists them.
#: ``error:<code>`` (an AADSTS error page) may also appear, as the last step.
SCREEN_STEPS = frozenset({
    "account_picker", "account_type", "password", "method_choice", "totp", "push", "number_match",
    "phone_sign_in", "mfa_denied", "mfa_timeout", "kmsi", "proofup", "proofup_required", "password_expired",
    "consent", "auto_post",
})


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
    protocol: Literal["saml", "wsfed"] = "saml"
    """``wsfed``: a ``/wsfed`` sign-in; acs_url is the wreply, audience the wtrealm, relay_state the wctx."""


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
    steps: tuple[str, ...] = ()
    """A scripted sign-in's screens still to come (:class:`ScreenScripts`); empty otherwise."""
    scripted: bool = False
    mfa_done: bool = False
    """A scripted sign-in passed a second factor (the session's method is then multifactor)."""
    kmsi: bool = False
    """A scripted sign-in's answer to "Stay signed in?"."""


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


class ScriptError(ValueError):
    """A screen script names an unknown screen or is malformed (``code`` = ``entra.script``)."""

    code = "entra.script"


def check_script(screens: object) -> tuple[str, ...]:
    """The validated script: a list of :data:`SCREEN_STEPS` names (or ``error:<AADSTS code>``)."""
    if not isinstance(screens, (list, tuple)) or not all(isinstance(s, str) for s in screens):
        raise ScriptError("entra.script: screens is a list of screen names")
    for name in screens:
        if name.startswith("error:"):
            if not name[6:].isdigit():
                raise ScriptError(f"entra.script: {name!r} needs a numeric AADSTS code, e.g. error:50076")
        elif name not in SCREEN_STEPS:
            raise ScriptError(f"entra.script: unknown screen {name!r}; known: {', '.join(sorted(SCREEN_STEPS))}, error:<code>")
    if "account_picker" in screens[1:]:
        raise ScriptError("entra.script: account_picker can only be the first screen")
    return tuple(screens)


class ScreenScripts:
    """Per-user screen sequences (by UPN, case-insensitive) that replace the default username → password → code → KMSI.

    ``initial`` scripts (from the fleet configuration) are validated here and
    come back on :meth:`reset`; :meth:`clear` removes every script.
    """

    def __init__(self, initial: Mapping[str, Sequence[str]] | None = None) -> None:
        self._initial = {upn.strip().lower(): check_script(list(s)) for upn, s in (initial or {}).items()}
        self._scripts: dict[str, tuple[str, ...]] = dict(self._initial)
        self._lock = threading.Lock()

    def set(self, upn: str, screens: object) -> tuple[str, ...]:
        script = check_script(screens)
        with self._lock:
            self._scripts[upn.strip().lower()] = script
        return script

    def get(self, upn: str) -> tuple[str, ...] | None:
        with self._lock:
            return self._scripts.get(upn.strip().lower())

    def pickers(self) -> tuple[str, ...]:
        """The users whose script starts at "Pick an account": the accounts the picker lists."""
        with self._lock:
            return tuple(upn for upn, s in self._scripts.items() if s[:1] == ("account_picker",))

    def clear(self) -> None:
        with self._lock:
            self._scripts.clear()

    def reset(self) -> None:
        """Back to the configured scripts (scripts set through the admin API go)."""
        with self._lock:
            self._scripts = dict(self._initial)
