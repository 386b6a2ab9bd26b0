"""The JumpCloud-like SAML IdP: its own login page, per-app settings, user groups.

It is the federated IdP of the Entra-like IdP's federated domain (the M365
connector app), and it serves SPs directly too. Endpoints::

    GET  /saml2/{slug}            SSO, HTTP-Redirect; without SAMLRequest: IdP-initiated launch
    POST /saml2/{slug}            SSO, HTTP-POST binding
    GET  /saml2/{slug}/metadata   IdP metadata of the app
    GET  /login?ctx=              the login page (input[name=email], input[name=password], #login-submit)
    POST /login
    GET  /userconsole             the user portal: one tile per app

An AuthnRequest must come from the app's SP entity ID and name its ACS URL
(if any); a user outside the app's groups is refused. Cookies are prefixed
``jumpcloud_``.
"""

from __future__ import annotations

import base64
import html
import secrets
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sso_harness.protocols import DecodeError
from sso_harness.protocols.saml import AuthnRequest, decode_post, decode_redirect
from sso_harness.mocks.base.records import with_changes
from sso_harness.mocks.web.app import MockApp, Sleeper
from sso_harness.mocks.base.clock import Clock, IdSource, random_ids, system_clock
from sso_harness.mocks.web.http import Request, Response, auto_post_form, html_page, redirect
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
        r = self.routes
        r.add("GET", "/saml2/{slug}/metadata", self._metadata)
        r.add("GET POST", "/saml2/{slug}", self._sso)
        r.add("GET", "/login", lambda req, _: self._login_page(req.query.get("ctx", "")))
        r.add("POST", "/login", self._login)
        r.add("GET", "/userconsole", self._console)

    def reset_state(self) -> None:
        self.users, self.apps = self._initial
        with self._lock:
            self._pending.clear()
            self._sessions.clear()

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
        session = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions[session] = user.email
        return self._answer(user, pending).set_cookie(self.cookie("session"), session)

    def _answer(self, user: JcUser, pending: _Pending) -> Response:
        app = self.app(pending.slug)
        if app is None:
            return _error("No such application.", 404)
        if app.groups and not set(app.groups) & set(user.groups):
            return html_page("Access denied", f"<h1 id='access-denied'>You don't have access to {html.escape(app.display_name)}.</h1>", status=403)
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


def _error(message: str, status: int = 400) -> Response:
    return html_page("JumpCloud error", f"<h1>Single sign-on error</h1><p id='error'>{html.escape(message)}</p>", status=status)
