"""Alibaba Cloud CloudSSO-like SP.

From the CloudSSO guide: the SP metadata is downloaded from the SSO
settings; the IdP's federation metadata is uploaded there (admin API
``POST /_admin/idp-metadata``, body = the XML); SSO logon is switched on
(``POST /_admin/sso`` ``{"enabled": true}``), after which username-password
logon is disabled. The NameID must equal an existing CloudSSO username. A
Relay State is honoured only for a URL in CloudSSO's domain: the guide allows
"a URL that belongs to the *.alibabacloudsso.com domain"; this mock's domain
rule is its own host (``relay_domain``, any port, http or https), or a
``*.<domain>`` rule given to the constructor. Any other Relay State lands the
user on the user portal. SP-initiated login
starts at the user logon URL (an "SSO Sign-in" page with a Go button);
IdP-initiated login starts at Entra's user access URL.

Endpoints (``{d}`` = directory ID)::

    GET  /settings                     SSO settings (entity ID, ACS URL, status)
    GET  /settings/sp-metadata.xml     SP metadata download
    GET  /{d}/login                    user logon URL
    GET  /{d}/login/sso                the Go button: SP-initiated SSO
    POST /{d}/login/password           username-password logon (refused while SSO is on)
    POST /saml/acs/{d}                 ACS
    GET  /{d}/portal[/...]             the user portal
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from sso_harness.mocks.base.clock import Clock, system_clock
from sso_harness.mocks.web.http import Request, Response, json_response, redirect
from sso_harness.mocks.web.routing import Router
from sso_harness.mocks.saml.metadata import MetadataError, parse_idp_metadata
from sso_harness.mocks.saml.sp_checks import CheckFailure
from sso_harness.mocks.saml.sp_engine import Accepted, TrustedIdp
from sso_harness.mocks.saml.sp_pages import refused_page
from sso_harness.mocks.sps.base import Account, ProfileSp

__all__ = ["AlibabaCloudSsoSp", "in_domain"]


class AlibabaCloudSsoSp(ProfileSp):
    name = "alibaba"
    brand = "Alibaba Cloud CloudSSO"
    allow_unsolicited = True

    def __init__(
        self,
        *,
        base_url: str,
        directory_id: str,
        accounts: Sequence[Account],
        idp: TrustedIdp | None = None,
        sso_enabled: bool = False,
        clock: Clock = system_clock,
        relay_domain: str | None = None,
    ) -> None:
        base = base_url.rstrip("/")
        self.relay_domain = (relay_domain or urlsplit(base).hostname or "").lower()
        """The domain rule a Relay State's host must meet: ``host`` exactly, or ``*.domain`` for hosts below it."""
        super().__init__(
            base_url=base, entity_id=f"{base}/saml/sp/{directory_id}", acs_url=f"{base}/saml/acs/{directory_id}", accounts=accounts, idp=idp, clock=clock
        )
        self.directory_id = directory_id
        self._initial_sso = sso_enabled
        self.sso_enabled = sso_enabled
        d = directory_id
        r = self.routes
        r.add("GET", "/settings", self._settings)
        r.add("GET", "/settings/sp-metadata.xml", self._download)
        r.add("GET", f"/{d}/login", self._logon)
        r.add("GET", f"/{d}/login/sso", lambda req, _: self.start_sso(self.portal_url, None))
        r.add("POST", f"/{d}/login/password", self._password_logon)
        r.add("POST", f"/saml/acs/{d}", lambda req, _: self._acs(req))

    def __call__(self, request: Request) -> Response:
        portal = f"/{self.directory_id}/portal"
        if request.method in ("GET", "HEAD") and (request.path == portal or request.path.startswith(portal + "/")):
            return self._portal(request)
        return super().__call__(request)

    def admin_routes(self, router: Router) -> None:
        super().admin_routes(router)
        router.add("POST", "/_admin/idp-metadata", self._upload)
        router.add("POST", "/_admin/sso", self._switch)

    def reset_state(self) -> None:
        super().reset_state()
        self.sso_enabled = self._initial_sso

    # -- configuration ----------------------------------------------------------------------
    @property
    def user_logon_url(self) -> str:
        return f"{self.base_url}/{self.directory_id}/login"

    @property
    def portal_url(self) -> str:
        return f"{self.base_url}/{self.directory_id}/portal"

    def upload_idp_metadata(self, xml: str | bytes) -> TrustedIdp:
        """"Configure Identity Provider" > "Upload Metadata Document"; raises MetadataError."""
        info = parse_idp_metadata(xml)
        return self.configure_idp(info.entity_id, info.sso_url, info.certificates)

    def enable_sso(self, enabled: bool = True) -> None:
        self.sso_enabled = enabled

    # -- profile -------------------------------------------------------------------------------
    def match(self, accepted: Accepted) -> Account | CheckFailure:
        account = self.find_account(accepted.name_id)
        if account is None:
            return CheckFailure("user", f"no CloudSSO user is named {accepted.name_id!r}; the NameID must equal a CloudSSO username")
        return account

    def landing(self, accepted: Accepted, account: Account) -> str:
        relay = accepted.relay_state or ""
        return relay if in_domain(relay, self.relay_domain) else self.portal_url

    # -- pages ---------------------------------------------------------------------------------
    def _acs(self, request: Request) -> Response:
        if not self.sso_enabled:
            return refused_page([CheckFailure("configuration", "SSO logon is not enabled for this directory")], brand=self.brand)
        return self.consume(request)

    def _logon(self, request: Request, _: Mapping[str, str]) -> Response:
        if self.sso_enabled:
            idp = self.idp.sso_url if self.idp else "(not configured)"
            body = (
                f"<p>Corporate Account Sign-in URL: <span id='idp-url'>{html.escape(idp)}</span></p>"
                f"<form method='get' action='/{self.directory_id}/login/sso'><button id='go' type='submit'>Go</button></form>"
            )
            return self.page("SSO Sign-in", None, body)
        body = (
            f"<form method='post' action='/{self.directory_id}/login/password'>"
            "<input name='username' autocomplete='username'><input name='password' type='password'>"
            "<button id='signin' type='submit'>Sign in</button></form>"
        )
        return self.page("CloudSSO user logon", None, body)

    def _password_logon(self, request: Request, _: Mapping[str, str]) -> Response:
        if self.sso_enabled:
            failure = CheckFailure("password-logon", "username-password logon is disabled because SSO logon is enabled")
            return refused_page([failure], brand=self.brand)
        form = request.form
        account = self.find_account(form.get("username", ""))
        if account is None or not account.password or account.password != form.get("password"):
            return refused_page([CheckFailure("password-logon", "the username or password is incorrect")], brand=self.brand, status=401)
        return self.sign_in(account, self.portal_url)

    def _portal(self, request: Request) -> Response:
        account = self.account(request)
        if account is None:
            return redirect(self.user_logon_url)
        roles = "<ul id='ram-roles'><li data-account='contoso-prod'>contoso-prod: AdministratorAccess <button class='logon'>Log On</button></li></ul>"
        return self.page("CloudSSO user portal", account, f"<p id='portal-path'>{html.escape(request.path)}</p>{roles}")

    def _settings(self, request: Request, _: Mapping[str, str]) -> Response:
        idp = self.idp
        body = (
            f"<dl><dt>Entity ID</dt><dd id='sp-entity-id'>{html.escape(self.entity_id)}</dd>"
            f"<dt>ACS URL</dt><dd id='sp-acs-url'>{html.escape(self.acs_url)}</dd>"
            f"<dt>IdP</dt><dd id='idp-entity-id'>{html.escape(idp.entity_id if idp else '')}</dd>"
            f"<dt>SSO logon</dt><dd id='sso-status'>{'enabled' if self.sso_enabled else 'disabled'}</dd></dl>"
            "<a id='download-sp-metadata' href='/settings/sp-metadata.xml'>Download SP metadata</a>"
        )
        return self.page("Settings", None, body)

    def _download(self, request: Request, _: Mapping[str, str]) -> Response:
        response = self.metadata_response()
        response.headers.append(("Content-Disposition", f'attachment; filename="{self.directory_id}-sp-metadata.xml"'))
        return response

    def _upload(self, request: Request, _: Mapping[str, str]) -> Response:
        try:
            idp = self.upload_idp_metadata(request.body)
        except MetadataError as exc:
            return json_response({"error": str(exc)}, status=400)
        return json_response({"ok": True, "entity_id": idp.entity_id, "sso_url": idp.sso_url, "certificates": len(idp.certificates)})

    def _switch(self, request: Request, _: Mapping[str, str]) -> Response:
        try:
            body = request.json()
            enabled = body["enabled"] if isinstance(body, dict) else None
            if not isinstance(enabled, bool):
                raise ValueError("enabled is true or false")
        except (ValueError, KeyError) as exc:
            return json_response({"error": str(exc)}, status=400)
        self.enable_sso(enabled)
        return json_response({"ok": True, "sso_enabled": enabled})


def in_domain(url: str, rule: str) -> bool:
    """Whether ``url`` is an http(s) URL whose host meets ``rule``: ``*.example.com`` any host strictly
    below example.com, ``example.com`` exactly that host. The port does not count."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    domain = rule.strip().lower()
    if domain.startswith("*."):
        return host.endswith(domain[1:]) and len(host) > len(domain) - 1
    return host == domain
