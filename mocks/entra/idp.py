"""The Entra-like IdP: routes of login.microsoftonline.com on one loopback port.

Endpoints (``{tenant}`` = tenant GUID, verified domain, ``common`` or ``organizations``)::

    GET|POST /{tenant}/saml2                                   SAML SSO (Redirect, POST) and SLO
    GET  /{tenant}/federationmetadata/2007-06/federationmetadata.xml[?appid=]
    GET  /{tenant}/v2.0/.well-known/openid-configuration       v2 discovery
    GET  /{tenant}/.well-known/openid-configuration            v1 discovery
    GET  /{tenant}/discovery/v2.0/keys                         v2 JWKS
    GET  /{tenant}/discovery/keys                              v1 JWKS
    GET|POST /{tenant}/oauth2/v2.0/authorize
    POST /{tenant}/oauth2/v2.0/token
    GET  /{tenant}/oauth2/v2.0/logout
    GET|POST /{tenant}/oauth2/authorize                        v1 (resource instead of scope)
    POST /{tenant}/oauth2/token                                v1
    GET  /{tenant}/oauth2/logout                               v1
    GET|POST /{tenant}/wsfed                                   WS-Federation sign-in and sign-out
    POST /{tenant}/login                                       username / password step
    POST /common/GetCredentialType                             home-realm discovery (JSON)
    GET  /common/userrealm/{user}?api-version=1.0              user realm discovery, ActiveLogOnUri (realm.py)
    POST /common/SAS/ProcessAuth                               verification code
    POST /common/SAS/EndAuth                                   has the phone answered the push? (phone.py)
    POST /kmsi                                                 "Stay signed in?"
    POST /login.srf                                            federated IdP's Response
    GET  /api/signin/{appId}?tenantId=                         User access URL / My Apps tile
    GET  /myapps?tenantId=                                     My Apps
    GET  /error?code=                                          what an AADSTS code means
    GET  /_admin/signins                                       the sign-in log (JSON)
    POST /_admin/screens                                       script a user's sign-in screens (signin.py)
    GET  /_admin/approvals                                     requests waiting on the user's phone (phone.py)
    POST /_admin/approve                                       the phone approves or denies one (phone.py)

Cookies are prefixed ``entra_`` (cookies ignore ports).
"""

from __future__ import annotations

import html
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace

from sso_harness.mocks.base.records import with_changes
from sso_harness.mocks.web.app import MockApp, Sleeper
from sso_harness.mocks.base.clock import Clock, IdSource, random_ids, system_clock
from sso_harness.mocks.entra.context import EntraContext, GuidSource, random_guids
from sso_harness.mocks.entra.directory import EntraDirectory
from sso_harness.mocks.entra.discovery import Discovery
from sso_harness.mocks.entra.federation import FederationLeg
from sso_harness.mocks.entra.federation_metadata import METADATA_PATH, FederationMetadata
from sso_harness.mocks.entra.flow import Flow, OAuthLeg, SamlLeg, SignedIn
from sso_harness.mocks.entra.grants import GrantStore
from sso_harness.mocks.entra.launcher import Launcher, user_access_url
from sso_harness.mocks.entra.tenant import AppRegistration, EnterpriseApp, Tenant
from sso_harness.mocks.entra.oauth_authorize import AuthorizeEndpoint
from sso_harness.mocks.entra.oauth_token import TokenEndpoint
from sso_harness.mocks.entra.pages import signed_out_page
from sso_harness.mocks.entra.realm import UserRealm
from sso_harness.mocks.entra.saml_sso import SamlEndpoint
from sso_harness.mocks.entra.signin import SignInSteps
from sso_harness.mocks.entra.tokens import TokenIssuer
from sso_harness.mocks.entra.wsfed import WsFedEndpoint, clear_cookies, end_sessions, federated_logoff
from sso_harness.mocks.web.http import Request, Response, html_page, json_response, redirect
from sso_harness.mocks.base.keys import KeyPair, KeyRing
from sso_harness.mocks.web.routing import Router

__all__ = ["EntraIdp"]


