"""``/{tenant}/wsfed``: WS-Federation passive sign-in and sign-out for WS-Fed apps (entra.md §1).

Sign-in (WS-Federation 1.2 §13.2.1): ``wa=wsignin1.0`` with ``wtrealm`` =
one of an enterprise app's Identifiers (else AADSTS700016, on the error
page), an optional ``wreply`` that must be one of its Reply URLs (AADSTS50011;
without it the default Reply URL), and ``wctx``, which comes back untouched.
After sign-in the same checks as a SAML app apply (guest or AADSTS50020,
assignment AADSTS50105), and the "Working..." page POSTs ``wa=wsignin1.0``,
``wresult`` (a WS-Trust RSTR with a SAML 1.1 token signed by the app's
certificate, see :mod:`sso_harness.mocks.entra.wsfed_token`) and ``wctx`` to
the reply URL.

Sign-out (§13.2.3): ``wa=wsignout1.0`` (or ``wsignoutcleanup1.0``) ends the
SSO session; a ``wreply`` that is one of the tenant's Reply or Logout URLs is
where the browser goes next, any other is ignored (no open redirect). A user
of a federated domain is sent through the domain's LogOffUri first
(:func:`federated_logoff`).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from sso_harness.mocks.entra.context import EntraContext
from sso_harness.mocks.entra.directory import MULTI_TENANT_SEGMENTS
from sso_harness.mocks.entra.error_shapes import page_error
from sso_harness.mocks.entra.errors import aadsts
from sso_harness.mocks.entra.flow import SamlLeg, SignedIn
from sso_harness.mocks.entra.pages import signed_out_page
from sso_harness.mocks.entra.signin import PERSISTENT_COOKIE, SESSION_COOKIE, SignInSteps
from sso_harness.mocks.entra.tenant import EnterpriseApp, Tenant
from sso_harness.mocks.web.http import Request, Response, redirect

__all__ = ["WsFedEndpoint", "federated_logoff", "end_sessions", "clear_cookies"]

SIGNIN = "wsignin1.0"
SIGNOUT = ("wsignout1.0", "wsignoutcleanup1.0")


def end_sessions(ctx: EntraContext, request: Request) -> SignedIn | None:
    """End the browser's SSO sessions; return who was signed in (the first session found)."""
    who = None
    for name in (PERSISTENT_COOKIE, SESSION_COOKIE):
        sid = request.cookies.get(ctx.cookie(name))
        who = who or ctx.sessions.get(sid)
        ctx.sessions.end(sid)
    return who


def federated_logoff(ctx: EntraContext, who: SignedIn | None, then: str | None) -> Response | None:
    """For a user who signed in at a federated domain's IdP: the redirect to its LogOffUri.

    WS-Fed federation gets ``wa=wsignout1.0`` and ``wreply`` (where to come back to);
    SAMLP federation gets a plain GET of the LogOffUri, the IdP's own sign-out page.
    None for a managed user.
    """
    if who is None:
        return None
    domain = ctx.directory.federation_for(who.user.upn)
    if domain is None or domain.issuer_uri != who.identity_provider:
        return None
    if domain.preferred_authentication_protocol == "WSFED":
        params = {"wa": "wsignout1.0", **({"wreply": then} if then else {})}
        sep = "&" if "?" in domain.logoff_uri else "?"
        return redirect(domain.logoff_uri + sep + urlencode(params))
    return redirect(domain.logoff_uri)


def clear_cookies(ctx: EntraContext, response: Response) -> Response:
    for name in (SESSION_COOKIE, PERSISTENT_COOKIE):
        response.set_cookie(ctx.cookie(name), "", max_age=0)
    return response


class WsFedEndpoint:
    def __init__(self, ctx: EntraContext, signin: SignInSteps) -> None:
        self.ctx = ctx
        self.signin = signin

    def handle(self, request: Request, path: Mapping[str, str]) -> Response:
        params = request.params
        c = self.ctx.correlation()
        segment = path["tenant"]
        tenant = self.ctx.directory.tenant(segment)
        if tenant is None and segment.lower() not in MULTI_TENANT_SEGMENTS:
            return page_error(aadsts(90002, tenant=segment), c)
        wa = (params.get("wa") or "").strip()
        if wa in SIGNOUT:
            return self._sign_out(request, tenant, params.get("wreply"))
        if wa != SIGNIN:
            return page_error(aadsts(90014, field="wa"), c)
        realm = params.get("wtrealm") or ""
        if not realm:
            return page_error(aadsts(90014, field="wtrealm"), c)
        found = self._app(tenant, realm)
        if found is None:
            return page_error(aadsts(700016, app_id=realm, tenant=segment), c)
        tenant, app = found
        wreply = params.get("wreply")
        if not app.reply_urls or (wreply and wreply not in app.reply_urls):
            return page_error(aadsts(50011, uri=wreply or "", app_id=app.app_id), c, app_name=app.display_name)
        leg = SamlLeg(
            tenant_id=tenant.tenant_id,
            app_id=app.app_id,
            acs_url=wreply or app.reply_urls[0],
            audience=realm,
            request_id=None,
            relay_state=params.get("wctx"),
            protocol="wsfed",
        )
        flow = self.ctx.flows.open(segment, tenant.tenant_id, leg, login_hint=params.get("login_hint", ""))
        # wfresh=0 asks for a fresh sign-in (WS-Federation §13.2.1), as ForceAuthn does in SAML.
        return self.signin.begin(flow, request, force=params.get("wfresh") == "0")

    def _app(self, tenant: Tenant | None, realm: str) -> tuple[Tenant, EnterpriseApp] | None:
        for t in [tenant] if tenant is not None else list(self.ctx.directory.tenants):
            app = t.app_by_identifier(realm)
            if app is not None:
                return t, app
        return None

    def _sign_out(self, request: Request, tenant: Tenant | None, wreply: str | None) -> Response:
        who = end_sessions(self.ctx, request)
        tenants = [tenant] if tenant is not None else list(self.ctx.directory.tenants)
        known = {u for t in tenants for a in t.enterprise_apps for u in (*a.reply_urls, a.logout_url) if u}
        then = wreply if wreply in known else None
        response = federated_logoff(self.ctx, who, then) or (redirect(then) if then else signed_out_page())
        return clear_cookies(self.ctx, response)
