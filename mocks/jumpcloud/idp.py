"""The JumpCloud-like IdP: its own login page and MFA step, per-app settings, user groups.

It is the federated IdP of the Entra-like IdP's federated domain (the
Microsoft 365 connector app, over SAML 2.0 or WS-Federation), and it serves
SPs directly too. Endpoints::

    GET  /saml2/{slug}            SSO, HTTP-Redirect; without SAMLRequest: IdP-initiated launch
    POST /saml2/{slug}            SSO, HTTP-POST binding
    GET  /saml2/{slug}/metadata   IdP metadata of the app
    GET  /wsfed/{slug}            WS-Federation passive endpoint: wa=wsignin1.0 (wtrealm, wreply, wctx)
                                  or wa=wsignout1.0
    GET  /login?ctx=              the login page (input[name=email], input[name=password], #login-submit)
    POST /login
    POST /login/totp              the MFA step (see below)
    GET  /logout                  end the JumpCloud session (wa=wsignout1.0 + wreply: come back)
    GET  /userconsole             the user portal: one tile per app

An AuthnRequest must come from the app's SP entity ID and name its ACS URL
(if any); a WS-Fed sign-in's ``wtrealm`` must be the SP entity ID and its
``wreply``, if any, the ACS URL. A user outside the app's groups is refused.

A user with a TOTP secret gets the MFA page after the password (RFC 6238
codes, as JumpCloud Protect or any authenticator app shows them). Its stable
element names: ``form#totp-form`` (POST ``/login/totp``), heading
``#totp-title``, ``input[name=otp]`` (``#otp``, six digits), the hidden
``input[name=ctx]``, the button ``#totp-submit`` and, after a wrong code,
``#totp-error``. Cookies are prefixed ``jumpcloud_``.
"""

from __future__ import annotations

import base64
import html
import secrets
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from sso_harness.protocols import DecodeError
from sso_harness.protocols.saml import AuthnRequest, decode_post, decode_redirect
from sso_harness.mocks.base.records import with_changes
from sso_harness.mocks.web.app import MockApp, Sleeper
from sso_harness.mocks.base.clock import Clock, IdSource, random_ids, system_clock
from sso_harness.mocks.web.http import Request, Response, auto_post_form, html_page, redirect
from sso_harness.mocks.entra.totp import verify_totp
from sso_harness.mocks.entra.wsfed_token import Saml11Token, rstr_xml
from sso_harness.mocks.jumpcloud.org import JcApp, JcUser
from sso_harness.mocks.base.keys import KeyPair
from sso_harness.mocks.saml.issue import SigningPolicy, issue_response
from sso_harness.mocks.saml.metadata import BINDING_POST, BINDING_REDIRECT, Endpoint, idp_descriptor, to_xml
from sso_harness.mocks.saml.response_builder import AssertionSpec, ResponseSpec

__all__ = ["JumpCloudIdp"]


@dataclass(frozen=True)
class _Pending:
    slug: str
    request_id: str | None
    acs_url: str
    relay_state: str | None
    """RelayState (SAML) or wctx (WS-Fed): comes back untouched."""
    protocol: Literal["saml", "wsfed"] = "saml"


