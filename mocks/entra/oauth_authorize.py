"""``/{tenant}/oauth2/v2.0/authorize`` and v1 ``/{tenant}/oauth2/authorize``: the code flow's front half.

Order of checks, as Entra makes them (RFC 6749 §4.1.2.1 says which errors
may go back to the client): an unknown tenant (AADSTS90002), a missing or
unknown ``client_id`` (AADSTS90014 / 700016), a single-tenant app on
``common`` (AADSTS50194) and an unregistered ``redirect_uri`` (AADSTS50011)
are shown on Entra's error page. Everything after that goes back to the
redirect URI: a missing ``response_type`` or ``scope`` (AADSTS90014), a bad
scope (AADSTS70011), and, once the user is known, a user from another tenant
(AADSTS50020), a missing assignment (AADSTS50105) or consent (AADSTS65001).
"""

from __future__ import annotations

import functools
from dataclasses import replace
from collections.abc import Mapping
from urllib.parse import urlencode

from sso_harness.mocks.entra.claims import is_assigned, jwt_group_claims
from sso_harness.mocks.entra.context import EntraContext
from sso_harness.mocks.entra.directory import MULTI_TENANT_SEGMENTS, UserRef
from sso_harness.mocks.entra.error_shapes import page_error, redirect_error
from sso_harness.mocks.entra.errors import AadstsError, aadsts
from sso_harness.mocks.entra.flow import Flow, OAuthLeg, SignedIn
from sso_harness.mocks.entra.grants import AuthorizationCode, GrantStore
from sso_harness.mocks.entra.tenant import AppRegistration, EntraUser, Tenant
from sso_harness.mocks.entra.pages import hidden_form
from sso_harness.mocks.entra.scopes import missing_consent, parse_resource, parse_scope
from sso_harness.mocks.entra.signin import SignInSteps
from sso_harness.mocks.entra.tokens import TokenIssuer
from sso_harness.mocks.web.http import Request, Response, redirect

__all__ = ["AuthorizeEndpoint", "TOKEN_ENDPOINT_CODES", "find_registration"]

#: Injected AADSTS faults with these codes are kept for the token endpoint.
TOKEN_ENDPOINT_CODES = frozenset({7000215, 7000218, 7000222, 54005, 70008, 70000, 9002325, 501481, 70003})
_RESPONSE_TYPES = ({"code"}, {"id_token"}, {"code", "id_token"})


def find_registration(ctx: EntraContext, segment: str, client_id: str) -> tuple[Tenant, AppRegistration]:
    """The app registration for ``client_id`` as seen from ``{tenant}``; raises 90002 / 700016 / 50194."""
    multi = segment.lower() in MULTI_TENANT_SEGMENTS
    tenant = ctx.directory.tenant(segment)
    if tenant is None and not multi:
        raise aadsts(90002, tenant=segment)
    found = ctx.directory.registration_anywhere(client_id)
    if found is None or (not multi and tenant is not None and found[0] != tenant and not found[1].multi_tenant):
        raise aadsts(700016, app_id=client_id, tenant=segment if tenant is None else tenant.tenant_id)
    home, registration = found
    if multi and not registration.multi_tenant:
        raise aadsts(50194, app_id=client_id, app_name=registration.display_name)
    return home, registration


