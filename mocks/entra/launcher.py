"""IdP-initiated sign-in: the app's "User access URL", "Test this application" and My Apps.

``GET /api/signin/{appId}?tenantId={tid}`` is what a My Apps tile opens.
When the app has a Sign-on URL the tile sends the user there (SP-initiated
mode, e.g. Mitel's default app); otherwise Entra signs the user in and posts
an unsolicited Response to the default Reply URL, with the app's Relay State
(IdP-initiated mode, e.g. Atlassian landing on the instance URL).
``mode=sp`` / ``mode=idp`` chooses explicitly, as "Test this application"
does. ``GET /myapps?tenantId=`` lists the tenant's tiles.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from urllib.parse import quote

from sso_harness.mocks.entra.context import EntraContext
from sso_harness.mocks.entra.error_shapes import page_error
from sso_harness.mocks.entra.errors import aadsts
from sso_harness.mocks.entra.flow import SamlLeg
from sso_harness.mocks.entra.tenant import EnterpriseApp, Tenant
from sso_harness.mocks.entra.signin import SignInSteps
from sso_harness.mocks.web.http import Request, Response, html_page, redirect

__all__ = ["Launcher", "user_access_url"]


def user_access_url(base_url: str, tenant_id: str, app_id: str) -> str:
    """The "User access URL" shown in the app's Properties."""
    return f"{base_url}/api/signin/{app_id}?tenantId={quote(tenant_id)}"


class Launcher:
    def __init__(self, ctx: EntraContext, signin: SignInSteps) -> None:
        self.ctx = ctx
        self.signin = signin

    def _find(self, app_id: str, tenant_hint: str | None) -> tuple[Tenant, EnterpriseApp] | None:
        tenants = [self.ctx.directory.tenant(tenant_hint)] if tenant_hint else list(self.ctx.directory.tenants)
        for tenant in tenants:
            if tenant is not None and (app := tenant.app_by_id(app_id)) is not None:
                return tenant, app
        return None

    def launch(self, request: Request, path: Mapping[str, str]) -> Response:
        c = self.ctx.correlation()
        found = self._find(path["app_id"], request.query.get("tenantId"))
        if found is None:
            return page_error(aadsts(700016, app_id=path["app_id"], tenant=request.query.get("tenantId", "")), c)
        tenant, app = found
        mode = request.query.get("mode", "")
        if app.sign_on_url and mode != "idp":
            return redirect(app.sign_on_url)
        if not app.reply_urls or not app.identifiers:
            return page_error(aadsts(50011, uri="", app_id=app.app_id), c, app_name=app.display_name)
        leg = SamlLeg(
            tenant_id=tenant.tenant_id,
            app_id=app.app_id,
            acs_url=app.reply_urls[0],
            audience=app.identifiers[0],
            request_id=None,
            relay_state=app.relay_state,
        )
        flow = self.ctx.flows.open(tenant.tenant_id, tenant.tenant_id, leg)
        return self.signin.begin(flow, request)

    def my_apps(self, request: Request, _: Mapping[str, str]) -> Response:
        hint = request.query.get("tenantId")
        tenant = self.ctx.directory.tenant(hint) if hint else self.ctx.directory.tenants[0]
        if tenant is None:
            return page_error(aadsts(90002, tenant=hint or ""), self.ctx.correlation())
        tiles = "".join(
            f"<li><a class='app-tile' data-app-id='{html.escape(a.app_id)}' "
            f"href='{html.escape(user_access_url('', tenant.tenant_id, a.app_id))}'>{html.escape(a.display_name)}</a></li>"
            for a in tenant.enterprise_apps
        )
        return html_page("My Apps", f"<h1>Apps</h1><ul id='app-tiles'>{tiles}</ul>")
