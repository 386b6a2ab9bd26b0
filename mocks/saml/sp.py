"""The generic mock SAML 2.0 SP: a protected page, an ACS and a "who am I" page.

Built on :class:`sso_harness.mocks.saml.sp_engine.SamlSpEngine` (pysaml2 plus named
checks; accepted only when both agree). The seed-system SPs
(:mod:`sso_harness.mocks.sps`) are profiles of the same engine.

Routes (all on 127.0.0.1):
    GET  /metadata        SP metadata
    GET  /protected/...   needs a session; otherwise starts SP-initiated SSO
    POST /acs             Assertion Consumer Service, HTTP-POST binding
    GET  /whoami          who is signed in (NameID and attributes)
    GET  /logout          SP-initiated single logout (LogoutRequest to the IdP)
    GET  /slo             SingleLogoutService: the IdP's LogoutResponse, or its LogoutRequest
"""

from __future__ import annotations

import html
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

from sso_harness.protocols.xml.dsig import load_certificates
from sso_harness.mocks.web.app import MockApp
from sso_harness.mocks.base.clock import Clock, system_clock
from sso_harness.mocks.web.http import Request, Response, html_page, redirect
from sso_harness.mocks.base.keys import KeyPair
from sso_harness.mocks.saml.metadata import (
    BINDING_POST,
    BINDING_REDIRECT,
    Endpoint,
    parse_idp_metadata,
    sp_descriptor,
    to_xml,
)
from sso_harness.mocks.saml.sp_engine import Accepted, SamlSpEngine, TrustedIdp
from sso_harness.mocks.saml.sp_pages import refused_page
from sso_harness.protocols import DecodeError
from sso_harness.protocols.saml import LogoutRequest, LogoutResponse, decode_redirect
from sso_harness.mocks.base.clock import random_ids
from sso_harness.mocks.saml.logout import logout_request, logout_response
from sso_harness.mocks.saml.redirect import redirect_url
from sso_harness.mocks.saml.sp_urls import SpUrls

__all__ = ["SpSettings", "MockSamlSp", "Session"]


@dataclass
class SpSettings(SpUrls):
    base_url: str
    signing: KeyPair

    @property
    def slo_url(self) -> str:
        return f"{self.base_url}/slo"


@dataclass(frozen=True)
class Session:
    name_id: str
    name_id_format: str | None
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    session_index: str | None = None


