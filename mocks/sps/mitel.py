"""Mitel MiCloud Connect / CloudLink-like SP: SP-initiated only, several certificates.

From the Mitel guide: only SP-initiated SSO is supported, so an unsolicited
Response (no InResponseTo) is refused (check ``InResponseTo``). The
username must equal the Entra email or UPN (check ``username``). The
signing-certificate field accepts several certificates pasted one after
another, for rollover. The Entra app's Sign-on URL names the default Mitel
application: the Mitel Connect tile opens it, it starts SSO, and the user
lands back on it.

Endpoints::

    GET  /saml/metadata           SP metadata (the Mitel Identifier)
    POST /saml/acs                ACS
    GET  /{app}                   portal (Mitel Account portal), teamwork, accounts (CloudLink)
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from sso_harness.mocks.base.clock import Clock, system_clock
from sso_harness.mocks.web.http import Request, Response
from sso_harness.mocks.saml.sp_checks import CheckFailure
from sso_harness.mocks.saml.sp_engine import Accepted, TrustedIdp
from sso_harness.mocks.sps.base import Account, ProfileSp

__all__ = ["MitelSp", "MITEL_APPS"]

#: Mitel applications a Sign-on URL can point at: path -> name.
MITEL_APPS = {"portal": "Mitel Account portal", "teamwork": "Teamwork", "accounts": "CloudLink Accounts"}


class MitelSp(ProfileSp):
    name = "mitel"
    brand = "Mitel"
    allow_unsolicited = False

    def __init__(self, *, base_url: str, accounts: Sequence[Account], idp: TrustedIdp | None = None, clock: Clock = system_clock) -> None:
        base = base_url.rstrip("/")
        super().__init__(base_url=base, entity_id=f"{base}/saml/metadata", acs_url=f"{base}/saml/acs", accounts=accounts, idp=idp, clock=clock)
        r = self.routes
        r.add("GET", "/saml/metadata", self.metadata_response)
        r.add("POST", "/saml/acs", lambda req, _: self.consume(req))
        r.add("GET", "/{app}", self._app)

    def app_url(self, app: str) -> str:
        return f"{self.base_url}/{app}"

    def match(self, accepted: Accepted) -> Account | CheckFailure:
        account = self.find_account(accepted.name_id)
        if account is None:
            return CheckFailure(
                "username", f"no Mitel user has the username {accepted.name_id!r}; it must equal the user's email or UPN in Entra"
            )
        return account

    def landing(self, accepted: Accepted, account: Account) -> str:
        return accepted.target or self.app_url("portal")

    def _app(self, request: Request, path: Mapping[str, str]) -> Response:
        app = path["app"]
        if app not in MITEL_APPS:
            return self.page("Not found", None, "<p>No such application.</p>", 404)
        account = self.account(request)
        if account is None:
            return self.start_sso(self.app_url(app), f"/{app}")
        return self.page(MITEL_APPS[app], account, f"<p id='mitel-app' data-app='{html.escape(app)}'>{html.escape(MITEL_APPS[app])}</p>")
