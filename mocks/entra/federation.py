"""Federated domains: Entra as a SAML SP of the domain's own IdP (SAMLP federation).

A domain set to Federated (``Set-MsolDomainAuthentication -Authentication
Federated -IssuerUri -PassiveLogOnUri -LogOffUri -SigningCertificate
-PreferredAuthenticationProtocol SAMLP``) sends its users away: when such a
user types their name on the sign-in page, Entra sends an AuthnRequest
(Issuer ``urn:federation:MicrosoftOnline``, ACS ``/login.srf``) to the
PassiveLogOnUri with the flow's ``ctx`` as RelayState. The IdP's Response
comes back to ``POST /login.srf``; Entra checks it as a careful SP does
(signature by the configured certificate, IssuerUri, audience, recipient,
time, InResponseTo, replay), finds the user by ``IDPEmail`` (else the
NameID), and the sign-in continues at "Stay signed in?".
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping

from lxml import etree

from sso_harness.protocols import DecodeError
from sso_harness.protocols.encoding import b64decode_lenient
from sso_harness.protocols.saml import Response as SamlResponse
from sso_harness.protocols.saml import parse_saml
from sso_harness.protocols.xml.dsig import certificate_from_keyinfo_text
from sso_harness.mocks.entra.claims import federated
from sso_harness.mocks.entra.context import EntraContext
from sso_harness.mocks.entra.directory import UserRef
from sso_harness.mocks.entra.error_shapes import page_error
from sso_harness.mocks.entra.errors import AadstsError, aadsts
from sso_harness.mocks.entra.flow import Flow, SignedIn
from sso_harness.mocks.entra.tenant import NAMEID_PERSISTENT, EntraUser, FederatedDomain, Tenant
from sso_harness.mocks.web.http import Request, Response, redirect
from sso_harness.mocks.saml.redirect import redirect_url
from sso_harness.mocks.saml.response_builder import SAML, SAMLP, default_namespace, iso
from sso_harness.mocks.saml.sp_checks import SpPolicy, check_response

__all__ = ["FederationLeg", "FEDERATION_SP", "IDP_EMAIL"]

FEDERATION_SP = "urn:federation:MicrosoftOnline"
IDP_EMAIL = "IDPEmail"

Continue = Callable[[Flow, SignedIn, Request], Response]
#: Entra's tolerance for the federated IdP's clock.
_SKEW = dt.timedelta(minutes=5)


class FederationLeg:
    def __init__(self, ctx: EntraContext, on_authenticated: Continue) -> None:
        self.ctx = ctx
        self.on_authenticated = on_authenticated
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    @property
    def acs_url(self) -> str:
        return f"{self.ctx.base_url}/login.srf"

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()

    # -- out: the AuthnRequest --------------------------------------------------------------
    def start(self, flow: Flow, username: str, domain: FederatedDomain) -> Response:
        request_id = self.ctx.new_id()
        self.ctx.flows.update(flow, federation_request_id=request_id, login_hint=username)
        return redirect(redirect_url(domain.passive_logon_uri, "SAMLRequest", self._authn_request(request_id, domain), flow.ctx))

    def _authn_request(self, request_id: str, domain: FederatedDomain) -> bytes:
        root = etree.Element(f"{{{SAMLP}}}AuthnRequest", nsmap={"samlp": SAMLP})
        root.set("ID", request_id)
        root.set("Version", "2.0")
        root.set("IssueInstant", iso(self.ctx.clock()))
        root.set("Destination", domain.passive_logon_uri)
        root.set("AssertionConsumerServiceURL", self.acs_url)
        root.set("ProtocolBinding", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST")
        etree.SubElement(root, f"{{{SAML}}}Issuer", nsmap=default_namespace(SAML)).text = FEDERATION_SP
        etree.SubElement(root, f"{{{SAMLP}}}NameIDPolicy", Format=NAMEID_PERSISTENT)
        return etree.tostring(root)

    # -- in: POST /login.srf ----------------------------------------------------------------
    def acs(self, request: Request, _: Mapping[str, str]) -> Response:
        form = request.form
        c = self.ctx.correlation()
        flow = self.ctx.flows.get(form.get("RelayState", ""))
        if flow is None or flow.federation_request_id is None:
            return page_error(aadsts(90014, field="wctx"), c)
        domain = self.ctx.directory.federation_for(flow.login_hint)
        try:
            if domain is None:
                raise aadsts(50107, issuer="")
            signed_in = self._verify(form.get("SAMLResponse", ""), domain, flow.federation_request_id)
        except AadstsError as err:
            self.ctx.record(flow.login_hint, "", err.code, "federated sign-in refused")
            return page_error(err, c)
        self.ctx.flows.update(flow, federation_request_id=None)
        return self.on_authenticated(flow, signed_in, request)

    def _verify(self, encoded: str, domain: FederatedDomain, request_id: str) -> SignedIn:
        try:
            cert = certificate_from_keyinfo_text(domain.signing_certificate)
            message = parse_saml(b64decode_lenient(encoded, where="SAMLResponse"), trusted_certs=[cert])
        except (DecodeError, ValueError) as exc:
            raise aadsts(50008, detail=str(exc)) from None
        if not isinstance(message, SamlResponse):
            raise aadsts(50008, detail="The federated IdP did not answer with a samlp:Response.")
        with self._lock:
            seen = set(self._seen)
        policy = SpPolicy(FEDERATION_SP, self.acs_url, domain.issuer_uri, skew=_SKEW)
        failures = check_response(message, policy, outstanding={request_id}, seen_assertions=seen, now=self.ctx.clock())
        if failures:
            first = failures[0]
            if first.check == "issuer":
                raise aadsts(50107, issuer=message.issuer or "")
            raise aadsts(50008, detail="; ".join(str(f) for f in failures))
        assertion = message.assertion
        assert assertion is not None and assertion.name_id is not None
        with self._lock:
            self._seen.add(assertion.id or "")
        email = (assertion.attributes.get(IDP_EMAIL) or (assertion.name_id.value,))[0]
        home = self.ctx.directory.home_of(email)
        if home is None:
            home = self._by_immutable_id(assertion.name_id.value)
        if home is None:
            raise aadsts(50034, tenant=domain.domain)
        tenant, user = home
        return SignedIn(UserRef(tenant.tenant_id, user.upn), federated(assertion.authn_context_class_ref), domain.issuer_uri, self.ctx.clock())

    def _by_immutable_id(self, value: str) -> tuple[Tenant, EntraUser] | None:
        for tenant in self.ctx.directory.tenants:
            for user in tenant.users:
                if user.immutable_id and user.immutable_id == value:
                    return tenant, user
        return None
