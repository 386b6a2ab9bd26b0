"""A deliberately vulnerable SAML SP, each weakness switchable (never for production).

With no weakness switched on it is a careful SP: our own safe parser, the
trust rule of :mod:`sso_harness.protocols.saml` (a trusted signature must cover
the Response or the very assertion read), the named checks of
:mod:`sso_harness.mocks.saml.sp_checks`, one-time use, SP-initiated logins only, and
escaped pages. Each :class:`~sso_harness.mocks.sps.saml_weaknesses.SamlWeakness`
replaces exactly one of those behaviours with a mistake real SPs have made,
so the security battery can be proven to catch each one (see
:func:`~sso_harness.mocks.sps.saml_weaknesses.open_to`).

Routes::

    GET  /metadata        SP metadata
    GET  /login?target=   SP-initiated SSO (HTTP-Redirect AuthnRequest)
    POST /acs             Assertion Consumer Service (HTTP-POST)
    GET  /whoami          who is signed in: ``#user`` and the attributes
    GET  /_admin/weaknesses, POST /_admin/weaknesses {"weaknesses": [...]}
"""

from __future__ import annotations

import datetime as dt
import html
import secrets
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from cryptography import x509
from lxml import etree

from sso_harness.protocols import DecodeError
from sso_harness.protocols.encoding import b64decode_lenient
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.saml import Assertion, NameID
from sso_harness.protocols.saml import Response as SamlResponse
from sso_harness.protocols.saml.options import decode_options
from sso_harness.protocols.saml.parse_assertion import read_assertion
from sso_harness.protocols.saml.parse_response import read_response
from sso_harness.mocks.base.clock import Clock, system_clock
from sso_harness.mocks.web.http import Request, Response, html_page, redirect
from sso_harness.mocks.web.weak_app import WeakApp
from sso_harness.mocks.saml.metadata import BINDING_POST, Endpoint, sp_descriptor, to_xml
from sso_harness.mocks.saml.redirect import redirect_url
from sso_harness.mocks.saml.sp_checks import CheckFailure, SpPolicy, check_response
from sso_harness.mocks.saml.sp_engine import TrustedIdp
from sso_harness.mocks.saml.sp_urls import SpUrls
from sso_harness.mocks.saml.sp_pages import refused_page
from sso_harness.mocks.sps import naive_saml
from sso_harness.mocks.sps.saml_weaknesses import SamlWeakness, parse_weaknesses

__all__ = ["VulnerableSamlSp", "VulnerableSession"]

W = SamlWeakness
_SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
_SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
# Checks a weakness switches off, by the name :func:`check_response` gives them.
_SWITCHES_OFF = {W.NO_AUDIENCE: "audience", W.NO_RECIPIENT: "recipient", W.NO_DESTINATION: "destination",
                 W.NO_IN_RESPONSE_TO: "InResponseTo"}


@dataclass(frozen=True)
class VulnerableSession:
    name_id: str
    attributes: Mapping[str, tuple[str, ...]]