class JumpCloudIdp(MockApp):
    name = "jumpcloud"

    def __init__(
        self,
        *,
        base_url: str,
        users: Sequence[JcUser],
        apps: Sequence[JcApp],
        signing: KeyPair,
        wrong_key: KeyPair,
        clock: Clock = system_clock,
        new_id: IdSource = random_ids,
        sleep: Sleeper = time.sleep,
    ) -> None:
        super().__init__(base_url=base_url, clock=clock, new_id=new_id, sleep=sleep)
        self._initial = (tuple(users), tuple(apps))
        self.users, self.apps = self._initial
        self.signing = signing
        self.wrong_key = wrong_key
        self._lock = threading.Lock()
        self._pending: dict[str, _Pending] = {}
        self._sessions: dict[str, str] = {}
        self._mfa: dict[str, tuple[_Pending, str]] = {}
        """Logins waiting for their TOTP code: handle -> (request, email)."""
        r = self.routes
        r.add("GET", "/saml2/{slug}/metadata", self._metadata)
        r.add("GET POST", "/saml2/{slug}", self._sso)
        r.add("GET", "/wsfed/{slug}", self._wsfed)
        r.add("GET", "/login", lambda req, _: self._login_page(req.query.get("ctx", "")))
        r.add("POST", "/login", self._login)
        r.add("POST", "/login/totp", self._totp)
        r.add("GET", "/logout", self._logout)
        r.add("GET", "/userconsole", self._console)

    def reset_state(self) -> None:
        self.users, self.apps = self._initial
        with self._lock:
            self._pending.clear()
            self._sessions.clear()
            self._mfa.clear()

    # -- configuration ------------------------------------------------------------------------
    def app(self, slug: str) -> JcApp | None:
        return next((a for a in self.apps if a.slug == slug), None)

    def configure_app(self, slug: str, **changes: object) -> JcApp:
        current = self.app(slug)
        if current is None:
            raise LookupError(f"no JumpCloud app {slug!r}")
        new = with_changes(current, changes)
        self.apps = tuple(new if a.slug == slug else a for a in self.apps)
        return new

    def user(self, email: str) -> JcUser | None:
        wanted = email.strip().lower()
        return next((u for u in self.users if u.email.lower() == wanted), None)

    def sso_url(self, slug: str) -> str:
        return f"{self.base_url}/saml2/{slug}"

    def wsfed_url(self, slug: str) -> str:
        """The app's WS-Federation passive endpoint (a federated domain's PassiveLogOnUri for WsFed)."""
        return f"{self.base_url}/wsfed/{slug}"

    @property
    def logout_url(self) -> str:
        """Where a federated domain's LogOffUri points."""
        return f"{self.base_url}/logout"

    def metadata_url(self, slug: str) -> str:
        return f"{self.base_url}/saml2/{slug}/metadata"

    def metadata_xml(self, slug: str) -> str:
        app = self.app(slug)
        if app is None:
            raise LookupError(slug)
        url = self.sso_url(slug)
        return to_xml(
            idp_descriptor(
                app.idp_entity_id,
                sso=[Endpoint(BINDING_REDIRECT, url), Endpoint(BINDING_POST, url)],
                certificates=[self.signing.cert],
                name_id_formats=[app.name_id_format],
                want_authn_requests_signed=False,
            )
        )

    # -- HTTP ------------------------------------------------------------------------------------
    def _metadata(self, request: Request, path: Mapping[str, str]) -> Response:
        try:
            return Response(body=self.metadata_xml(path["slug"]).encode(), content_type="application/xml")
        except LookupError:
            return _error("No such application.", 404)

    def _sso(self, request: Request, path: Mapping[str, str]) -> Response:
        app = self.app(path["slug"])
        if app is None:
            return _error("No such application.", 404)
        params = request.params
        if "SAMLRequest" not in params:  # IdP-initiated: a launch from the user console
            return self._continue(request, _Pending(app.slug, None, app.acs_url, params.get("RelayState", app.relay_state)))
        try:
            decoded = decode_redirect(request.raw_query) if request.method != "POST" else decode_post(params)
        except DecodeError as exc:
            return _error(f"The SAML request could not be read: {exc}")
        message = decoded.message
        if not isinstance(message, AuthnRequest):
            return _error(f"Expected an AuthnRequest, got {message.kind}.")
        if message.issuer != app.sp_entity_id:
            return _error(f"The request comes from {message.issuer!r}, but {app.display_name} is set up for SP entity ID {app.sp_entity_id!r}.")
        if message.acs_url and message.acs_url != app.acs_url:
            return _error(f"The request asks for ACS URL {message.acs_url!r}; {app.display_name} is set up for {app.acs_url!r}.")
        pending = _Pending(app.slug, message.id, app.acs_url, decoded.relay_state)
        return self._continue(request, pending, force=bool(message.force_authn))

    def _continue(self, request: Request, pending: _Pending, *, force: bool = False) -> Response:
        with self._lock:
            email = self._sessions.get(request.cookies.get(self.cookie("session"), ""))
        user = self.user(email) if email and not force else None
        if user is not None:
            return self._answer(user, pending)
        handle = secrets.token_urlsafe(16)
        with self._lock:
            self._pending[handle] = pending
        return redirect(f"/login?ctx={handle}")

    def _login_page(self, handle: str, error: str = "") -> Response:
        with self._lock:
            known = handle in self._pending
        if not known:
            return _error("This login request is unknown or already used.")
        message = f"<div id='login-error' role='alert'>{html.escape(error)}</div>" if error else ""
        body = (
            "<h1>JumpCloud User Login</h1>"
            f"{message}<form method='post' action='/login'>"
            f"<input type='hidden' name='ctx' value='{html.escape(handle)}'>"
            "<label>Email <input type='email' name='email' autocomplete='username'></label>"
            "<label>Password <input type='password' name='password' autocomplete='current-password'></label>"
            "<button type='submit' id='login-submit' data-automation='loginButton'>Continue</button></form>"
        )
        return html_page("JumpCloud User Login", body, status=401 if error else 200)

    def _login(self, request: Request, _: Mapping[str, str]) -> Response:
        form = request.form
        handle = form.get("ctx", "")
        user = self.user(form.get("email", ""))
        if user is None or not secrets.compare_digest(user.password, form.get("password", "")):
            return self._login_page(handle, "Incorrect email or password.")
        with self._lock:
            pending = self._pending.pop(handle, None)
        if pending is None:
            return _error("This login request is unknown or already used.")
        if user.totp_secret:
            with self._lock:
                self._mfa[handle] = (pending, user.email)
            return self._totp_page(handle)
        return self._signed_in(user, pending)

    def _signed_in(self, user: JcUser, pending: _Pending) -> Response:
        session = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions[session] = user.email
        return self._answer(user, pending).set_cookie(self.cookie("session"), session)

    # -- MFA: a TOTP code --------------------------------------------------------------------------
    def _totp_page(self, handle: str, error: str = "") -> Response:
        message = f"<div id='totp-error' role='alert'>{html.escape(error)}</div>" if error else ""
        body = (
            "<h1 id='totp-title'>Verify your identity</h1>"
            "<p>Enter the 6-digit code from your authenticator app.</p>"
            f"{message}<form id='totp-form' method='post' action='/login/totp'>"
            f"<input type='hidden' name='ctx' value='{html.escape(handle)}'>"
            "<label>Verification code <input type='text' name='otp' id='otp' inputmode='numeric' "
            "autocomplete='one-time-code' maxlength='6' pattern='[0-9]{6}'></label>"
            "<button type='submit' id='totp-submit'>Verify</button></form>"
        )
        return html_page("JumpCloud MFA", body, status=401 if error else 200)

    def _totp(self, request: Request, _: Mapping[str, str]) -> Response:
        form = request.form
        handle = form.get("ctx", "")
        with self._lock:
            waiting = self._mfa.get(handle)
        user = self.user(waiting[1]) if waiting else None
        if waiting is None or user is None or not user.totp_secret:
            return _error("This login request is unknown or already used.")
        if not verify_totp(user.totp_secret, form.get("otp", ""), self.clock()):
            return self._totp_page(handle, "That code is not valid. Try again.")
        with self._lock:
            if self._mfa.pop(handle, None) is None:  # two tabs posting the same code: only one wins
                return _error("This login request is unknown or already used.")
        return self._signed_in(user, waiting[0])

    # -- WS-Federation ------------------------------------------------------------------------------
    def _wsfed(self, request: Request, path: Mapping[str, str]) -> Response:
        app = self.app(path["slug"])
        if app is None:
            return _error("No such application.", 404)
        params = request.params
        wa = params.get("wa", "")
        if wa in ("wsignout1.0", "wsignoutcleanup1.0"):
            return self._logout(request, path)
        if wa != "wsignin1.0":
            return _error(f"Unsupported WS-Federation action {wa!r}.")
        realm = params.get("wtrealm", "")
        if realm != app.sp_entity_id:
            return _error(f"The request is for realm {realm!r}, but {app.display_name} is set up for {app.sp_entity_id!r}.")
        wreply = params.get("wreply")
        if wreply and wreply != app.acs_url:
            return _error(f"The request asks for reply URL {wreply!r}; {app.display_name} is set up for {app.acs_url!r}.")
        pending = _Pending(app.slug, None, app.acs_url, params.get("wctx"), protocol="wsfed")
        return self._continue(request, pending, force=params.get("wfresh") == "0")

    def _logout(self, request: Request, _: Mapping[str, str]) -> Response:
        with self._lock:
            self._sessions.pop(request.cookies.get(self.cookie("session"), ""), None)
        wreply = request.query.get("wreply", "")
        # Only back to a known relying party's origin: a logout URL must not redirect anywhere.
        origins = {_origin(a.acs_url) for a in self.apps}
        if wreply and _origin(wreply) in origins:
            response = redirect(wreply)
        else:
            response = html_page("Signed out", "<h1 id='signed-out'>You have been signed out of JumpCloud.</h1>")
        return response.set_cookie(self.cookie("session"), "", max_age=0)

    def issue_wsfed(self, app: JcApp, user: JcUser) -> bytes:
        """The ``wresult``: an RSTR with a SAML 1.1 token for ``app``'s realm."""
        claims: dict[str, tuple[str, ...]] = {}
        for claim in app.wsfed_claims:
            values = user.field(claim.field)
            if values:
                claims[claim.name] = values
        now = self.clock()
        token = Saml11Token(
            issuer=app.idp_entity_id,
            audience=app.sp_entity_id,
            name_id=(user.field(app.name_id_field) or (user.email,))[0],
            name_id_format=app.name_id_format,
            issue_instant=now,
            authn_instant=now,
            attributes=claims,
        )
        return rstr_xml(token, self.signing, self.wrong_key, self.new_id, self.take_faults(app.slug, app.sp_entity_id))

    def _answer(self, user: JcUser, pending: _Pending) -> Response:
        app = self.app(pending.slug)
        if app is None:
            return _error("No such application.", 404)
        if app.groups and not set(app.groups) & set(user.groups):
            return html_page("Access denied", f"<h1 id='access-denied'>You don't have access to {html.escape(app.display_name)}.</h1>", status=403)
        if pending.protocol == "wsfed":
            fields = {"wa": "wsignin1.0", "wresult": self.issue_wsfed(app, user).decode("utf-8")}
            if pending.relay_state is not None:
                fields["wctx"] = pending.relay_state
            return auto_post_form(app.acs_url, fields)
        xml = self.issue_response(app, user, pending.request_id)
        fields = {"SAMLResponse": base64.b64encode(xml).decode("ascii")}
        if pending.relay_state is not None:
            fields["RelayState"] = pending.relay_state
        return auto_post_form(app.acs_url, fields)

    def issue_response(self, app: JcApp, user: JcUser, in_response_to: str | None) -> bytes:
        attributes: dict[str, tuple[str, ...]] = {}
        for attribute in app.attributes:
            values = user.field(attribute.field)
            if values:
                attributes[attribute.name] = values
        name_id = (user.field(app.name_id_field) or (user.email,))[0]
        spec = ResponseSpec(
            issuer=app.idp_entity_id,
            destination=app.acs_url,
            in_response_to=in_response_to,
            issue_instant=self.clock(),
            assertion=AssertionSpec(
                issuer=app.idp_entity_id,
                name_id=name_id,
                name_id_format=app.name_id_format,
                audience=app.sp_entity_id,
                recipient=app.acs_url,
                in_response_to=in_response_to,
                attributes=attributes,
                authn_context="urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
            ),
        )
        policy = SigningPolicy(self.signing, self.wrong_key, app.sign)
        return issue_response(spec, self.take_faults(app.slug, app.sp_entity_id), policy, self.new_id)

    def _console(self, request: Request, _: Mapping[str, str]) -> Response:
        tiles = "".join(
            f"<li><a class='app-tile' data-app='{html.escape(a.slug)}' href='/saml2/{html.escape(a.slug)}'>{html.escape(a.display_name)}</a></li>"
            for a in self.apps
        )
        return html_page("JumpCloud User Console", f"<h1>Applications</h1><ul id='apps'>{tiles}</ul>")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _error(message: str, status: int = 400) -> Response:
    return html_page("JumpCloud error", f"<h1>Single sign-on error</h1><p id='error'>{html.escape(message)}</p>", status=status)
