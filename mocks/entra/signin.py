"""The sign-in steps: username, password, verification code, "Stay signed in?".

Each step is a server-rendered page whose form posts back with the flow's
``ctx``. A username in a federated domain leaves for the federated IdP
(:mod:`sso_harness.mocks.entra.federation`) and comes back through
:meth:`SignInSteps.authenticated`. An SSO session cookie skips the pages
unless the request forces authentication. The protocol leg (SAML or OAuth)
finishes through the ``complete`` callback, which closes the flow.

Routes served: ``POST /{tenant}/login`` (username and password),
``POST /common/SAS/ProcessAuth`` (code), ``POST /kmsi``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from sso_harness.mocks.entra.claims import MULTIFACTOR, PASSWORD, sts_issuer
from sso_harness.mocks.entra.context import EntraContext
from sso_harness.mocks.entra.directory import UserRef
from sso_harness.mocks.entra.error_shapes import page_error
from sso_harness.mocks.entra.errors import aadsts
from sso_harness.mocks.entra.flow import Flow, SignedIn
from sso_harness.mocks.entra.tenant import FederatedDomain
from sso_harness.mocks.entra.pages import kmsi_page, otc_page, password_page, username_page
from sso_harness.mocks.entra.totp import verify_totp
from sso_harness.mocks.web.http import Request, Response

__all__ = ["SignInSteps", "Completer", "FederationStarter", "SESSION_COOKIE", "PERSISTENT_COOKIE"]

Completer = Callable[[Flow, SignedIn, Request], Response]
SESSION_COOKIE = "ESTSAUTH"
PERSISTENT_COOKIE = "ESTSAUTHPERSISTENT"
KMSI_DAYS = 90

UNKNOWN_USER = "This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin."
WRONG_PASSWORD = "Your account or password is incorrect. If you don't remember your password, reset it now."
WRONG_CODE = "You didn't enter the expected verification code. Please try again."


class FederationStarter(Protocol):
    def start(self, flow: Flow, username: str, domain: FederatedDomain) -> Response: ...


class SignInSteps:
    def __init__(self, ctx: EntraContext, complete: Completer) -> None:
        self.ctx = ctx
        self.complete = complete
        self.federation: FederationStarter | None = None

    # -- entry ------------------------------------------------------------------
    def session(self, request: Request) -> SignedIn | None:
        for name in (PERSISTENT_COOKIE, SESSION_COOKIE):
            found = self.ctx.sessions.get(request.cookies.get(self.ctx.cookie(name)))
            if found is not None:
                return found
        return None

    def begin(self, flow: Flow, request: Request, *, force: bool = False) -> Response:
        """Finish at once on an SSO session, otherwise show the username page."""
        session = self.session(request)
        if session is not None and not force:
            self.ctx.flows.update(flow, signed_in=session)
            return self.complete(flow, session, request)
        return self._username(flow)

    # -- pages --------------------------------------------------------------------
    def _fields(self, flow: Flow) -> dict[str, str]:
        return {"ctx": flow.ctx, "flowToken": flow.ctx, "canary": flow.ctx[::-1]}

    def _action(self, flow: Flow) -> str:
        return f"/{flow.path_tenant}/login"

    def _username(self, flow: Flow, error: str = "", code: int | None = None, hint: str | None = None) -> Response:
        tenant = self.ctx.directory.tenant(flow.tenant_id) if flow.tenant_id else None
        return username_page(
            self._action(flow),
            self._fields(flow),
            login_hint=flow.login_hint if hint is None else hint,
            error=error,
            error_code=code,
            brand=tenant.display_name if tenant else "",
        )

    def _flow(self, form: Mapping[str, str]) -> Flow | None:
        return self.ctx.flows.get(form.get("ctx") or form.get("flowToken") or "")

    def _expired(self) -> Response:
        return page_error(aadsts(90014, field="flowToken"), self.ctx.correlation())

    # -- POST /{tenant}/login -------------------------------------------------------
    def post_login(self, request: Request, _: Mapping[str, str]) -> Response:
        form = request.form
        flow = self._flow(form)
        if flow is None:
            return self._expired()
        username = form.get("loginfmt", "").strip()
        if not username:
            return self._username(flow, "Enter a valid email address, phone number, or Skype name.", hint="")
        domain = self.ctx.directory.federation_for(username)
        if domain is not None and self.federation is not None:
            return self.federation.start(flow, username, domain)
        home = self.ctx.directory.home_of(username)
        if home is None:
            self.ctx.record(username, "", 50034, "unknown user")
            return self._username(flow, UNKNOWN_USER, 50034, hint=username)
        tenant, user = home
        ref = UserRef(tenant.tenant_id, user.upn)
        flow = self.ctx.flows.update(flow, user=ref)
        if "passwd" not in form:
            return password_page(self._action(flow), self._fields(flow), username=user.upn)
        if form["passwd"] != user.password:
            self.ctx.record(user.upn, "", 50126, "invalid password")
            return password_page(self._action(flow), self._fields(flow), username=user.upn, error=WRONG_PASSWORD, error_code=50126)
        if user.totp_secret:
            return otc_page("/common/SAS/ProcessAuth", self._fields(flow), username=user.upn)
        return self.authenticated(flow, SignedIn(ref, PASSWORD, sts_issuer(tenant.tenant_id), self.ctx.clock()), request)

    # -- POST /common/SAS/ProcessAuth -------------------------------------------------
    def post_otc(self, request: Request, _: Mapping[str, str]) -> Response:
        form = request.form
        flow = self._flow(form)
        if flow is None or flow.user is None:
            return self._expired()
        user = self.ctx.directory.user(flow.user)
        if not user.totp_secret or not verify_totp(user.totp_secret, form.get("otc", ""), self.ctx.clock()):
            self.ctx.record(user.upn, "", 500121, "wrong verification code")
            return otc_page("/common/SAS/ProcessAuth", self._fields(flow), username=user.upn, error=WRONG_CODE)
        signed_in = SignedIn(flow.user, MULTIFACTOR, sts_issuer(flow.user.tenant_id), self.ctx.clock())
        return self.authenticated(flow, signed_in, request)

    # -- after the user proved who they are -------------------------------------------
    def authenticated(self, flow: Flow, signed_in: SignedIn, request: Request) -> Response:
        flow = self.ctx.flows.update(flow, user=signed_in.user, signed_in=signed_in)
        tenant = self.ctx.directory.tenant_by_id(signed_in.user.tenant_id)
        if tenant.show_kmsi:
            return kmsi_page("/kmsi", self._fields(flow), username=signed_in.user.upn)
        return self._finish(flow, signed_in, request)

    # -- POST /kmsi ------------------------------------------------------------------
    def post_kmsi(self, request: Request, _: Mapping[str, str]) -> Response:
        form = request.form
        flow = self._flow(form)
        if flow is None or flow.signed_in is None:
            return self._expired()
        stay = form.get("LoginOptions", "") in ("1", "Yes")
        signed_in = SignedIn(flow.signed_in.user, flow.signed_in.method, flow.signed_in.identity_provider, flow.signed_in.auth_time, kmsi=stay)
        return self._finish(flow, signed_in, request)

    def _finish(self, flow: Flow, signed_in: SignedIn, request: Request) -> Response:
        sid = self.ctx.sessions.create(signed_in)
        response = self.complete(flow, signed_in, request)
        if signed_in.kmsi:
            response.set_cookie(self.ctx.cookie(PERSISTENT_COOKIE), sid, max_age=KMSI_DAYS * 86400)
        else:
            response.set_cookie(self.ctx.cookie(SESSION_COOKIE), sid)
        return response
