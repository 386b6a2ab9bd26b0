"""Federated domains: Entra as a relying party of the domain's own IdP (SAMLP or WS-Fed federation).

A domain set to Federated (``Set-MsolDomainAuthentication -Authentication
Federated -IssuerUri -PassiveLogOnUri -LogOffUri -SigningCertificate
-PreferredAuthenticationProtocol SAMLP``) sends its users away: when such a
user types their name on the sign-in page, Entra sends an AuthnRequest
(Issuer ``urn:federation:MicrosoftOnline``, ACS ``/login.srf``) to the
PassiveLogOnUri with the flow's ``ctx`` as RelayState. The IdP's Response
comes back to ``POST /login.srf``; Entra checks it as a careful SP does
(signature by the configured certificate, IssuerUri, audience, recipient,
time, InResponseTo, replay), then applies Microsoft's published rules for a
SAML 2.0 IdP federated with Entra: the NameID is persistent and carries the
user's ImmutableID (onPremisesImmutableId), and the ``IDPEmail`` attribute is
that user's UPN. A token that breaks any of this is AADSTS50008
(InvalidSamlToken); an Issuer other than the domain's IssuerUri is AADSTS50107
(InvalidRealmUri). The sign-in then continues at "Stay signed in?".

With ``-PreferredAuthenticationProtocol WsFed`` Entra sends ``wa=wsignin1.0``
(``wtrealm`` urn:federation:MicrosoftOnline, ``wreply`` /login.srf, ``wctx``
the flow) to the PassiveLogOnUri instead and takes back a ``wresult`` RSTR
carrying a SAML 1.1 token, held to the same checks; its user is named by the
NameIdentifier (the ImmutableID) and the ``http://schemas.xmlsoap.org/claims/UPN``
claim. A token in the other protocol than the domain's is AADSTS50008.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from urllib.parse import urlencode

from lxml import etree

from sso_harness.protocols import DecodeError
from sso_harness.protocols.encoding import b64decode_lenient
from sso_harness.protocols.saml import Response as SamlResponse
from sso_harness.protocols.saml import parse_saml
from sso_harness.protocols.wsfed import Saml11Assertion, WsFedSignInResponse, decode_wsfed
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

__all__ = ["FederationLeg", "FEDERATION_SP", "IDP_EMAIL", "WSFED_UPN", "WSFED_IMMUTABLE_ID"]

FEDERATION_SP = "urn:federation:MicrosoftOnline"
IDP_EMAIL = "IDPEmail"
#: The claims a WS-Fed IdP sends Entra (the claim rules of the Microsoft 365 relying party trust).
WSFED_UPN = "http://schemas.xmlsoap.org/claims/UPN"
WSFED_IMMUTABLE_ID = "http://schemas.microsoft.com/LiveID/Federation/2008/05/ImmutableID"

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
        if domain.preferred_authentication_protocol == "WSFED":
            # WS-Federation §13.2.1: realm urn:federation:MicrosoftOnline, the reply at /login.srf,
            # the flow's ctx as wctx (it comes back with the token).
            params = {"wa": "wsignin1.0", "wtrealm": FEDERATION_SP, "wreply": self.acs_url, "wctx": flow.ctx, "username": username}
            sep = "&" if "?" in domain.passive_logon_uri else "?"
            return redirect(domain.passive_logon_uri + sep + urlencode(params))
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
        wsfed = "wresult" in form
        flow = self.ctx.flows.get(form.get("wctx" if wsfed else "RelayState", ""))
        if flow is None or flow.federation_request_id is None:
            return page_error(aadsts(90014, field="wctx"), c)
        domain = self.ctx.directory.federation_for(flow.login_hint)
        try:
            if domain is None:
                raise aadsts(50107, issuer="")
            if wsfed != (domain.preferred_authentication_protocol == "WSFED"):
                raise aadsts(50008, detail=f"The domain federates over {domain.preferred_authentication_protocol}; "
                                           f"a {'WS-Federation' if wsfed else 'SAML 2.0'} token is not accepted.")
            if wsfed:
                signed_in = self._verify_wsfed(form, domain)
            else:
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
        tenant, user = self._user_of(domain, assertion.name_id.value, assertion.name_id.format, assertion.attributes.get(IDP_EMAIL, ()))
        return SignedIn(UserRef(tenant.tenant_id, user.upn), federated(assertion.authn_context_class_ref), domain.issuer_uri, self.ctx.clock())

    def _verify_wsfed(self, form: Mapping[str, str], domain: FederatedDomain) -> SignedIn:
        """The RSTR's SAML 1.1 token: signed by the configured certificate, Issuer = IssuerUri (else
        AADSTS50107), audience urn:federation:MicrosoftOnline, inside its window, not replayed; then the
        rules for a WS-Fed IdP: NameIdentifier = ImmutableID, the UPN claim = the user's UPN."""
        try:
            cert = certificate_from_keyinfo_text(domain.signing_certificate)
            message = decode_wsfed(form, trusted_certs=[cert], now=self.ctx.clock())
        except (DecodeError, ValueError) as exc:
            raise aadsts(50008, detail=str(exc)) from None
        if not isinstance(message, WsFedSignInResponse) or message.token is None:
            raise aadsts(50008, detail="The federated IdP did not answer with a security token.")
        token = message.token
        if (token.issuer or "") != domain.issuer_uri:
            raise aadsts(50107, issuer=token.issuer or "")
        problems = [p.message for p in message.problems]
        if FEDERATION_SP not in token.audiences:
            problems.append(f"The token's audience is {', '.join(token.audiences) or 'missing'}, not {FEDERATION_SP}.")
        with self._lock:
            if token.id and token.id in self._seen:
                problems.append(f"The token {token.id} was already used.")
        if problems or token.name_id is None:
            raise aadsts(50008, detail="; ".join(problems) or "The token has no NameIdentifier.")
        with self._lock:
            self._seen.add(token.id or "")
        immutable = token.attributes.get(WSFED_IMMUTABLE_ID)
        if immutable is not None and immutable != (token.name_id.value,):
            raise aadsts(50008, detail="The ImmutableID claim and the NameIdentifier differ.")
        # SAML 1.1 has no persistent format of its own: the ImmutableID value is what counts.
        tenant, user = self._user_of(domain, token.name_id.value, None, token.attributes.get(WSFED_UPN, ()), email_claim="UPN")
        method = federated(token.authn_method) if isinstance(token, Saml11Assertion) else federated(None)
        return SignedIn(UserRef(tenant.tenant_id, user.upn), method, domain.issuer_uri, self.ctx.clock())

    def _user_of(
        self, domain: FederatedDomain, name_id: str, name_id_format: str | None, idp_email: tuple[str, ...], *, email_claim: str = IDP_EMAIL
    ) -> tuple[Tenant, EntraUser]:
        """Microsoft's rules for a SAML 2.0 IdP: a persistent NameID carrying the user's ImmutableID,
        and ``IDPEmail`` = the user's UPN, a user of the federated domain (WS-Fed: the UPN claim).
        Anything else is AADSTS50008."""
        if email_claim == IDP_EMAIL and name_id_format != NAMEID_PERSISTENT:
            raise aadsts(50008, detail=f"The NameID format must be '{NAMEID_PERSISTENT}', not '{name_id_format or ''}'.")
        if len(idp_email) != 1 or not idp_email[0].strip():
            raise aadsts(50008, detail=f"The '{email_claim}' attribute (the user's UPN) must be sent exactly once.")
        found = self._by_immutable_id(domain, name_id)
        if found is None:
            raise aadsts(50008, detail=f"No user of '{domain.domain}' has the ImmutableID '{name_id}' sent as NameID.")
        tenant, user = found
        if user.upn.lower() != idp_email[0].strip().lower():
            raise aadsts(50008, detail=f"'{email_claim}' is '{idp_email[0]}', not the UPN of the user with that ImmutableID.")
        return tenant, user

    def _by_immutable_id(self, domain: FederatedDomain, value: str) -> tuple[Tenant, EntraUser] | None:
        suffix = "@" + domain.domain.lower()
        for tenant in self.ctx.directory.tenants:
            if tenant.federated_domain(domain.domain) is None:
                continue
            for user in tenant.users:
                if user.immutable_id and user.immutable_id == value and user.upn.lower().endswith(suffix):
                    return tenant, user
        return None