class EntraIdp(MockApp):
    """Serve with :class:`sso_harness.mocks.web.http.MockServer`; configure through :class:`~sso_harness.mocks.entra.tenant.Tenant` values.

    ``screens`` (UPN -> screen names) scripts users' sign-ins from the start and after every reset.
    """

    name = "entra"

    def __init__(
        self,
        *,
        base_url: str,
        tenants: Sequence[Tenant],
        keys: KeyRing,
        wrong_key: KeyPair,
        clock: Clock = system_clock,
        new_id: IdSource = random_ids,
        new_guid: GuidSource = random_guids,
        sleep: Sleeper = time.sleep,
        screens: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(base_url=base_url, clock=clock, new_id=new_id, sleep=sleep)
        self.directory = EntraDirectory(tenants)
        self.ctx = EntraContext(
            base_url=self.base_url,
            directory=self.directory,
            keys=keys,
            wrong_key=wrong_key,
            clock=clock,
            new_id=new_id,
            new_guid=new_guid,
            take_faults=self.take_faults,
            peek_faults=self.faults.peek,
            cookie=self.cookie,
        )
        self.grants = GrantStore()
        self.tokens = TokenIssuer(self.ctx)
        self.signin = SignInSteps(self.ctx, self._complete, screens)
        self.saml = SamlEndpoint(self.ctx, self.signin)
        self.federation = FederationLeg(self.ctx, self.signin.authenticated)
        self.signin.federation = self.federation
        self.authorize = AuthorizeEndpoint(self.ctx, self.signin, self.grants, self.tokens)
        self.token = TokenEndpoint(self.ctx, self.grants, self.tokens)
        self.authorize_v1 = AuthorizeEndpoint(self.ctx, self.signin, self.grants, self.tokens, v1=True)
        self.token_v1 = TokenEndpoint(self.ctx, self.grants, self.tokens, v1=True)
        self.wsfed = WsFedEndpoint(self.ctx, self.signin)
        self.metadata = FederationMetadata(self.ctx)
        self.discovery = Discovery(self.ctx)
        self.launcher = Launcher(self.ctx, self.signin)
        self.realm = UserRealm(self.directory)
        self._route(self.routes)

    def _route(self, r: Router) -> None:
        r.add("POST", "/common/GetCredentialType", self._credential_type)
        r.add("GET", "/common/userrealm/{user}", self.realm.handle, ignore_case=True)
        r.add("POST", "/common/SAS/ProcessAuth", self.signin.post_otc)
        r.add("POST", "/common/SAS/EndAuth", self.signin.post_end_auth)
        r.add("POST", "/kmsi", self.signin.post_kmsi)
        r.add("POST", "/login.srf", self.federation.acs)
        r.add("GET", "/api/signin/{app_id}", self.launcher.launch)
        r.add("GET", "/myapps", self.launcher.my_apps)
        r.add("GET", "/error", self._error_info)
        r.add("GET POST", "/{tenant}/saml2", self.saml.handle)
        r.add("GET", METADATA_PATH, self.metadata.handle, ignore_case=True)
        r.add("GET", "/{tenant}/v2.0/.well-known/openid-configuration", self.discovery.openid_configuration)
        r.add("GET", "/{tenant}/discovery/v2.0/keys", self.discovery.keys)
        r.add("GET POST", "/{tenant}/oauth2/v2.0/authorize", self.authorize.handle)
        r.add("POST", "/{tenant}/oauth2/v2.0/token", self.token.handle)
        r.add("GET", "/{tenant}/oauth2/v2.0/logout", self._oauth_logout)
        r.add("GET", "/{tenant}/.well-known/openid-configuration", self.discovery.openid_configuration_v1)
        r.add("GET", "/{tenant}/discovery/keys", self.discovery.keys_v1)
        r.add("GET POST", "/{tenant}/oauth2/authorize", self.authorize_v1.handle)
        r.add("POST", "/{tenant}/oauth2/token", self.token_v1.handle)
        r.add("GET", "/{tenant}/oauth2/logout", self._oauth_logout)
        r.add("GET POST", "/{tenant}/wsfed", self.wsfed.handle)
        r.add("POST", "/{tenant}/login", self.signin.post_login)

    def admin_routes(self, router: Router) -> None:
        router.add("GET", "/_admin/signins", lambda req, _: json_response({"signins": [asdict(e) for e in self.ctx.log.events()]}))
        router.add("POST", "/_admin/screens", lambda req, params: self.signin.admin_screens(req, params))
        router.add("GET", "/_admin/approvals", lambda req, params: self.signin.admin_approvals(req, params))
        router.add("POST", "/_admin/approve", lambda req, params: self.signin.admin_approve(req, params))

    def reset_state(self) -> None:
        self.directory.reset()
        self.ctx.reset()
        self.grants.clear()
        self.federation.reset()
        self.signin.scripts.reset()
        self.signin.phone.clear()

    # -- configuration, the way an admin changes it ----------------------------------------
    @property
    def tenants(self) -> tuple[Tenant, ...]:
        return self.directory.tenants

    def tenant(self, segment: str) -> Tenant:
        found = self.directory.tenant(segment)
        if found is None:
            raise LookupError(f"no tenant {segment!r}")
        return found

    def update_tenant(self, tenant: Tenant) -> None:
        self.directory.update(tenant)

    def enterprise_app(self, app_id: str) -> tuple[Tenant, EnterpriseApp]:
        for tenant in self.directory.tenants:
            if (app := tenant.app_by_id(app_id)) is not None:
                return tenant, app
        raise LookupError(f"no enterprise app {app_id!r}")

    def configure_app(self, app_id: str, **changes: object) -> EnterpriseApp:
        """Change an enterprise app's settings (field names of :class:`EnterpriseApp`) until reset."""
        tenant, app = self.enterprise_app(app_id)
        new = with_changes(app, changes)
        apps = tuple(new if a.app_id == app.app_id else a for a in tenant.enterprise_apps)
        self.directory.update(replace(tenant, enterprise_apps=apps))
        return new

    def configure_registration(self, client_id: str, **changes: object) -> AppRegistration:
        """Change an app registration (field names of :class:`AppRegistration`) until reset."""
        found = self.directory.registration_anywhere(client_id)
        if found is None:
            raise LookupError(f"no app registration {client_id!r}")
        tenant, reg = found
        new = with_changes(reg, changes)
        regs = tuple(new if r.client_id == reg.client_id else r for r in tenant.app_registrations)
        self.directory.update(replace(tenant, app_registrations=regs))
        return new

    def signing_key(self, app_id: str) -> KeyPair:
        return self.saml.signing_key(self.enterprise_app(app_id)[1])

    # -- URLs ------------------------------------------------------------------------------
    def saml_url(self, tenant: str) -> str:
        return f"{self.base_url}/{tenant}/saml2"

    def federation_metadata_url(self, tenant: str, app_id: str | None = None) -> str:
        url = f"{self.base_url}/{tenant}/federationmetadata/2007-06/federationmetadata.xml"
        return f"{url}?appid={app_id}" if app_id else url

    def authorize_url(self, tenant: str) -> str:
        return f"{self.base_url}/{tenant}/oauth2/v2.0/authorize"

    def token_url(self, tenant: str) -> str:
        return f"{self.base_url}/{tenant}/oauth2/v2.0/token"

    def discovery_url(self, tenant: str) -> str:
        return f"{self.base_url}/{tenant}/v2.0/.well-known/openid-configuration"

    def jwks_url(self, tenant: str) -> str:
        return f"{self.base_url}/{tenant}/discovery/v2.0/keys"

    def user_access_url(self, tenant_id: str, app_id: str) -> str:
        return user_access_url(self.base_url, tenant_id, app_id)

    # -- dispatch of a finished sign-in -------------------------------------------------------
    def _complete(self, flow: Flow, signed_in: SignedIn, request: Request) -> Response:
        if isinstance(flow.leg, SamlLeg):
            return self.saml.complete(flow, signed_in, request)
        assert isinstance(flow.leg, OAuthLeg)
        return self.authorize.complete(flow, signed_in, request)

    # -- small endpoints ------------------------------------------------------------------------
    def _credential_type(self, request: Request, _: Mapping[str, str]) -> Response:
        """Home-realm discovery as the real page's script calls it (entra.md §3, step 2)."""
        try:
            body = request.json()
        except ValueError:
            body = {}
        username = str(body.get("username", "")) if isinstance(body, dict) else ""
        domain = self.directory.federation_for(username)
        exists = domain is not None or self.directory.home_of(username) is not None
        credentials: dict[str, object] = {"PrefCredential": 1, "HasPassword": domain is None}
        if domain is not None:
            credentials["FederationRedirectUrl"] = domain.passive_logon_uri
        return json_response(
            {
                "Username": username,
                "Display": username,
                "IfExistsResult": 0 if exists else 1,
                "IsUnmanaged": False,
                "ThrottleStatus": 0,
                "Credentials": credentials,
                "FlowToken": body.get("flowToken", "") if isinstance(body, dict) else "",
            }
        )

    def _oauth_logout(self, request: Request, _: Mapping[str, str]) -> Response:
        who = end_sessions(self.ctx, request)
        target = request.query.get("post_logout_redirect_uri")
        # A user of a federated domain also leaves the home IdP, through the domain's LogOffUri.
        response = federated_logoff(self.ctx, who, target) or (redirect(target) if target else signed_out_page())
        return clear_cookies(self.ctx, response)

    def _error_info(self, request: Request, _: Mapping[str, str]) -> Response:
        code = request.query.get("code", "")
        try:
            from sso_harness.protocols.catalogues import lookup

            entry = lookup(code)
        except ImportError:
            entry = None
        if entry is None:
            return html_page("Error lookup", f"<h1>AADSTS{html.escape(code)}</h1><p id='error-meaning'>Unknown code.</p>", status=404)
        return html_page(
            "Error lookup",
            f"<h1>AADSTS{entry.code}: {html.escape(entry.title)}</h1><p id='error-meaning'>{html.escape(entry.meaning)}</p>"
            f"<p id='error-fix'>{html.escape(entry.fix)}</p>",
        )