class AuthorizeEndpoint:
    """``v1=True`` serves ``/{tenant}/oauth2/authorize``: ``resource`` names the API instead of ``scope``
    (:func:`~sso_harness.mocks.entra.scopes.parse_resource`) and ID tokens are v1."""

    def __init__(self, ctx: EntraContext, signin: SignInSteps, grants: GrantStore, tokens: TokenIssuer, *, v1: bool = False) -> None:
        self.ctx = ctx
        self.signin = signin
        self.grants = grants
        self.tokens = tokens
        self.v1 = v1

    def handle(self, request: Request, path: Mapping[str, str]) -> Response:
        params = request.params
        c = self.ctx.correlation(params.get("client-request-id"))
        segment = path["tenant"]
        try:
            client_id = params.get("client_id") or ""
            if not client_id:
                raise aadsts(90014, field="client_id")
            home, registration = find_registration(self.ctx, segment, client_id)
            redirect_uri = params.get("redirect_uri") or (
                registration.redirect_uris[0].uri if len(registration.redirect_uris) == 1 else ""
            )
            registered = next((r for r in registration.redirect_uris if r.uri == redirect_uri), None)
            if registered is None:
                raise aadsts(50011, uri=redirect_uri, app_id=client_id)
        except AadstsError as err:
            return page_error(err, c)
        types = set((params.get("response_type") or "").split())
        mode = params.get("response_mode") or ("query" if types in ({"code"}, set()) else "fragment")
        state = params.get("state")

        def back(err: AadstsError) -> Response:
            return redirect_error(err, c, redirect_uri=redirect_uri, state=state, response_mode=mode, error_uri_base=self.ctx.base_url)

        try:
            if not types:
                raise aadsts(90014, field="response_type")
            if types not in _RESPONSE_TYPES or ("id_token" in types and not registration.id_tokens_enabled):
                raise aadsts(700054, response_type=params.get("response_type"))
            tenant = self.ctx.directory.tenant(segment)
            tenant_name = tenant.display_name if tenant else segment
            if self.v1:
                scope = parse_resource(params.get("resource"), params.get("scope"), self.ctx.resources, tenant_name=tenant_name)
            else:
                scope = parse_scope(params.get("scope"), self.ctx.resources, tenant_name=tenant_name)
        except AadstsError as err:
            return back(err)
        leg = OAuthLeg(
            client_id=registration.client_id,
            app_tenant_id=home.tenant_id,
            redirect_uri=redirect_uri,
            platform=registered.platform,
            scope=scope,
            response_type=" ".join(sorted(types)),
            response_mode=mode,
            state=state,
            nonce=params.get("nonce"),
            code_challenge=params.get("code_challenge"),
            code_challenge_method=params.get("code_challenge_method") or ("plain" if params.get("code_challenge") else None),
            prompt=params.get("prompt"),
        )
        multi = segment.lower() in MULTI_TENANT_SEGMENTS
        flow = self.ctx.flows.open(segment, None if multi or tenant is None else tenant.tenant_id, leg, params.get("login_hint", ""))
        if leg.prompt == "none" and self.signin.session(request) is None:
            self.ctx.flows.close(flow.ctx)
            return back(aadsts(50058))
        return self.signin.begin(flow, request, force=leg.prompt == "login")

    # -- after sign-in -------------------------------------------------------------------------
    def complete(self, flow: Flow, signed_in: SignedIn, request: Request) -> Response:
        self.ctx.flows.close(flow.ctx)
        leg = flow.leg
        assert isinstance(leg, OAuthLeg)
        c = self.ctx.correlation()
        home = self.ctx.directory.tenant_by_id(leg.app_tenant_id)
        registration = home.registration(leg.client_id)
        user_tenant = self.ctx.directory.tenant_by_id(signed_in.user.tenant_id)
        try:
            if registration is None:
                raise aadsts(700016, app_id=leg.client_id, tenant=home.tenant_id)
            # On a tenant's own endpoint the user must belong to it, as a member or as the guest
            # object the tenant holds for them; on common/organizations the home tenant is the target.
            if flow.tenant_id and user_tenant.tenant_id != flow.tenant_id:
                target = self.ctx.directory.tenant_by_id(flow.tenant_id)
                guest = self.ctx.directory.guest_in(target, self.ctx.directory.user(signed_in.user))
                if guest is None:
                    raise aadsts(50020, idp=signed_in.identity_provider, tenant_name=target.display_name, app_id=leg.client_id, app_name=registration.display_name)
                signed_in = replace(signed_in, user=UserRef(target.tenant_id, guest.upn))
                user_tenant = target
            user = self.ctx.directory.user(signed_in.user)
            if registration.assignment_required and not is_assigned(registration.assignments, user):
                raise aadsts(50105, app_name=registration.display_name, app_id=leg.client_id)
            if missing_consent(leg.scope, registration, self.ctx.resources):
                raise aadsts(65001, app_id=leg.client_id, app_name=registration.display_name)
            faults = self.ctx.peek_faults(leg.client_id)
            if faults.aadsts and faults.aadsts not in TOKEN_ENDPOINT_CODES:
                self.ctx.take_faults(leg.client_id)
                raise aadsts(faults.aadsts, app_id=leg.client_id, app_name=registration.display_name, tenant=user_tenant.tenant_id)
        except AadstsError as err:
            self.ctx.record(signed_in.user.upn, leg.client_id, err.code)
            return redirect_error(err, c, redirect_uri=leg.redirect_uri, state=leg.state, response_mode=leg.response_mode, error_uri_base=self.ctx.base_url)
        self.ctx.record(user.upn, registration.display_name, 0)
        return self._answer(leg, user_tenant, user, signed_in, registration)

    def _answer(self, leg: OAuthLeg, tenant: Tenant, user: EntraUser, signed_in: SignedIn, registration: AppRegistration) -> Response:
        params: dict[str, str] = {}
        if "code" in leg.response_type:
            code = self.grants.issue_code(functools.partial(
                AuthorizationCode,
                client_id=leg.client_id,
                tenant_id=tenant.tenant_id,
                redirect_uri=leg.redirect_uri,
                platform=leg.platform,
                scope=leg.scope,
                signed_in=signed_in,
                issued_at=self.ctx.clock(),
                nonce=leg.nonce,
                code_challenge=leg.code_challenge,
                code_challenge_method=leg.code_challenge_method,
            ))
            params["code"] = code.code
        # An ID token from the authorize endpoint travels in the browser (implicit or hybrid): at most five groups.
        groups = jwt_group_claims(user, tenant, implicit=True) if registration.group_claims else None
        if "id_token" in leg.response_type and leg.scope.v1:
            params["id_token"] = self.tokens.id_token_v1(tenant, user, signed_in, leg.client_id, leg.nonce, self.ctx.peek_faults(leg.client_id),
                                                         groups=groups)
        elif "id_token" in leg.response_type:
            params["id_token"] = self.tokens.id_token(tenant, user, signed_in, leg.client_id, leg.scope, leg.nonce, self.ctx.peek_faults(leg.client_id),
                                                      groups=groups)
        if leg.state is not None:
            params["state"] = leg.state
        params["session_state"] = self.ctx.new_guid()
        if leg.response_mode == "form_post":
            return hidden_form(leg.redirect_uri, params)
        sep = "#" if leg.response_mode == "fragment" else ("&" if "?" in leg.redirect_uri else "?")
        return redirect(leg.redirect_uri + sep + urlencode(params))
