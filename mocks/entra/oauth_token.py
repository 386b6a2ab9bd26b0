"""``POST /{tenant}/oauth2/v2.0/token`` and v1 ``/{tenant}/oauth2/token``: grants redeemed server to server (RFC 6749 §3.2).

Grants: ``authorization_code`` (§4.1.3, PKCE RFC 7636 §4.5-4.6),
``refresh_token`` (§6), ``client_credentials`` (§4.4) and ``password``
(§4.3, where a wrong password shows as AADSTS50126). Client authentication
is ``client_secret_post`` or ``client_secret_basic`` (§2.3.1); a secret that
is not one of the app's secret *values* (for example its Secret ID) is
AADSTS7000215, the Jira guide's known error. Every failure is Entra's JSON
error body (see :mod:`sso_harness.mocks.entra.error_shapes`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from sso_harness.mocks.entra.claims import PASSWORD, is_assigned, jwt_group_claims, sts_issuer
from sso_harness.mocks.entra.context import EntraContext
from sso_harness.mocks.entra.directory import MULTI_TENANT_SEGMENTS, UserRef
from sso_harness.mocks.entra.error_shapes import ESTS_HEADERS, Correlation, token_error
from sso_harness.mocks.entra.errors import AadstsError, aadsts
from sso_harness.mocks.entra.flow import SignedIn
from sso_harness.mocks.entra.grants import CODE_LIFETIME, AuthorizationCode, GrantStore
from sso_harness.mocks.entra.tenant import AppRegistration, EntraUser, Tenant
from sso_harness.mocks.entra.oauth_authorize import find_registration
from sso_harness.mocks.entra.scopes import GRAPH, ScopeRequest, missing_consent, parse_resource, parse_scope, static_permissions
from sso_harness.mocks.entra.tokens import LIFETIME, TokenIssuer
from sso_harness.mocks.web.http import Request, Response, json_response
from sso_harness.mocks.base.faults import ResponseFaults

__all__ = ["TokenEndpoint", "pkce_s256"]

GRANTS = ("authorization_code", "refresh_token", "client_credentials", "password")


def pkce_s256(verifier: str) -> str:
    """``BASE64URL(SHA256(ASCII(code_verifier)))`` (RFC 7636 §4.2)."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).decode().rstrip("=")


def _client_credentials(request: Request, form: Mapping[str, str]) -> tuple[str, str | None]:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        try:
            user, _, password = base64.b64decode(auth[6:].strip()).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return form.get("client_id", ""), None
        # client_secret_basic form-encodes both parts before joining them (RFC 6749 §2.3.1).
        return unquote(user), unquote(password)
    return form.get("client_id", ""), form.get("client_secret")


