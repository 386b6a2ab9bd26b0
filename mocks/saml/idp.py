"""A mock SAML 2.0 IdP: pysaml2 reads requests, we build and sign responses.

pysaml2's :class:`saml2.server.Server` parses and checks AuthnRequests
against the SP metadata it was given; the Response is built by
:mod:`sso_harness.mocks.saml.response_builder` in Entra's shape and signed in-process,
so faults can be applied *before* signing and output is reproducible.

Routes (all on 127.0.0.1):
    GET  /metadata     IdP metadata (EntityDescriptor)
    GET  /sso          SSO service, HTTP-Redirect binding
    POST /sso          SSO service, HTTP-POST binding
    GET  /login?ctx=   the sign-in form for a pending request
    POST /login        checks the password, then posts the Response to the ACS
"""

from __future__ import annotations

import base64
import html
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.server import Server

from sso_harness.protocols import DecodeError
from sso_harness.protocols.saml import LogoutRequest, LogoutResponse, decode_redirect, parse_saml
from sso_harness.protocols.saml import Response as SamlResponse
from sso_harness.mocks.web.app import MockApp
from sso_harness.mocks.base.clock import Clock, IdSource, random_ids, system_clock
from sso_harness.mocks.base.directory import MockUser
from sso_harness.mocks.web.http import Request, Response, auto_post_form, html_page, redirect
from sso_harness.mocks.base.keys import KeyPair
from sso_harness.mocks.saml.crypto import InProcessCrypto
from sso_harness.mocks.saml.issue import SignWhat, SigningPolicy, issue_response
from sso_harness.mocks.saml.logout import logout_request, logout_response
from sso_harness.mocks.saml.redirect import redirect_url
from sso_harness.mocks.saml.response_builder import AssertionSpec, ResponseSpec

__all__ = ["IdpSettings", "MockSamlIdp", "EMAIL_FORMAT"]

EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"


@dataclass
class IdpSettings:
    """How the IdP is configured; tests change these through :class:`MockSamlIdp`."""

    base_url: str
    signing: KeyPair
    wrong_key: KeyPair
    users: Mapping[str, MockUser]
    sp_metadata: list[str] = field(default_factory=list)
    name_id_format: str = EMAIL_FORMAT
    sign_assertion: bool = True
    sign_response: bool = True

    @property
    def entity_id(self) -> str:
        return f"{self.base_url}/metadata"

    @property
    def sso_url(self) -> str:
        return f"{self.base_url}/sso"


@dataclass(frozen=True)
class _Pending:
    request_id: str
    sp_entity_id: str
    acs_url: str
    relay_state: str | None