class VulnerableSamlSp(SpUrls, WeakApp[SamlWeakness]):
    name = "vulnsp"

    def __init__(
        self,
        *,
        base_url: str,
        idp: TrustedIdp,
        weaknesses: Iterable[str | SamlWeakness] = (),
        clock: Clock = system_clock,
        skew: dt.timedelta = dt.timedelta(seconds=60),
    ) -> None:
        super().__init__(base_url=base_url, parse=parse_weaknesses, weaknesses=weaknesses, clock=clock)
        self.idp = idp
        self.skew = skew
        self._lock = threading.Lock()
        self._outstanding: dict[str, str] = {}
        self._seen: set[str] = set()
        self._sessions: dict[str, VulnerableSession] = {}
        r = self.routes
        r.add("GET", "/metadata", lambda req, _: Response(body=self.metadata_xml.encode(), content_type="application/samlmetadata+xml"))
        r.add("GET", "/login", self._login)
        r.add("POST", "/acs", lambda req, _: self.consume(req))
        r.add("GET", "/whoami", self._whoami)
        r.add("GET", "/", lambda req, _: redirect("/whoami"))

    # -- configuration -------------------------------------------------------------------------
    @property
    def metadata_xml(self) -> str:
        return to_xml(sp_descriptor(self.entity_id, acs=[Endpoint(BINDING_POST, self.acs_url)], want_assertions_signed=True))

    def reset_state(self) -> None:
        super().reset_state()
        with self._lock:
            self._outstanding.clear()
            self._seen.clear()
            self._sessions.clear()

    # -- SP-initiated ------------------------------------------------------------------------------
    def _login(self, request: Request, _: Mapping[str, str]) -> Response:
        target = request.query.get("target", "/whoami")
        request_id = "_" + secrets.token_hex(16)
        issued = self.clock().strftime("%Y-%m-%dT%H:%M:%SZ")
        xml = (
            f'<samlp:AuthnRequest xmlns:samlp="{_SAMLP}" xmlns:saml="{_SAML}" ID="{request_id}" Version="2.0" '
            f'IssueInstant="{issued}" Destination="{html.escape(self.idp.sso_url)}" '
            f'AssertionConsumerServiceURL="{html.escape(self.acs_url)}" '
            f'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">'
            f"<saml:Issuer>{html.escape(self.entity_id)}</saml:Issuer></samlp:AuthnRequest>"
        )
        with self._lock:
            self._outstanding[request_id] = target
        return redirect(redirect_url(self.idp.sso_url, "SAMLRequest", xml.encode(), relay_state=target))

    # -- ACS -------------------------------------------------------------------------------------
    def consume(self, request: Request) -> Response:
        form = request.form
        relay = form.get("RelayState")
        try:
            xml = b64decode_lenient(form.get("SAMLResponse", ""), where="SAMLResponse")
            root = self._parse(xml)
            message = read_response(root, decode_options(self._certificates(root)))
        except DecodeError as exc:
            return refused_page([CheckFailure("format", str(exc))], brand="Vulnerable SP")
        if root.tag != f"{{{_SAMLP}}}Response":
            return refused_page([CheckFailure("format", "not a samlp:Response")], brand="Vulnerable SP")
        message, name_id = self._read(root, message)
        failures = self._check(message)
        if failures:
            return refused_page(failures, brand="Vulnerable SP")
        assert message.assertion is not None and name_id is not None  # _check refuses otherwise
        with self._lock:
            if not self.on(W.NO_REPLAY_CACHE):
                self._outstanding.pop(message.in_response_to or "", None)
                self._seen.add(message.assertion.id or "")
            session = secrets.token_urlsafe(24)
            self._sessions[session] = VulnerableSession(name_id, dict(message.assertion.attributes))
        return redirect(self._landing(relay)).set_cookie(self.cookie("session"), session)

    def _parse(self, xml: bytes) -> etree._Element:
        if self.on(W.XXE) or self.on(W.ENTITY_EXPANSION):
            return naive_saml.parse_with_dtd(xml, expand_entities=self.on(W.ENTITY_EXPANSION), fetch_external=self.on(W.XXE))
        return parse_xml(xml, where="SAMLResponse")

    def _certificates(self, root: etree._Element) -> list[x509.Certificate]:
        trusted = list(self.idp.certificates)
        if self.on(W.KEYINFO_TRUSTED):
            return trusted + naive_saml.keyinfo_certificates(root)
        if self.on(W.CERT_BY_SUBJECT):
            return trusted + naive_saml.keyinfo_certificates(root, only_subjects_of=trusted)
        return trusted

    def _read(self, root: etree._Element, message: SamlResponse) -> tuple[SamlResponse, str | None]:
        """The assertion this SP consumes, whether it counts as signed, and the NameID it reads."""
        element = root.find(f"{{{_SAML}}}Assertion")
        signed = message.trusted
        if self.on(W.XSW_ROOT_ASSERTION) or self.on(W.XSW_FIRST_ASSERTION):
            signed = naive_saml.naive_signature_valid(root, self._certificates(root))
            if self.on(W.XSW_FIRST_ASSERTION):
                element = next(root.iter(f"{{{_SAML}}}Assertion"), None)
        if self.on(W.SIGNATURE_OPTIONAL) and not naive_saml.has_signature(root):
            signed = True
        if element is None:
            return replace(message, assertions=(), trusted=signed), None
        assertion: Assertion = read_assertion(element, signed=signed)
        name_id = assertion.name_id.value if assertion.name_id else None
        if self.on(W.COMMENT_TRUNCATION):
            name_id = naive_saml.first_text_name_id(element)
            if assertion.name_id is not None and name_id is not None:
                assertion = replace(assertion, name_id=NameID(name_id, assertion.name_id.format))
        return replace(message, assertions=(assertion, *message.assertions[1:]), trusted=signed), name_id

    def _check(self, message: SamlResponse) -> list[CheckFailure]:
        now = self.clock()
        unsolicited_ok = self.on(W.UNSOLICITED_ACCEPTED) or self.on(W.NO_IN_RESPONSE_TO)
        policy = SpPolicy(self.entity_id, self.acs_url, self.idp.entity_id, unsolicited_ok, self.skew)
        with self._lock:
            outstanding, seen = set(self._outstanding), set(self._seen)
        off = {check for weakness, check in _SWITCHES_OFF.items() if self.on(weakness)} | {"time window"}
        failures = check_response(message, policy, outstanding=outstanding, seen_assertions=seen, now=now)
        failures = [f for f in failures if f.check not in off]
        if message.assertion is not None:
            failures += self._time(message.assertion, now)
        return failures

    def _time(self, assertion: Assertion, now: dt.datetime) -> list[CheckFailure]:
        skew = dt.timedelta(days=1) if self.on(W.LAX_CLOCK) else self.skew
        found: list[CheckFailure] = []
        if not self.on(W.NO_NOT_BEFORE) and assertion.not_before is not None and now + skew < assertion.not_before:
            found.append(CheckFailure("time window", f"not valid before {assertion.not_before:%Y-%m-%dT%H:%M:%SZ}"))
        if not self.on(W.NO_NOT_ON_OR_AFTER):
            for limit in (assertion.not_on_or_after, assertion.subject_not_on_or_after):
                if limit is not None and now - skew >= limit:
                    found.append(CheckFailure("time window", f"NotOnOrAfter {limit:%Y-%m-%dT%H:%M:%SZ} has passed"))
                    break
        return found

    def _landing(self, relay: str | None) -> str:
        if relay and self.on(W.OPEN_REDIRECT):
            return relay
        return relay if relay and relay.startswith("/") and not relay.startswith("//") else "/whoami"

    # -- pages -------------------------------------------------------------------------------------
    def session(self, request: Request) -> VulnerableSession | None:
        with self._lock:
            return self._sessions.get(request.cookies.get(self.cookie("session"), ""))

    def _whoami(self, request: Request, _: Mapping[str, str]) -> Response:
        session = self.session(request)
        if session is None:
            return html_page("Not signed in", "<h1 id='signed-out'>Not signed in</h1><a id='login' href='/login'>Sign in</a>", status=401)
        show = (lambda v: v) if self.on(W.REFLECTS_ATTRIBUTES) else html.escape
        rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{show(', '.join(v))}</td></tr>" for k, v in session.attributes.items())
        body = f"<h1>Signed in</h1><p>Signed in as <span id='user'>{html.escape(session.name_id)}</span></p><table id='attributes'>{rows}</table>"
        return html_page("Signed in - Vulnerable SP", body)