class TokenEndpoint:
    """``v1=True`` serves ``/{tenant}/oauth2/token``: ``resource`` instead of ``scope``, and v1 bodies
    (``resource``, ``expires_on``, ``not_before``, lifetimes as strings, a refresh token and a v1 ID token
    for every user grant)."""

    def __init__(self, ctx: EntraContext, grants: GrantStore, tokens: TokenIssuer, *, v1: bool = False) -> None:
        self.ctx = ctx
        self.grants = grants
        self.tokens = tokens
        self.v1 = v1

    def _scope(self, form: Mapping[str, str], fallback: ScopeRequest | None = None, *, tenant_name: str = "") -> ScopeRequest:
        """The request's scope: v2 ``scope``; v1 ``resource`` (else the one the grant was made for)."""
        if not self.v1:
            return parse_scope(form.get("scope"), self.ctx.resources, tenant_name=tenant_name)
        if not form.get("resource") and fallback is not None:
            return replace(fallback, v1=True)
        return parse_resource(form.get("resource"), form.get("scope"), self.ctx.resources, tenant_name=tenant_name)

    def handle(self, request: Request, path: Mapping[str, str]) -> Response:
        form = request.form
        c = self.ctx.correlation(request.headers.get("client-request-id"))
        try:
            return self._token(request, form, path["tenant"], c)
        except AadstsError as err:
            self.ctx.record(form.get("username", ""), form.get("client_id", ""), err.code)
            return token_error(err, c, self.ctx.base_url)

    def _token(self, request: Request, form: Mapping[str, str], segment: str, c: Correlation) -> Response:
        grant = form.get("grant_type", "")
        if not grant:
            raise aadsts(90014, field="grant_type")
        if grant not in GRANTS:
            raise aadsts(70003, grant_type=grant)
        client_id, secret = _client_credentials(request, form)
        if not client_id:
            raise aadsts(90014, field="client_id")
        home, registration = find_registration(self.ctx, segment, client_id)
        if secret:
            # Entra authenticates the client before it looks at the grant, so a
            # Secret ID sent as the secret fails with 7000215 whatever the code.
            self._authenticate(registration, secret, public=True)
        faults = self.ctx.take_faults(registration.client_id)
        if faults.aadsts:
            raise aadsts(faults.aadsts, app_id=client_id, app_name=registration.display_name, tenant=home.tenant_id)
        if grant == "authorization_code":
            body = self._code(form, registration, secret, faults)
        elif grant == "refresh_token":
            body = self._refresh(form, registration, secret, faults)
        elif grant == "client_credentials":
            body = self._client_credentials_grant(form, registration, home, secret, faults)
        else:
            body = self._password(form, registration, segment, secret, faults)
        headers = [("x-ms-request-id", c.trace_id), ("Cache-Control", "no-store, no-cache"), ("Pragma", "no-cache"), ("x-ms-clitelem", "1,0,0,,"), *ESTS_HEADERS]
        return json_response(body, headers=headers)

    # -- client authentication -------------------------------------------------------------
    def _authenticate(self, registration: AppRegistration, secret: str | None, *, public: bool) -> None:
        if secret is None or secret == "":
            if public:
                return
            raise aadsts(7000218)
        for candidate in registration.secrets:
            if hmac.compare_digest(candidate.value.encode(), secret.encode()):
                if candidate.expires is not None and candidate.expires <= self.ctx.clock():
                    raise aadsts(7000222, app_id=registration.client_id)
                return
        raise aadsts(7000215, app_id=registration.client_id)

    # -- grants ---------------------------------------------------------------------------------
    def _code(self, form: Mapping[str, str], registration: AppRegistration, secret: str | None, faults: ResponseFaults) -> dict[str, Any]:
        value = form.get("code", "")
        if not value:
            raise aadsts(90014, field="code")
        if not form.get("redirect_uri"):
            raise aadsts(90014, field="redirect_uri")
        code = self.grants.find_code(value)
        if code is None or code.client_id.lower() != registration.client_id.lower():
            raise aadsts(70000, field="code")
        if code.redeemed:
            raise aadsts(54005)
        if self.ctx.clock() - code.issued_at > CODE_LIFETIME:
            raise aadsts(70008)
        self._authenticate(registration, secret, public=code.platform in ("spa", "public"))
        if form["redirect_uri"] != code.redirect_uri:
            raise aadsts(50011, uri=form["redirect_uri"], app_id=registration.client_id)
        self._check_pkce(code, form.get("code_verifier"))
        scope = self._scope(form, code.scope) if self.v1 else code.scope
        if self.v1 and missing_consent(scope, registration, self.ctx.resources):
            raise aadsts(65001, app_id=registration.client_id, app_name=registration.display_name)
        if not self.grants.redeem(code):
            raise aadsts(54005)
        return self._user_tokens(registration, code.tenant_id, code.signed_in, scope, code.nonce, faults)

    @staticmethod
    def _check_pkce(code: AuthorizationCode, verifier: str | None) -> None:
        if code.platform == "spa" and not verifier:
            raise aadsts(9002325)
        if code.code_challenge is None:
            return
        if not verifier:
            raise aadsts(501481)
        expected = pkce_s256(verifier) if code.code_challenge_method == "S256" else verifier
        if not hmac.compare_digest(expected, code.code_challenge):
            raise aadsts(501481)

    def _refresh(self, form: Mapping[str, str], registration: AppRegistration, secret: str | None, faults: ResponseFaults) -> dict[str, Any]:
        token = form.get("refresh_token", "")
        if not token:
            raise aadsts(90014, field="refresh_token")
        grant = self.grants.find_refresh(token)
        if grant is None or grant.client_id.lower() != registration.client_id.lower():
            raise aadsts(70000, field="refresh_token")
        self._authenticate(registration, secret, public=not registration.secrets)
        if self.v1:
            scope = self._scope(form, grant.scope)
        else:
            scope = parse_scope(form["scope"], self.ctx.resources) if form.get("scope") else grant.scope
        self.grants.revoke_refresh(token)  # refresh tokens rotate
        return self._user_tokens(registration, grant.tenant_id, grant.signed_in, scope, None, faults)

    def _client_credentials_grant(
        self, form: Mapping[str, str], registration: AppRegistration, home: Tenant, secret: str | None, faults: ResponseFaults
    ) -> dict[str, Any]:
        self._authenticate(registration, secret, public=False)
        if self.v1 and not form.get("resource"):
            raise aadsts(90014, field="resource")
        scope = self._scope(form, tenant_name=home.display_name)
        if not scope.is_default or scope.resource is None:
            raise aadsts(70011, scope=f"'{scope.raw}'", reason=" The client credentials flow needs '<resource>/.default'.")
        token = self.tokens.access_token(home, None, None, registration.client_id, registration.display_name, scope, faults)
        if self.v1:
            return {**self._v1_times(), "resource": form["resource"], "token_type": "Bearer", "access_token": token}
        return {"token_type": "Bearer", "expires_in": int(LIFETIME.total_seconds()), "ext_expires_in": int(LIFETIME.total_seconds()), "access_token": token}

    def _v1_times(self) -> dict[str, str]:
        # v1 writes every lifetime and instant as a string of seconds.
        now = int(self.ctx.clock().timestamp())
        lifetime = int(LIFETIME.total_seconds())
        return {"expires_in": str(lifetime), "ext_expires_in": str(lifetime), "expires_on": str(now + lifetime), "not_before": str(now)}

    def _password(self, form: Mapping[str, str], registration: AppRegistration, segment: str, secret: str | None, faults: ResponseFaults) -> dict[str, Any]:
        for field in ("username", "password"):
            if not form.get(field):
                raise aadsts(90014, field=field)
        self._authenticate(registration, secret, public=not registration.secrets)
        scope = self._scope(form)
        found = self.ctx.directory.home_of(form["username"])
        if found is None:
            raise aadsts(50034, tenant=segment)
        tenant, user = found
        if not hmac.compare_digest(user.password.encode(), form["password"].encode()):
            raise aadsts(50126)
        if user.totp_secret:
            raise aadsts(50076, resource=scope.resource.app_id if scope.resource else registration.client_id)
        if segment.lower() not in MULTI_TENANT_SEGMENTS and self.ctx.directory.tenant(segment) != tenant:
            raise aadsts(50020, idp=sts_issuer(tenant.tenant_id), tenant_name=segment, app_id=registration.client_id, app_name=registration.display_name)
        if registration.assignment_required and not is_assigned(registration.assignments, user):
            raise aadsts(50105, app_name=registration.display_name, app_id=registration.client_id)
        if missing_consent(scope, registration, self.ctx.resources):
            raise aadsts(65001, app_id=registration.client_id, app_name=registration.display_name)
        # A user with a second factor was refused above (AADSTS50076): this grant signs in by password only.
        signed_in = SignedIn(UserRef(tenant.tenant_id, user.upn), PASSWORD, sts_issuer(tenant.tenant_id), self.ctx.clock())
        return self._user_tokens(registration, tenant.tenant_id, signed_in, scope, None, faults)

    def _user_tokens(
        self, registration: AppRegistration, tenant_id: str, signed_in: SignedIn, scope: ScopeRequest, nonce: str | None, faults: ResponseFaults
    ) -> dict[str, Any]:
        tenant = self.ctx.directory.tenant_by_id(tenant_id)
        user = self.ctx.directory.user(signed_in.user)
        if scope.v1:
            return self._user_tokens_v1(registration, tenant, user, signed_in, scope, nonce, faults)
        lifetime = int(LIFETIME.total_seconds())
        body: dict[str, Any] = {"token_type": "Bearer", "scope": scope.granted(), "expires_in": lifetime, "ext_expires_in": lifetime}
        body["access_token"] = self.tokens.access_token(tenant, user, signed_in, registration.client_id, registration.display_name, scope, faults)
        if scope.offline:
            body["refresh_token"] = self.grants.issue_refresh(registration.client_id, tenant_id, scope, signed_in).token
        if "openid" in scope.oidc:
            body["id_token"] = self.tokens.id_token(tenant, user, signed_in, registration.client_id, scope, nonce, faults,
                                                    groups=self._groups(registration, user, tenant))
        return body

    @staticmethod
    def _groups(registration: AppRegistration, user: EntraUser, tenant: Tenant) -> dict[str, Any] | None:
        return jwt_group_claims(user, tenant, implicit=False) if registration.group_claims else None

    def _user_tokens_v1(
        self, registration: AppRegistration, tenant: Tenant, user: EntraUser, signed_in: SignedIn, scope: ScopeRequest,
        nonce: str | None, faults: ResponseFaults,
    ) -> dict[str, Any]:
        """A v1 body: ``resource`` and the app's static permissions in ``scope``; always a refresh token and ID token."""
        # Without a resource v1 issues a Microsoft Graph token, as the v2 path does for "openid profile".
        resource = scope.resource or GRAPH
        granted = replace(scope, resource=resource, names=static_permissions(registration, resource))
        body: dict[str, Any] = {"token_type": "Bearer", "scope": " ".join(granted.names), **self._v1_times(), "resource": scope.raw or resource.uri}
        body["access_token"] = self.tokens.access_token(tenant, user, signed_in, registration.client_id, registration.display_name, granted, faults)
        body["refresh_token"] = self.grants.issue_refresh(registration.client_id, tenant.tenant_id, scope, signed_in).token
        body["id_token"] = self.tokens.id_token_v1(tenant, user, signed_in, registration.client_id, nonce, faults,
                                                   groups=self._groups(registration, user, tenant))
        return body