class MockSamlSp(MockApp):
    """The SP's request handler. Serve it with :class:`sso_harness.mocks.web.http.MockServer`."""

    name = "mocksp"

    def __init__(self, settings: SpSettings, *, clock: Clock = system_clock, force_authn: bool = False) -> None:
        super().__init__(base_url=settings.base_url, clock=clock)
        self.settings = settings
        self.engine = SamlSpEngine(entity_id=settings.entity_id, acs_url=settings.acs_url, clock=clock, force_authn=force_authn)
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._metadata = to_xml(
            sp_descriptor(
                settings.entity_id,
                acs=[Endpoint(BINDING_POST, settings.acs_url)],
                slo=[Endpoint(BINDING_REDIRECT, settings.slo_url)],
                certificates=[settings.signing.cert],
                want_assertions_signed=True,
            )
        )
        r = self.routes
        r.add("GET", "/metadata", lambda req, _: Response(body=self._metadata.encode(), content_type="application/samlmetadata+xml"))
        r.add("GET", "/protected", self._protected)
        r.add("POST", "/acs", self._acs)
        r.add("GET", "/whoami", self._whoami)
        r.add("GET", "/logout", self._logout)
        r.add("GET", "/slo", self._slo)
        self._logouts: set[str] = set()

    def __call__(self, request: Request) -> Response:
        if request.method == "GET" and request.path.startswith("/protected/"):
            return self._protected(request, {})
        return super().__call__(request)

    def reset_state(self) -> None:
        self.engine.reset()
        with self._lock:
            self._sessions.clear()

    @property
    def metadata_xml(self) -> str:
        return self._metadata

    def trust(self, idp: TrustedIdp) -> None:
        self.engine.trust(idp)

    def trust_idp(self, metadata: str, entity_id: str, cert_pem: bytes) -> None:
        """Trust the IdP described by ``metadata`` and signing with ``cert_pem``."""
        info = parse_idp_metadata(metadata)
        self.engine.trust(TrustedIdp(entity_id, info.sso_url, tuple(load_certificates(cert_pem)), slo_url=info.slo_url))

    # -- HTTP -----------------------------------------------------------
    def _session(self, request: Request) -> Session | None:
        with self._lock:
            return self._sessions.get(request.cookies.get(self.cookie("session"), ""))

    def _protected(self, request: Request, _: Mapping[str, str]) -> Response:
        session = self._session(request)
        if session is not None:
            return html_page("Protected", f"<h1>Protected page</h1><p id='user'>{html.escape(session.name_id)}</p>")
        target = request.path + (f"?{request.raw_query}" if request.raw_query else "")
        return redirect(self.engine.start(target, relay_state=target))

    def _acs(self, request: Request, _: Mapping[str, str]) -> Response:
        verdict = self.engine.consume(request.form)
        if not isinstance(verdict, Accepted):
            return refused_page(verdict.failures)
        session_id = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions[session_id] = Session(verdict.name_id, verdict.name_id_format, verdict.attributes,
                                                 getattr(verdict, "session_index", None))
        relay = verdict.relay_state or ""
        # Only same-site paths: an absolute RelayState would make the ACS an open redirect.
        target = relay if relay.startswith("/") and not relay.startswith("//") else "/whoami"
        return redirect(target).set_cookie(self.cookie("session"), session_id)

    # -- single logout (SAML profiles §4.4) --------------------------------
    def _logout(self, request: Request, _: Mapping[str, str]) -> Response:
        session = self._session(request)
        idp = self.engine.idp
        if session is None or idp is None or not idp.slo_url:
            return html_page("Signed out", "<h1 id='signed-out'>Signed out</h1>")
        rid, xml = logout_request(issuer=self.settings.entity_id, destination=idp.slo_url, name_id=session.name_id,
                                  name_id_format=session.name_id_format, session_index=session.session_index,
                                  new_id=random_ids, now=self.clock())
        with self._lock:
            self._logouts.add(rid)
        return redirect(redirect_url(idp.slo_url, "SAMLRequest", xml, key=self.settings.signing.key))

    def _slo(self, request: Request, _: Mapping[str, str]) -> Response:
        idp = self.engine.idp
        certs = idp.certificates if idp else ()
        try:
            message = decode_redirect(request.raw_query, trusted_certs=certs, now=self.clock()).message
        except DecodeError as exc:
            return html_page("Logout refused", f"<h1>Logout refused</h1><p id='error'>{html.escape(str(exc))}</p>", status=400)
        if not isinstance(message, (LogoutRequest, LogoutResponse)):
            return html_page("Logout refused", "<h1>Logout refused</h1><p id='error'>not a logout message</p>", status=400)
        if not message.trusted:
            return html_page("Logout refused", "<h1>Logout refused</h1><p id='error'>the logout message is not signed by the IdP</p>", status=403)
        if isinstance(message, LogoutResponse):
            with self._lock:
                known = message.in_response_to in self._logouts
                self._logouts.discard(message.in_response_to or "")
            if not known:
                return html_page("Logout refused", "<h1>Logout refused</h1><p id='error'>InResponseTo answers no logout of this SP</p>", status=403)
            return html_page("Signed out", "<h1 id='signed-out'>Signed out</h1>").set_cookie(self.cookie("session"), "", max_age=0)
        if idp is not None and idp.slo_url:
            name = message.name_id.value if message.name_id else None
            with self._lock:
                for sid in [k for k, v in self._sessions.items() if v.name_id == name]:
                    del self._sessions[sid]
            xml = logout_response(issuer=self.settings.entity_id, destination=idp.slo_url, in_response_to=message.id,
                                  new_id=random_ids, now=self.clock())
            return redirect(redirect_url(idp.slo_url, "SAMLResponse", xml, request.query.get("RelayState"),
                                         key=self.settings.signing.key))
        return html_page("Logout refused", "<h1>Logout refused</h1><p id='error'>this SP has no IdP logout endpoint to answer</p>", status=400)

    def _whoami(self, request: Request, _: Mapping[str, str]) -> Response:
        session = self._session(request)
        if session is None:
            return html_page("Not signed in", "<h1>Not signed in</h1>", status=401)
        rows = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(', '.join(v))}</td></tr>" for k, v in session.attributes.items()
        )
        body = (
            f"<h1>Signed in</h1><p>NameID: <span id='name-id'>{html.escape(session.name_id)}</span></p>"
            f"<p>Format: <span id='name-id-format'>{html.escape(session.name_id_format or '')}</span></p>"
            f"<table id='attributes'>{rows}</table>"
        )
        return html_page("Signed in", body)
