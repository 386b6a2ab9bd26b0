"""A mock SAML 2.0 SP with a protected page, an ACS and a "who am I" page.

pysaml2's :class:`saml2.client.Saml2Client` writes AuthnRequests and
validates Responses (signature, audience, time, InResponseTo). The SP
accepts a Response only when pysaml2 *and* :mod:`mocks.saml.sp_checks`
accept it; the error page names each failed check.

Routes (all on 127.0.0.1):
    GET  /metadata        SP metadata
    GET  /protected/...   needs a session; otherwise starts SP-initiated SSO
    POST /acs             Assertion Consumer Service, HTTP-POST binding
    GET  /whoami          who is signed in (NameID and attributes)
"""

from __future__ import annotations

import html
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor

from flows.protocols import DecodeError
from flows.protocols.saml import parse_saml
from flows.protocols.encoding import b64decode_lenient
from flows.protocols.xmldsig import load_certificates
from mocks.clock import Clock, system_clock
from mocks.http import Request, Response, html_page, redirect
from mocks.keys import KeyPair
from mocks.saml.crypto import InProcessCrypto
from mocks.saml.sp_checks import CheckFailure, SpPolicy, check_response

__all__ = ["SpSettings", "MockSamlSp", "Session"]

COOKIE = "mocksp_session"


@dataclass
class SpSettings:
    base_url: str
    signing: KeyPair
    idp_metadata: str = ""
    idp_entity_id: str = ""
    idp_cert_pem: bytes = b""

    @property
    def entity_id(self) -> str:
        return f"{self.base_url}/metadata"

    @property
    def acs_url(self) -> str:
        return f"{self.base_url}/acs"


@dataclass(frozen=True)
class Session:
    name_id: str
    name_id_format: str | None
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)


class MockSamlSp:
    """The SP's request handler. Serve it with :class:`mocks.http.MockServer`."""

    def __init__(self, settings: SpSettings, *, clock: Clock = system_clock) -> None:
        self.settings = settings
        self.clock = clock
        self._lock = threading.Lock()
        self._outstanding: dict[str, str] = {}
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._sessions: dict[str, Session] = {}
        self._client = self._make_client()

    def reset(self) -> None:
        with self._lock:
            self._outstanding.clear()
            self._seen.clear()
            self._sessions.clear()

    @property
    def metadata_xml(self) -> str:
        return self._metadata

    def trust_idp(self, metadata: str, entity_id: str, cert_pem: bytes) -> None:
        self.settings.idp_metadata, self.settings.idp_entity_id, self.settings.idp_cert_pem = metadata, entity_id, cert_pem
        self._client = self._make_client()

    # -- HTTP -----------------------------------------------------------
    def __call__(self, request: Request) -> Response:
        if (request.method, request.path) == ("GET", "/metadata"):
            return Response(body=self._metadata.encode(), content_type="application/samlmetadata+xml")
        if request.method == "GET" and (request.path == "/protected" or request.path.startswith("/protected/")):
            return self._protected(request)
        if (request.method, request.path) == ("POST", "/acs"):
            return self._acs(request.form)
        if (request.method, request.path) == ("GET", "/whoami"):
            return self._whoami(request)
        return html_page("Not found", "<h1>404</h1>", status=404)

    def _session(self, request: Request) -> Session | None:
        with self._lock:
            return self._sessions.get(request.cookies.get(COOKIE, ""))

    def _protected(self, request: Request) -> Response:
        session = self._session(request)
        if session is not None:
            return html_page("Protected", f"<h1>Protected page</h1><p id='user'>{html.escape(session.name_id)}</p>")
        target = request.path + (f"?{request.raw_query}" if request.raw_query else "")
        request_id, info = self._client.prepare_for_authenticate(
            entityid=self.settings.idp_entity_id, relay_state=target, binding=BINDING_HTTP_REDIRECT
        )
        with self._lock:
            self._outstanding[request_id] = target
        location = dict(info["headers"])["Location"]
        return redirect(location)

    def _acs(self, form: dict[str, str]) -> Response:
        encoded = form.get("SAMLResponse")
        if not encoded:
            return _refused([CheckFailure("binding", "the POST carries no SAMLResponse")])
        try:
            message = parse_saml(b64decode_lenient(encoded, where="SAMLResponse"), trusted_certs=self._idp_certs())
        except DecodeError as exc:
            return _refused([CheckFailure("format", str(exc))])
        with self._lock:
            outstanding, seen = dict(self._outstanding), set(self._seen)
        policy = SpPolicy(self.settings.entity_id, self.settings.acs_url, self.settings.idp_entity_id)
        failures = check_response(message, policy, outstanding=outstanding, seen_assertions=seen, now=self.clock())  # type: ignore[arg-type]
        if not failures:
            failures = self._pysaml2_verdict(encoded, outstanding)
        if failures:
            return _refused(failures)
        assertion = message.assertion  # type: ignore[union-attr]
        assert assertion is not None and assertion.name_id is not None
        session_id = secrets.token_urlsafe(24)
        with self._lock:
            self._outstanding.pop(message.in_response_to or "", None)  # type: ignore[union-attr]
            self._seen[assertion.id] = None
            while len(self._seen) > 10_000:
                self._seen.popitem(last=False)
            self._sessions[session_id] = Session(
                assertion.name_id.value, assertion.name_id.format, dict(assertion.attributes)
            )
        relay = form.get("RelayState", "")
        # Only same-site paths: an absolute RelayState would make the ACS an open redirect.
        target = relay if relay.startswith("/") and not relay.startswith("//") else "/whoami"
        return redirect(target).set_cookie(COOKIE, session_id)

    def _pysaml2_verdict(self, encoded: str, outstanding: dict[str, str]) -> list[CheckFailure]:
        try:
            result = self._client.parse_authn_request_response(encoded, BINDING_HTTP_POST, outstanding)
        except Exception as exc:  # pysaml2 signals refusal with many exception types
            return [CheckFailure("pysaml2", f"{type(exc).__name__}: {exc}")]
        if result is None:
            return [CheckFailure("pysaml2", "the response was refused without a reason")]
        return []

    def _whoami(self, request: Request) -> Response:
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

    # -- pysaml2 wiring -------------------------------------------------
    def _idp_certs(self):  # type: ignore[no-untyped-def]
        return load_certificates(self.settings.idp_cert_pem) if self.settings.idp_cert_pem else []

    def _make_client(self) -> Saml2Client:
        s = self.settings
        config = SPConfig()
        config.load(
            {
                "entityid": s.entity_id,
                "service": {
                    "sp": {
                        "endpoints": {"assertion_consumer_service": [(s.acs_url, BINDING_HTTP_POST)]},
                        "want_assertions_signed": True,
                        "want_response_signed": False,
                        "allow_unsolicited": False,
                        "authn_requests_signed": False,
                    }
                },
                "key_file": str(s.signing.key_file),
                "cert_file": str(s.signing.cert_file),
                "metadata": {"inline": [s.idp_metadata]} if s.idp_metadata else {},
                "accepted_time_diff": 60,
            }
        )
        client = Saml2Client(config=config)
        client.sec.crypto = InProcessCrypto()
        self._metadata = str(entity_descriptor(config))
        return client


def _refused(failures: list[CheckFailure]) -> Response:
    items = "".join(
        f"<li data-check='{html.escape(f.check)}'><b>{html.escape(f.check)}</b>: {html.escape(f.detail)}</li>"
        for f in failures
    )
    body = f"<h1>SAML response rejected</h1><ul id='failed-checks'>{items}</ul>"
    return html_page("SAML response rejected", body, status=403)
