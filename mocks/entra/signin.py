"""The sign-in steps: username, password, verification code, "Stay signed in?".

Each step is a server-rendered page whose form posts back with the flow's
``ctx``. A username in a federated domain leaves for the federated IdP
(:mod:`sso_harness.mocks.entra.federation`) and comes back through
:meth:`SignInSteps.authenticated`. An SSO session cookie skips the pages
unless the request forces authentication. The protocol leg (SAML or OAuth)
finishes through the ``complete`` callback, which closes the flow.

Routes served: ``POST /{tenant}/login`` (username and password),
``POST /common/SAS/ProcessAuth`` (code), ``POST /common/SAS/EndAuth`` (has the
phone answered? :mod:`.phone`), ``POST /kmsi``.

A user with a screen script (:class:`~sso_harness.mocks.entra.flow.ScreenScripts`,
set by ``POST /_admin/screens {"user": upn, "screens": [...]}`` or
``SignInSteps.scripts.set``) goes through exactly the screens listed, in that
order, after the username (or from "Pick an account", when the script starts
there): the scripted screens post back to ``/{tenant}/login`` with a
``step`` field naming the screen they answer; the code page still posts to
``ProcessAuth``. When the script ends, the sign-in completes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from sso_harness.mocks.entra.claims import MULTIFACTOR, PASSWORD, sts_issuer
from sso_harness.mocks.entra.context import EntraContext
from sso_harness.mocks.entra.directory import UserRef
from sso_harness.mocks.entra.error_shapes import page_error
from sso_harness.mocks.entra.errors import aadsts
from sso_harness.mocks.entra.flow import Flow, ScreenScripts, ScriptError, SignedIn
from sso_harness.mocks.entra.tenant import FederatedDomain
from sso_harness.mocks.entra.pages import (
    account_picker_page,
    account_type_page,
    auto_post_page,
    change_password_page,
    consent_page,
    kmsi_page,
    method_choice_page,
    mfa_failed_page,
    otc_page,
    password_page,
    proofup_page,
    push_page,
    username_page,
)
from sso_harness.mocks.entra.phone import APPROVAL_SCREENS, Pending, Phone, PhoneError
from sso_harness.mocks.entra.totp import verify_totp
from sso_harness.mocks.web.http import Request, Response, html_page, json_response

__all__ = ["SignInSteps", "Completer", "FederationStarter", "SESSION_COOKIE", "PERSISTENT_COOKIE"]

Completer = Callable[[Flow, SignedIn, Request], Response]
SESSION_COOKIE = "ESTSAUTH"
PERSISTENT_COOKIE = "ESTSAUTHPERSISTENT"
KMSI_DAYS = 90
END_AUTH = "/common/SAS/EndAuth"

UNKNOWN_USER = "This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin."
WRONG_PASSWORD = "Your account or password is incorrect. If you don't remember your password, reset it now."
WRONG_CODE = "You didn't enter the expected verification code. Please try again."


class FederationStarter(Protocol):
    def start(self, flow: Flow, username: str, domain: FederatedDomain) -> Response: ...


class SignInSteps:
    def __init__(self, ctx: EntraContext, complete: Completer, screens: Mapping[str, Sequence[str]] | None = None) -> None:
        self.ctx = ctx
        self.complete = complete
        self.federation: FederationStarter | None = None
        self.scripts = ScreenScripts(screens)
        self.phone = Phone()

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
        pickers = self.scripts.pickers()
        if pickers:
            return account_picker_page(self._action(flow), self._fields(flow), accounts=pickers)
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
        step = form.get("step", "")
        if step == "account_picker" and form.get("other"):
            return self._username(flow, hint="")
        if step and step != "account_picker":
            return self._scripted_post(flow, step, form, request)
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
            script = self.scripts.get(user.upn)
            if script is not None:
                steps = script[1:] if script[:1] == ("account_picker",) else script
                flow = self.ctx.flows.update(flow, steps=steps, scripted=True, mfa_done=False, kmsi=False)
                return self._next_screen(flow, request)
            return password_page(self._action(flow), self._fields(flow), username=user.upn)
        if form["passwd"] != user.password:
            self.ctx.record(user.upn, "", 50126, "invalid password")
            return password_page(self._action(flow), self._fields(flow), username=user.upn, error=WRONG_PASSWORD, error_code=50126)
        if flow.scripted:
            return self._next_screen(flow, request)
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
        if flow.scripted:
            return self._next_screen(self.ctx.flows.update(flow, mfa_done=True), request)
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
        if flow is not None and flow.scripted and form.get("step") == "kmsi":
            return self._scripted_post(flow, "kmsi", form, request)
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

    # -- the phone (Authenticator approvals) ----------------------------------------------
    def post_end_auth(self, request: Request, _: Mapping[str, str]) -> Response:
        """``POST /common/SAS/EndAuth``: has the phone answered this flow's request? (:mod:`.phone`)."""
        try:
            body = request.json()
        except ValueError:
            body = {}
        data = body if isinstance(body, dict) else {}
        ctx = str(data.get("Ctx") or data.get("FlowToken") or "")
        flow = self.ctx.flows.get(ctx)
        answer = self.phone.result(ctx) if flow is not None else False
        c = self.ctx.correlation()
        result = {True: "Success", False: "PhoneAppDenied", None: "AuthenticationPending"}[answer]
        return json_response({
            "Success": answer is True, "ResultValue": result, "Message": None,
            "AuthMethodId": str(data.get("AuthMethodId") or "PhoneAppNotification"), "ErrCode": 0 if answer is not False else 500121,
            "Retry": answer is None, "FlowToken": ctx, "Ctx": ctx, "SessionId": c.trace_id, "CorrelationId": c.correlation_id,
            "Timestamp": c.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        })

    def admin_approvals(self, request: Request, _: Mapping[str, str]) -> Response:
        """``GET /_admin/approvals``: the requests waiting on the phone (user, screen, number shown)."""
        return json_response({"pending": [{"user": p.user, "screen": p.screen, "number": p.number} for p in self.phone.pending()]})

    def admin_approve(self, request: Request, _: Mapping[str, str]) -> Response:
        """``POST /_admin/approve {"user": upn, "number": "42", "deny": false}``: the phone answers the user's request."""
        try:
            body = request.json()
            if not isinstance(body, dict) or not isinstance(body.get("user"), str):
                raise PhoneError('entra.phone: the body is {"user": upn, "number": "<shown>", "deny": false}')
            number, deny = body.get("number"), body.get("deny", False)
            if (number is not None and not isinstance(number, (str, int))) or not isinstance(deny, bool):
                raise PhoneError("entra.phone: number is the number the browser shows, deny true or false")
            answered = self.phone.answer(body["user"], approve=not deny, number=None if number is None else str(number))
        except (ValueError, PhoneError) as exc:
            return json_response({"error": str(exc), "code": PhoneError.code}, status=400)
        approved = self.phone.result(answered.ctx) is True
        if not approved:
            self.ctx.record(answered.user, "", 500121, "denied on the phone")
        return json_response({"ok": True, "user": answered.user, "screen": answered.screen, "approved": approved}, status=201)

    # -- scripted sign-ins -------------------------------------------------------------
    def admin_screens(self, request: Request, _: Mapping[str, str]) -> Response:
        """``POST /_admin/screens {"user": upn, "screens": [...]}``: script a user's sign-in (until reset)."""
        try:
            body = request.json()
            if not isinstance(body, dict) or not isinstance(body.get("user"), str):
                raise ScriptError('entra.script: the body is {"user": upn, "screens": [...]}')
            script = self.scripts.set(body["user"], body.get("screens"))
        except (ValueError, ScriptError) as exc:
            return json_response({"error": str(exc), "code": ScriptError.code}, status=400)
        return json_response({"ok": True, "user": body["user"], "screens": list(script)}, status=201)

    def _next_screen(self, flow: Flow, request: Request) -> Response:
        """Show the script's next screen, or complete the sign-in when the script is done."""
        if not flow.steps:
            assert flow.user is not None
            method = MULTIFACTOR if flow.mfa_done else PASSWORD
            signed_in = SignedIn(flow.user, method, sts_issuer(flow.user.tenant_id), self.ctx.clock(), kmsi=flow.kmsi)
            flow = self.ctx.flows.update(flow, signed_in=signed_in)
            return self._finish(flow, signed_in, request)
        current, rest = flow.steps[0], flow.steps[1:]
        flow = self.ctx.flows.update(flow, steps=rest)
        return self._render(flow, current)

    def _render(self, flow: Flow, screen: str) -> Response:
        assert flow.user is not None
        user = self.ctx.directory.user(flow.user)
        action, fields, upn = self._action(flow), self._fields(flow), user.upn
        if screen == "password":
            return password_page(action, fields, username=upn)
        if screen == "account_type":
            return account_type_page(action, fields, username=upn)
        if screen == "method_choice":
            methods = ("PhoneAppNotification", "PhoneAppOTP") if user.totp_secret else ("PhoneAppNotification", "OneWaySMS")
            return method_choice_page(action, fields, username=upn, methods=methods)
        if screen == "totp":
            return otc_page("/common/SAS/ProcessAuth", fields, username=upn)
        if screen in APPROVAL_SCREENS:
            number = None if screen == "push" else str(10 + int.from_bytes(flow.ctx.encode()[:4], "big") % 90)
            self.phone.ask(Pending(flow.ctx, upn, screen, number))
            return push_page(action, fields, username=upn, number=number, phone_sign_in=screen == "phone_sign_in",
                             another_way=bool(user.totp_secret) and screen != "phone_sign_in", poll_url=END_AUTH)
        if screen in ("mfa_denied", "mfa_timeout"):
            self.ctx.record(upn, "", 500121, screen)
            return mfa_failed_page(action, fields, username=upn, timed_out=screen == "mfa_timeout")
        if screen == "kmsi":
            # Posts to /kmsi, as the real page does (entra.md §3 step 5), not back to /login.
            return kmsi_page("/kmsi", {**fields, "step": "kmsi"}, username=upn)
        if screen in ("proofup", "proofup_required"):
            return proofup_page(action, fields, username=upn, skip_days=14 if screen == "proofup" else None)
        if screen == "password_expired":
            return change_password_page(action, fields, username=upn)
        if screen == "consent":
            return consent_page(action, fields, username=upn, app_name="Contoso app",
                                permissions=("Sign you in and read your profile", "Maintain access to data you have given it access to"))
        if screen == "auto_post":
            return auto_post_page(action, fields)
        if screen.startswith("error:"):
            code = int(screen[6:])
            self.ctx.record(upn, "", code, "scripted error")
            return page_error(aadsts(code), self.ctx.correlation())
        raise ScriptError(f"entra.script: no screen {screen!r}")  # check_script keeps this unreachable

    def _scripted_post(self, flow: Flow, step: str, form: Mapping[str, str], request: Request) -> Response:
        """A scripted screen's answer: move on, or show what the real page shows for that answer."""
        user = flow.user
        if user is None or not flow.scripted:
            return self._expired()
        if step == "method_choice":
            method = form.get("method", "")
            steps = flow.steps
            if method == "PhoneAppOTP":
                # The code page is what this choice shows: it stands for a scripted "totp" next.
                flow = self.ctx.flows.update(flow, steps=steps[1:] if steps[:1] == ("totp",) else steps)
                return self._render(flow, "totp")
            if method == "PhoneAppNotification":
                nxt = steps[0] if steps[:1] in (("push",), ("number_match",)) else "number_match"
                flow = self.ctx.flows.update(flow, steps=steps[1:] if steps[:1] == (nxt,) else steps)
                return self._render(flow, nxt)
            return self._render(flow, "method_choice")
        if step == "push":
            asked = self.phone.request(flow.ctx)
            answer = self.phone.result(flow.ctx)
            if form.get("another") or answer is not None:
                self.phone.done(flow.ctx)
            if form.get("another"):
                return self._render(flow, "method_choice")
            if answer is True:
                return self._next_screen(self.ctx.flows.update(flow, mfa_done=True), request)
            if answer is False:
                return self._render(flow, "mfa_denied")
            # Not answered yet: the same request stays on screen (only the phone moves it on).
            screen = asked.screen if asked is not None else "push"
            return push_page(self._action(flow), self._fields(flow), username=user.upn,
                             number=asked.number if asked is not None else None, phone_sign_in=screen == "phone_sign_in",
                             another_way=bool(self.ctx.directory.user(user).totp_secret) and screen != "phone_sign_in",
                             poll_url=END_AUTH)
        if step == "kmsi":
            flow = self.ctx.flows.update(flow, kmsi=form.get("LoginOptions", "") in ("1", "Yes"))
            return self._next_screen(flow, request)
        if step == "proofup" and not form.get("skip"):
            body = '<div class="title" role="heading" aria-level="1">Keep your account secure</div><div id="mysignins">Security info registration</div>'
            return html_page("Keep your account secure", body)
        if step == "consent" and form.get("consent") != "Accept":
            self.ctx.record(user.upn, "", 65004, "consent declined")
            return page_error(aadsts(65004), self.ctx.correlation())
        if step == "mfa_failed":
            return self._render(flow, "mfa_denied")
        return self._next_screen(flow, request)
