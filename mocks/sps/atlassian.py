"""Atlassian Cloud-like SP: SP- and IdP-initiated, users matched by email.

From the Atlassian guide: the SP entity ID and ACS URL carry the
organisation's SAML configuration ID; an instance (site) URL starts an
SP-initiated login, and is the Relay State of an IdP-initiated one, where
the user lands after sign-in. Accounts are matched by email address, so the
NameID must be the user's email (``user.mail``, or
``user.userprincipalname`` on tenants without a mail attribute); any other
NameID is refused with the check ``account``.

Endpoints::

    GET  /saml/{org_id}                         SP metadata (the entity ID itself)
    POST /login/callback?connection=saml-{org}   ACS
    GET  /site/{instance}[/...]                 an instance: signed in, or SP-initiated SSO
    GET  /                                      the start page after an IdP-initiated login without Relay State
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from sso_harness.mocks.base.clock import Clock, system_clock
from sso_harness.mocks.web.http import Request, Response
from sso_harness.mocks.saml.sp_checks import CheckFailure
from sso_harness.mocks.saml.sp_engine import Accepted, TrustedIdp
from sso_harness.mocks.sps.base import Account, ProfileSp

__all__ = ["AtlassianSp"]


class AtlassianSp(ProfileSp):
    name = "atlassian"
    brand = "Atlassian"
    allow_unsolicited = True

    def __init__(
        self,
        *,
        base_url: str,
        org_id: str,
        instances: Sequence[str],
        accounts: Sequence[Account],
        idp: TrustedIdp | None = None,
        clock: Clock = system_clock,
    ) -> None:
        base = base_url.rstrip("/")
        super().__init__(
            base_url=base,
            entity_id=f"{base}/saml/{org_id}",
            acs_url=f"{base}/login/callback?connection=saml-{org_id}",
            accounts=accounts,
            idp=idp,
            clock=clock,
        )
        self.org_id = org_id
        self.instances = tuple(instances)
        r = self.routes
        r.add("GET", f"/saml/{org_id}", self.metadata_response)
        r.add("POST", "/login/callback", self._acs)
        r.add("GET", "/", self._home)

    def __call__(self, request: Request) -> Response:
        parts = request.path.split("/")
        if request.method in ("GET", "HEAD") and len(parts) >= 3 and parts[1] == "site":
            return self._site(request, parts[2])
        return super().__call__(request)

    def instance_url(self, name: str) -> str:
        return f"{self.base_url}/site/{name}"

    # -- profile -------------------------------------------------------------------------------
    def match(self, accepted: Accepted) -> Account | CheckFailure:
        account = self.find_account(accepted.name_id, by="email")
        if account is None:
            return CheckFailure(
                "account",
                f"no Atlassian account has the email address {accepted.name_id!r}; the NameID must be the user's email",
            )
        return account

    def landing(self, accepted: Accepted, account: Account) -> str:
        relay = accepted.relay_state or ""
        if any(relay == self.instance_url(i) or relay.startswith(self.instance_url(i) + "/") for i in self.instances):
            return relay
        return accepted.target or f"{self.base_url}/"

    # -- pages ---------------------------------------------------------------------------------
    def _acs(self, request: Request, _: Mapping[str, str]) -> Response:
        if request.query.get("connection") != f"saml-{self.org_id}":
            return self.page("Unknown SSO connection", None, "<p id='sso-error'>This SAML connection does not exist.</p>", 404)
        return self.consume(request)

    def _site(self, request: Request, instance: str) -> Response:
        if instance not in self.instances:
            return self.page("Site not found", None, f"<p id='sso-error'>There is no site {html.escape(instance)}.</p>", 404)
        account = self.account(request)
        url = f"{self.base_url}{request.path}" + (f"?{request.raw_query}" if request.raw_query else "")
        if account is None:
            return self.start_sso(url, url)
        return self.page(instance, account, f"<p id='site' data-site='{html.escape(instance)}'>{html.escape(instance)} home</p>")

    def _home(self, request: Request, _: Mapping[str, str]) -> Response:
        account = self.account(request)
        sites = "".join(f"<li><a href='{html.escape(self.instance_url(i))}'>{html.escape(i)}</a></li>" for i in self.instances)
        return self.page("Start", account, f"<ul id='sites'>{sites}</ul>", 200 if account else 401)
