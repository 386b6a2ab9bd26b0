"""User realm discovery: ``GET /common/userrealm/{user}?api-version=1.0``.

What a non-browser client (MSAL, ADAL) asks before a username/password
sign-in: is the user's domain managed or federated, and where does a
federated IdP take the password directly (its ActiveLogOnUri). The members
are those of Microsoft's documented federated response (the HDInsight
ID Broker article) and of MSAL's ``UserRealmDiscoveryResponse``: ``ver``,
``account_type`` (``Federated``, ``Managed`` or ``Unknown``), ``domain_name``,
``federation_protocol``, ``federation_metadata_url``,
``federation_active_auth_url``, ``cloud_instance_name`` and
``cloud_audience_urn``.

A federated domain's ``ActiveLogOnUri`` is ``federation_active_auth_url``.
``federation_protocol`` is ``WSTrust`` (the documented value) for a domain
whose PreferredAuthenticationProtocol is WsFed; for a SAMLP domain no public
source I could read gives the value, so the member is left out rather than
made up. ``federation_metadata_url`` would be the domain's
MetadataExchangeUri, which this emulation does not configure: left out too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from sso_harness.mocks.entra.directory import EntraDirectory
from sso_harness.mocks.web.http import Request, Response, json_response

__all__ = ["UserRealm", "CLOUD_AUDIENCE_URN"]

#: The audience a federated IdP's token for Entra names (also the SP entity ID Entra uses towards it).
CLOUD_AUDIENCE_URN = "urn:federation:MicrosoftOnline"


class UserRealm:
    def __init__(self, directory: EntraDirectory) -> None:
        self.directory = directory

    def handle(self, request: Request, path: Mapping[str, str]) -> Response:
        return json_response(self.realm(unquote(path["user"])), headers=[("Cache-Control", "no-store, no-cache")])

    def realm(self, user: str) -> dict[str, Any]:
        """The discovery answer for ``user`` (a UPN, or only a domain)."""
        domain = user.rpartition("@")[2].strip().lower()
        body: dict[str, Any] = {"ver": "1.0", "account_type": "Unknown", "domain_name": domain}
        federated = self.directory.federation_for(f"x@{domain}")
        if federated is not None:
            body["account_type"] = "Federated"
            if federated.preferred_authentication_protocol == "WSFED":
                body["federation_protocol"] = "WSTrust"
            if federated.active_logon_uri:
                body["federation_active_auth_url"] = federated.active_logon_uri
        elif self.directory.tenant_of_domain(domain) is not None:
            body["account_type"] = "Managed"
        body["cloud_instance_name"] = "microsoftonline.com"
        body["cloud_audience_urn"] = CLOUD_AUDIENCE_URN
        return body