class MockSamlIdp(MockApp):
    """The generic IdP's request handler. Serve it with :class:`sso_harness.mocks.web.http.MockServer`.

    Faults (:meth:`inject`) are keyed by the SP's entity ID.
    """

    name = "mockidp"

    def __init__(self, settings: IdpSettings, *, clock: Clock = system_clock, new_id: IdSource = random_ids) -> None:
        super().__init__(base_url=settings.base_url, clock=clock, new_id=new_id)
        self.settings = settings
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self._server = self._make_server()
        r = self.routes
        r.add("GET", "/metadata", lambda req, _: Response(body=self._metadata.encode(), content_type="application/samlmetadata+xml"))
        r.add("GET POST", "/sso", lambda req, _: self._sso(req))
        r.add("GET", "/login", lambda req, _: self._login_form(req.query.get("ctx", "")))
        r.add("POST", "/login", lambda req, _: self._login(req.form))
        r.add("GET", "/slo", lambda req, _: self._slo(req))
        r.add("GET", "/logout", lambda req, _: self._idp_logout(req))
        # session cookie -> (SP entity ID, NameID, format, SessionIndex) of the last sign-in, for SLO
        self._issued: dict[str, tuple[str, str, str | None, str | None]] = {}
        self._logouts: set[str] = set()

    def reset_state(self) -> None:
        with self._lock:
            self._pending.clear()

    @property
    def metadata_xml(self) -> str:
        return self._metadata

    def _sso(self, request: Request) -> Response:
        params = request.query if request.method == "GET" else request.form
        binding = BINDING_HTTP_REDIRECT if request.method == "GET" else BINDING_HTTP_POST
        saml_request = params.get("SAMLRequest")
        if not saml_request:
            return _error_page("The request has no SAMLRequest parameter.")
        try:
            parsed = self._server.parse_authn_request(saml_request, binding)
            args = self._server.response_args(parsed.message, [BINDING_HTTP_POST])
        except Exception as exc:  # pysaml2 raises many unrelated types for bad input
            return _error_page(f"The AuthnRequest was refused: {exc}")
        handle = secrets.token_urlsafe(16)
        with self._lock:
            self._pending[handle] = _Pending(
                request_id=args["in_response_to"],
                sp_entity_id=args["sp_entity_id"],
                acs_url=args["destination"],
                relay_state=params.get("RelayState"),
            )
        return redirect(f"/login?ctx={handle}")

    def _login_form(self, handle: str, error: str = "") -> Response:
        with self._lock:
            known = handle in self._pending
        if not known:
            return _error_page("This sign-in request is unknown or already used.")
        message = f"<p id='error' role='alert'>{html.escape(error)}</p>" if error else ""
        body = (
            "<h1>Mock IdP sign-in</h1>"
            f"{message}<form method='post' action='/login'>"
            f"<input type='hidden' name='ctx' value='{html.escape(handle)}'>"
            "<label>Username <input name='username' autocomplete='username'></label>"
            "<label>Password <input name='password' type='password' autocomplete='current-password'></label>"
            "<button id='signin' type='submit'>Sign in</button></form>"
        )
        return html_page("Sign in", body, status=401 if error else 200)

    def _login(self, form: Mapping[str, str]) -> Response:
        handle = form.get("ctx", "")
        user = self.settings.users.get(form.get("username", "").strip().lower())
        if user is None or not secrets.compare_digest(user.password, form.get("password", "")):
            return self._login_form(handle, "Your username or password is incorrect.")
        with self._lock:
            pending = self._pending.pop(handle, None)
        if pending is None:
            return _error_page("This sign-in request is unknown or already used.")
        xml = self.issue_response(user, pending.sp_entity_id, pending.acs_url, pending.request_id)
        fields = {"SAMLResponse": _b64(xml)}
        if pending.relay_state is not None:
            fields["RelayState"] = pending.relay_state
        response = auto_post_form(pending.acs_url, fields)
        session = secrets.token_urlsafe(16)
        issued = parse_saml(xml)
        assertion = issued.assertion if isinstance(issued, SamlResponse) else None
        if assertion is not None and assertion.name_id is not None:
            with self._lock:
                self._issued[session] = (pending.sp_entity_id, assertion.name_id.value, assertion.name_id.format, assertion.session_index)
        return response.set_cookie(self.cookie("session"), session)

    # -- single logout (SAML profiles §4.4) --------------------------------
    def _sp_slo_url(self, sp_entity_id: str) -> str | None:
        try:
            found = self._server.metadata.single_logout_service(sp_entity_id, BINDING_HTTP_REDIRECT, "spsso")
        except Exception:  # unknown SP or no SLO endpoint in its metadata
            return None
        return found[0]["location"] if found else None

    def _slo(self, request: Request) -> Response:
        """LogoutRequest from an SP (answer it), or the SP's LogoutResponse to our own request."""
        try:
            message = decode_redirect(request.raw_query, now=self.clock()).message
        except DecodeError as exc:
            return _error_page(f"The logout message was refused: {exc}")
        session = request.cookies.get(self.cookie("session"), "")
        if isinstance(message, LogoutRequest):
            with self._lock:
                self._issued.pop(session, None)
            slo = self._sp_slo_url(message.issuer or "")
            if slo is None:
                return _error_page(f"The SP {message.issuer!r} has no SingleLogoutService in its metadata.")
            xml = logout_response(issuer=self.settings.entity_id, destination=slo, in_response_to=message.id,
                                  new_id=self.new_id, now=self.clock())
            target = redirect_url(slo, "SAMLResponse", xml, request.query.get("RelayState"), key=self.settings.signing.key)
            return redirect(target).set_cookie(self.cookie("session"), "", max_age=0)
        if isinstance(message, LogoutResponse):
            with self._lock:
                known = message.in_response_to in self._logouts
                self._logouts.discard(message.in_response_to or "")
            if not known:
                return _error_page("This LogoutResponse answers no logout of this IdP.")
            return html_page("Signed out", "<h1 id='signed-out'>Signed out of every application</h1>")
        return _error_page("Not a logout message.")

    def _idp_logout(self, request: Request) -> Response:
        """IdP-initiated single logout: a LogoutRequest to the SP of this session's last sign-in."""
        session = request.cookies.get(self.cookie("session"), "")
        with self._lock:
            issued = self._issued.pop(session, None)
        if issued is None:
            return html_page("Signed out", "<h1 id='signed-out'>Signed out of every application</h1>")
        sp_entity_id, name_id, name_id_format, session_index = issued
        slo = self._sp_slo_url(sp_entity_id)
        if slo is None:
            return _error_page(f"The SP {sp_entity_id!r} has no SingleLogoutService in its metadata.")
        rid, xml = logout_request(issuer=self.settings.entity_id, destination=slo, name_id=name_id, name_id_format=name_id_format,
                                  session_index=session_index, new_id=self.new_id, now=self.clock())
        with self._lock:
            self._logouts.add(rid)
        return redirect(redirect_url(slo, "SAMLRequest", xml, key=self.settings.signing.key)).set_cookie(self.cookie("session"), "", max_age=0)

    # -- responses ------------------------------------------------------
    def issue_response(self, user: MockUser, sp_entity_id: str, acs_url: str, in_response_to: str | None) -> bytes:
        """A signed Response for ``user``, with the injected faults applied."""
        s = self.settings
        spec = ResponseSpec(
            issuer=s.entity_id,
            destination=acs_url,
            in_response_to=in_response_to,
            issue_instant=self.clock(),
            assertion=AssertionSpec(
                issuer=s.entity_id,
                name_id=user.email,
                name_id_format=s.name_id_format,
                audience=sp_entity_id,
                recipient=acs_url,
                in_response_to=in_response_to,
                attributes=user.attributes,
            ),
        )
        sign: SignWhat = "both" if s.sign_assertion and s.sign_response else "response" if s.sign_response else "assertion"
        policy = SigningPolicy(key=s.signing, wrong_key=s.wrong_key, sign=sign)
        return issue_response(spec, self.take_faults(sp_entity_id), policy, self.new_id)

    # -- pysaml2 wiring -------------------------------------------------
    def _make_server(self) -> Server:
        s = self.settings
        config = IdPConfig()
        config.load(
            {
                "entityid": s.entity_id,
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [
                                (s.sso_url, BINDING_HTTP_REDIRECT),
                                (s.sso_url, BINDING_HTTP_POST),
                            ],
                            "single_logout_service": [(f"{s.base_url}/slo", BINDING_HTTP_REDIRECT)],
                        },
                        "name_id_format": [s.name_id_format],
                        "want_authn_requests_signed": False,
                    }
                },
                "key_file": str(s.signing.key_file),
                "cert_file": str(s.signing.cert_file),
                "metadata": {"inline": list(s.sp_metadata)},
            }
        )
        server = Server(config=config)
        server.sec.crypto = InProcessCrypto()
        self._metadata = str(entity_descriptor(config))
        return server

    def trust_sp(self, sp_metadata: str) -> None:
        """Load an SP's metadata (the IdP refuses requests from unknown SPs)."""
        self.settings = replace(self.settings, sp_metadata=[*self.settings.sp_metadata, sp_metadata])
        self._server = self._make_server()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _error_page(message: str) -> Response:
    return html_page("Sign-in error", f"<h1>Sign-in error</h1><p id='error'>{html.escape(message)}</p>", status=400)
