"""``/{tenant}/saml2``: SAML single sign-on and logout, the way Entra answers.

AuthnRequest rules (entra.md §1): the ``Issuer`` must be one of an
enterprise app's Identifiers (else AADSTS700016), an
``AssertionConsumerServiceURL`` must be one of its Reply URLs (AADSTS50011),
an ``ID`` must not start with a digit (AADSTS7500529), and when the app
requires verification certificates the request must be signed by one of
them (AADSTS76021). Those are shown on the error page, since nothing
trustworthy can be sent back. A request with a
``Subject`` or an unsupported NameIDPolicy gets a SAML error Response
(``Requester``), posted to the ACS. After sign-in: the user must belong to
the tenant (AADSTS50020), be assigned when assignment is required
(AADSTS50105), and have authenticated the way a ``RequestedAuthnContext``
asks (AADSTS75011).

A ``LogoutRequest`` on the same URL ends the SSO session and answers with a
signed ``LogoutResponse`` to the app's Logout URL (HTTP-Redirect). For a user
who signed in at a federated domain's IdP the browser goes through that
domain's LogOffUri first (:func:`~sso_harness.mocks.entra.wsfed.federated_logoff`:
SAMLP domains get a plain GET of it, WS-Fed ones ``wa=wsignout1.0`` with the
LogoutResponse URL as ``wreply``).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from lxml import etree

from sso_harness.protocols import DecodeError
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.saml import AuthnRequest, decode_post, decode_redirect
from sso_harness.mocks.entra.claims import (
    SUPPORTED_NAMEID_FORMATS,
    is_assigned,
    name_id_for,
    saml_attributes,
    sts_issuer,
)
from sso_harness.mocks.entra.context import EntraContext
from sso_harness.mocks.entra.directory import MULTI_TENANT_SEGMENTS, UserRef
from sso_harness.mocks.entra.error_shapes import Correlation, error_description, page_error
from sso_harness.mocks.entra.errors import AadstsError, aadsts
from sso_harness.mocks.entra.flow import Flow, SamlLeg, SignedIn
from sso_harness.mocks.entra.tenant import EnterpriseApp, EntraUser, Tenant
from sso_harness.mocks.entra.pages import hidden_form, signed_out_page
from sso_harness.mocks.entra.wsfed_token import AM_PASSWORD, Saml11Token, rstr_xml
from sso_harness.mocks.entra.signin import SignInSteps
from sso_harness.mocks.entra.wsfed import clear_cookies, end_sessions, federated_logoff
from sso_harness.mocks.web.http import Request, Response, redirect
from sso_harness.mocks.base.keys import KeyPair
from sso_harness.mocks.base.faults import ResponseFaults
from sso_harness.mocks.saml.issue import SigningPolicy, issue_response
from sso_harness.mocks.saml.redirect import redirect_url
from sso_harness.mocks.saml.response_builder import (
    SAML,
    SAMLP,
    AssertionSpec,
    ResponseSpec,
    StatusSpec,
    default_namespace,
    iso,
)

__all__ = ["SamlEndpoint", "RequestExtras", "request_extras"]

STATUS = "urn:oasis:names:tc:SAML:2.0:status:"


class _Identified(Protocol):
    """What logout needs of a LogoutRequest, whichever decoded type carries it."""

    @property
    def id(self) -> str | None: ...

    @property
    def issuer(self) -> str | None: ...


@dataclass(frozen=True)
class RequestExtras:
    """What our decoder's AuthnRequest does not carry but Entra looks at."""

    requested_classes: tuple[str, ...] = ()
    comparison: str | None = None
    has_subject: bool = False
    sp_name_qualifier: str | None = None


def request_extras(xml: bytes) -> RequestExtras:
    try:
        root = parse_xml(xml, where="AuthnRequest")
    except DecodeError:
        return RequestExtras()
    rac = root.find(f"{{{SAMLP}}}RequestedAuthnContext")
    classes = tuple((e.text or "").strip() for e in rac.findall(f"{{{SAML}}}AuthnContextClassRef")) if rac is not None else ()
    policy = root.find(f"{{{SAMLP}}}NameIDPolicy")
    return RequestExtras(
        requested_classes=classes,
        comparison=(rac.get("Comparison") or "exact") if rac is not None else None,
        has_subject=root.find(f"{{{SAML}}}Subject") is not None,
        sp_name_qualifier=policy.get("SPNameQualifier") if policy is not None else None,
    )


class SamlEndpoint:
    def __init__(self, ctx: EntraContext, signin: SignInSteps) -> None:
        self.ctx = ctx
        self.signin = signin

    # -- GET|POST /{tenant}/saml2 ------------------------------------------------------
    def handle(self, request: Request, path: Mapping[str, str]) -> Response:
        c = self.ctx.correlation()
        params = request.params
        if "SAMLRequest" not in params:
            return page_error(aadsts(750054), c)
        try:
            decoded = decode_redirect(request.raw_query) if request.method != "POST" else decode_post(params)
        except DecodeError as exc:
            return page_error(aadsts(75005, detail=str(exc)), c)
        segment = path["tenant"]
        tenant = self.ctx.directory.tenant(segment)
        message = decoded.message
        if message.kind == "saml.logout_request":
            return self._logout(message, tenant, decoded.relay_state, request, c)
        if not isinstance(message, AuthnRequest):
            return page_error(aadsts(75005, detail=f"Unexpected {message.kind} at the SSO endpoint."), c)
        if tenant is None and segment.lower() not in MULTI_TENANT_SEGMENTS:
            return page_error(aadsts(90002, tenant=segment), c)
        if message.id and message.id[0].isdigit():
            return page_error(aadsts(7500529, value=message.id), c)
        issuer = message.issuer or ""
        tenant, app = self._find_app(tenant, issuer)
        if tenant is None or app is None:
            return page_error(aadsts(700016, app_id=issuer, tenant=segment), c)
        if app.verification_certificates and not self._signed_by_sp(app, request, params):
            return page_error(aadsts(76021, detail="No valid signature by a verification certificate covers it."), c, app_name=app.display_name)
        if not app.reply_urls or (message.acs_url and message.acs_url not in app.reply_urls):
            return page_error(aadsts(50011, uri=message.acs_url or "", app_id=app.app_id), c, app_name=app.display_name)
        extras = request_extras(decoded.xml)
        fmt = message.name_id_policy.format if message.name_id_policy else None
        leg = SamlLeg(
            tenant_id=tenant.tenant_id,
            app_id=app.app_id,
            acs_url=message.acs_url or app.reply_urls[0],
            audience=issuer,
            request_id=message.id,
            relay_state=decoded.relay_state,
            name_id_format=fmt,
            sp_name_qualifier=extras.sp_name_qualifier,
            requested_classes=extras.requested_classes if extras.comparison == "exact" else (),
            force_authn=bool(message.force_authn),
        )
        if extras.has_subject:
            err = aadsts(75006, detail="AADSTS90011: The SAML authentication request property 'Subject' is not supported.")
            return self._error_response(app, tenant, leg, err, "RequestUnsupported", c)
        if fmt and fmt not in SUPPORTED_NAMEID_FORMATS:
            err = aadsts(75016, detail=f"The NameIDPolicy format '{fmt}' is not supported.")
            return self._error_response(app, tenant, leg, err, "InvalidNameIDPolicy", c)
        flow = self.ctx.flows.open(segment, tenant.tenant_id, leg, login_hint=params.get("login_hint", ""))
        return self.signin.begin(flow, request, force=leg.force_authn)

    def _signed_by_sp(self, app: EnterpriseApp, request: Request, params: Mapping[str, str]) -> bool:
        """A Redirect query signature (bindings §3.4.4.1) or an enveloped signature by a verification certificate."""
        certs = [self.ctx.keys.get(name).cert for name in app.verification_certificates]
        try:
            decoded = decode_redirect(request.raw_query, trusted_certs=certs) if request.method != "POST" else decode_post(params, trusted_certs=certs)
        except DecodeError:
            return False
        return bool(getattr(decoded.message, "trusted", False))

    def _find_app(self, tenant: Tenant | None, issuer: str) -> tuple[Tenant | None, EnterpriseApp | None]:
        candidates = [tenant] if tenant is not None else list(self.ctx.directory.tenants)
        for t in candidates:
            app = t.app_by_identifier(issuer)
            if app is not None:
                return t, app
        return tenant, None

    # -- after sign-in ----------------------------------------------------------------
    def complete(self, flow: Flow, signed_in: SignedIn, request: Request) -> Response:
        self.ctx.flows.close(flow.ctx)
        leg = flow.leg
        assert isinstance(leg, SamlLeg)
        c = self.ctx.correlation()
        tenant = self.ctx.directory.tenant_by_id(leg.tenant_id)
        app = tenant.app_by_id(leg.app_id)
        upn = signed_in.user.upn
        if app is None:  # removed while the user was signing in
            return page_error(aadsts(700016, app_id=leg.app_id, tenant=tenant.tenant_id), c)
        try:
            if signed_in.user.tenant_id != tenant.tenant_id:
                # A user of another tenant gets in only as the guest object this tenant holds for them;
                # the token then describes the guest (its #EXT# UPN) and names the home tenant as idp.
                guest = self.ctx.directory.guest_in(tenant, self.ctx.directory.user(signed_in.user))
                if guest is None:
                    raise aadsts(50020, idp=signed_in.identity_provider, tenant_name=tenant.display_name, app_id=app.app_id, app_name=app.display_name)
                signed_in = replace(signed_in, user=UserRef(tenant.tenant_id, guest.upn))
            user = self.ctx.directory.user(signed_in.user)
            if app.assignment_required and not is_assigned(app.assignments, user):
                raise aadsts(50105, app_name=app.display_name, app_id=app.app_id)
            if leg.requested_classes and not set(leg.requested_classes) & signed_in.method.satisfies:
                names = ", ".join(c.rsplit(":", 1)[-1] for c in leg.requested_classes)
                raise aadsts(75011, method=signed_in.method.names, requested=names, app_name=app.display_name)
            faults = self.ctx.take_faults(app.app_id, *app.identifiers)
            if faults.aadsts:
                raise aadsts(faults.aadsts, app_id=app.app_id, app_name=app.display_name, tenant=tenant.tenant_id)
            if leg.protocol == "wsfed":
                fields = {"wa": "wsignin1.0", "wresult": self.issue_wsfed(app, tenant, user, signed_in, leg, faults).decode("utf-8")}
                relay_name = "wctx"
            else:
                fields = {"SAMLResponse": base64.b64encode(self.issue(app, tenant, user, signed_in, leg, faults)).decode("ascii")}
                relay_name = "RelayState"
        except AadstsError as err:
            self.ctx.record(upn, app.display_name, err.code)
            return page_error(err, c, app_name=app.display_name)
        self.ctx.record(upn, app.display_name, 0)
        if leg.relay_state is not None:
            fields[relay_name] = leg.relay_state
        return hidden_form(leg.acs_url, fields)

    def issue_wsfed(self, app: EnterpriseApp, tenant: Tenant, user: EntraUser, signed_in: SignedIn, leg: SamlLeg, faults: ResponseFaults) -> bytes:
        """The ``wresult`` of a ``/wsfed`` sign-in: a SAML 1.1 token with the same claims a SAML app gets."""
        value, fmt = name_id_for(app, user, tenant, None, self.ctx.new_id)
        now = self.ctx.clock()
        token = Saml11Token(
            issuer=sts_issuer(tenant.tenant_id),
            audience=leg.audience,
            name_id=value,
            name_id_format=fmt,
            issue_instant=now,
            authn_instant=signed_in.auth_time,
            attributes=saml_attributes(app, user, tenant, signed_in.method, signed_in.identity_provider),
            authn_method=signed_in.method.amr_uris[0] if signed_in.method.amr_uris else AM_PASSWORD,
        )
        return rstr_xml(token, self.signing_key(app), self.ctx.wrong_key, self.ctx.new_id, faults)

    def signing_key(self, app: EnterpriseApp) -> KeyPair:
        cert = app.active_certificate
        if cert is None:
            raise aadsts(50003, app_name=app.display_name, app_id=app.app_id)
        return self.ctx.keys.get(cert.key, "accounts.accesscontrol.windows.net")

    def issue(self, app: EnterpriseApp, tenant: Tenant, user: EntraUser, signed_in: SignedIn, leg: SamlLeg, faults: ResponseFaults) -> bytes:
        """The signed Response for ``user`` (faults applied before signing)."""
        issuer = sts_issuer(tenant.tenant_id)
        value, fmt = name_id_for(app, user, tenant, leg.name_id_format, self.ctx.new_id)
        spec = ResponseSpec(
            issuer=issuer,
            destination=leg.acs_url,
            in_response_to=leg.request_id,
            issue_instant=self.ctx.clock(),
            assertion=AssertionSpec(
                issuer=issuer,
                name_id=value,
                name_id_format=fmt,
                audience=leg.audience,
                recipient=leg.acs_url,
                in_response_to=leg.request_id,
                attributes=saml_attributes(app, user, tenant, signed_in.method, signed_in.identity_provider),
                authn_context=signed_in.method.class_ref,
                sp_name_qualifier=leg.sp_name_qualifier,
                authn_instant=signed_in.auth_time,
            ),
        )
        policy = SigningPolicy(self.signing_key(app), self.ctx.wrong_key, app.signing, app.signing_algorithm)
        return issue_response(spec, faults, policy, self.ctx.new_id)

    def _error_response(self, app: EnterpriseApp, tenant: Tenant, leg: SamlLeg, err: AadstsError, sub: str, c: Correlation) -> Response:
        spec = ResponseSpec(
            issuer=sts_issuer(tenant.tenant_id),
            destination=leg.acs_url,
            in_response_to=leg.request_id,
            issue_instant=self.ctx.clock(),
            status=StatusSpec(STATUS + "Requester", STATUS + sub, error_description(err, c).replace("\r\n", "\n ")),
        )
        try:
            policy = SigningPolicy(self.signing_key(app), self.ctx.wrong_key, "response", app.signing_algorithm)
        except AadstsError as no_key:
            return page_error(no_key, c, app_name=app.display_name)
        xml = issue_response(spec, ResponseFaults(), policy, self.ctx.new_id)
        fields = {"SAMLResponse": base64.b64encode(xml).decode("ascii")}
        if leg.relay_state is not None:
            fields["RelayState"] = leg.relay_state
        self.ctx.record("", app.display_name, err.code)
        return hidden_form(leg.acs_url, fields)

    # -- single logout ---------------------------------------------------------------------
    def _logout(self, message: _Identified, tenant: Tenant | None, relay_state: str | None, request: Request, c: Correlation) -> Response:
        tenant, app = self._find_app(tenant, message.issuer or "")
        who = end_sessions(self.ctx, request)
        if tenant is None or app is None:
            return page_error(aadsts(700016, app_id=message.issuer or "", tenant=""), c)
        then: str | None = None
        if app.logout_url:
            xml = self._logout_response(tenant, app.logout_url, message.id)
            key = self.signing_key(app)
            then = redirect_url(app.logout_url, "SAMLResponse", xml, relay_state, key=key.key)
        # A user of a federated domain leaves the home IdP too, through the domain's LogOffUri
        # (a WS-Fed domain is asked to come back to the app's LogoutResponse).
        response = federated_logoff(self.ctx, who, then) or (redirect(then) if then else signed_out_page())
        return clear_cookies(self.ctx, response)

    def _logout_response(self, tenant: Tenant, destination: str, in_response_to: str | None) -> bytes:
        root = etree.Element(f"{{{SAMLP}}}LogoutResponse", nsmap={"samlp": SAMLP})
        root.set("ID", self.ctx.new_id())
        root.set("Version", "2.0")
        root.set("IssueInstant", iso(self.ctx.clock()))
        root.set("Destination", destination)
        if in_response_to:
            root.set("InResponseTo", in_response_to)
        etree.SubElement(root, f"{{{SAML}}}Issuer", nsmap=default_namespace(SAML)).text = sts_issuer(tenant.tenant_id)
        status = etree.SubElement(root, f"{{{SAMLP}}}Status")
        etree.SubElement(status, f"{{{SAMLP}}}StatusCode", Value=STATUS + "Success")
        return etree.tostring(root)
