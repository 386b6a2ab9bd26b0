"""Journey fixtures: one call walks one sign-in through the embedded mock fleet and returns what it saw.

Registered by :mod:`sso_harness.plugin.hooks`, so a project that only
installed the package has them, with no conftest.py:

    sp_initiated(path)        SAML, SP-initiated: generic mock SP -> mock IdP (form sign-in) -> SP; a Trace
    idp_initiated(app)        SAML, IdP-initiated: the Entra-like My Apps launcher -> an SP; a Trace
    oidc_login(...)           OIDC code flow, the harness as the client of the Entra-like IdP; an OidcRun
    mock_user                 the test user the three sign in as (Credentials)

Each is test-scoped and builds on ``page``, ``sso_capture`` and
``mock_fleet``: the recording, its Allure attachments and the fleet's reset
are theirs. A journey sets the certificates the trace's signatures are
checked against (the IdP that signs in the flow), and returns once the
browser is back where the flow ends; whether the sign-in *succeeded* is for
:func:`sso_harness.expect.expect` to judge. Calling a journey twice in one
test records both walks in the one trace.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import pytest

from sso_harness.browser.login import Credentials, FormLogin
from sso_harness.trace.trace import Trace

if TYPE_CHECKING:  # the fleet and Playwright are imported when a test asks for a journey, not when the plugin loads
    from playwright.sync_api import Page

    from sso_harness.browser.oidc_client import OidcRun
    from sso_harness.capture import CaptureProxy
    from sso_harness.mocks.fleet import MockFleet
    from sso_harness.trace.recording import FlowRecording

__all__ = ["IDP_INITIATED_APPS", "MOCK_IDP_LOGIN", "MOCK_USER", "IdpInitiated", "OidcLogin", "SpInitiated",
           "idp_initiated", "mock_user", "oidc_login", "sp_initiated"]

#: Who the journeys sign in as, unless told otherwise: a user every mock IdP knows.
MOCK_USER = "b.simon@contoso.com"
#: The generic mock IdP's sign-in form, as a login driver.
MOCK_IDP_LOGIN = FormLogin(username="input[name=username]", password="input[name=password]", submit="#signin")
#: The SPs ``idp_initiated`` can launch from the Entra-like My Apps page.
IDP_INITIATED_APPS = ("atlassian", "alibaba")
DEFAULT_PATH = "/protected/reports?quarter=q3"
OIDC_SCOPES = ("openid", "email", "profile")


class SpInitiated(Protocol):
    """``sp_initiated(path="/protected/reports?quarter=q3", *, credentials=None) -> Trace``."""

    def __call__(self, path: str = DEFAULT_PATH, *, credentials: Credentials | None = None) -> Trace: ...


class IdpInitiated(Protocol):
    """``idp_initiated(app="atlassian", *, credentials=None) -> Trace``."""

    def __call__(self, app: str = "atlassian", *, credentials: Credentials | None = None) -> Trace: ...


class OidcLogin(Protocol):
    """``oidc_login(*, pkce=True, scopes=("openid", "email", "profile"), credentials=None) -> OidcRun``."""

    def __call__(self, *, pkce: bool = True, scopes: Sequence[str] = OIDC_SCOPES,
                 credentials: Credentials | None = None) -> OidcRun: ...


@pytest.fixture
def mock_user(mock_fleet: MockFleet) -> Credentials:
    """The credentials of ``b.simon@contoso.com``, the mock fleet's everyday test user."""
    user = mock_fleet.users[MOCK_USER]
    return Credentials(user.username, user.password)


@pytest.fixture
def sp_initiated(page: Page, mock_fleet: MockFleet, sso_capture: FlowRecording, mock_user: Credentials) -> SpInitiated:
    """Open ``path`` on the generic mock SP, sign in at the mock IdP's form, return the trace once back on the SP.

    Signatures are checked against the mock IdP's signing certificate. Faults
    injected into ``mock_fleet.idp`` beforehand show in the trace.
    """
    from sso_harness.browser.journeys import sp_initiated_saml

    sso_capture.trusted_certs = [mock_fleet.idp.settings.signing.cert]

    def run(path: str = DEFAULT_PATH, *, credentials: Credentials | None = None) -> Trace:
        return sp_initiated_saml(page, sso_capture, start_url=mock_fleet.sp.settings.base_url + path,
                                 login=MOCK_IDP_LOGIN, credentials=credentials or mock_user)

    return run


@pytest.fixture
def idp_initiated(page: Page, mock_fleet: MockFleet, sso_capture: FlowRecording, mock_user: Credentials) -> IdpInitiated:
    """Open the Entra-like My Apps tile of ``app`` (``atlassian`` or ``alibaba``), sign in, return the trace on the SP.

    Signatures are checked against that enterprise app's signing certificate;
    an unknown ``app`` is a ``ValueError`` naming the known ones.
    """
    from sso_harness.browser.entra import EntraLogin
    from sso_harness.browser.journeys import idp_initiated_saml
    from sso_harness.mocks.scenario import IDS

    def run(app: str = "atlassian", *, credentials: Credentials | None = None) -> Trace:
        apps = {"atlassian": (IDS.atlassian_app, mock_fleet.atlassian.instance_url("contoso")),
                "alibaba": (IDS.alibaba_app, mock_fleet.alibaba.base_url)}
        if app not in apps:
            raise ValueError(f"idp_initiated: unknown app {app!r}; known: {', '.join(IDP_INITIATED_APPS)}")
        app_id, landing = apps[app]
        sso_capture.trusted_certs = [mock_fleet.entra.signing_key(app_id).cert]
        return idp_initiated_saml(page, sso_capture, launch_url=mock_fleet.entra.user_access_url(mock_fleet.tenant_id, app_id),
                                  sp_url=landing, login=EntraLogin(), credentials=credentials or mock_user)

    return run


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def oidc_login(page: Page, mock_fleet: MockFleet, sso_capture: FlowRecording, sso_proxy: CaptureProxy,
               mock_user: Credentials) -> OidcLogin:
    """Sign in as the Entra-like IdP's public SPA client (code flow; PKCE S256 unless ``pkce=False``).

    The harness is the client: discovery, the authorization request in the
    browser, the callback on a loopback page, the token exchange and the ID
    token's verification against the JWKS, all through the capture proxy.
    Returns the :class:`~sso_harness.browser.oidc_client.OidcRun` (``.trace``,
    ``.token_status``; tokens never leave it). The SPA client's redirect URI is
    registered for this call (the fleet's reset restores the scenario's).
    """
    from sso_harness.browser.entra import EntraLogin
    from sso_harness.browser.oidc_client import OidcClientConfig, oidc_as_client
    from sso_harness.mocks.entra.tenant import RedirectUri
    from sso_harness.mocks.scenario import IDS

    def run(*, pkce: bool = True, scopes: Sequence[str] = OIDC_SCOPES, credentials: Credentials | None = None) -> OidcRun:
        port = _free_port()
        mock_fleet.entra.configure_registration(IDS.spa_client, redirect_uris=(RedirectUri(f"http://127.0.0.1:{port}/callback", "spa"),))
        config = OidcClientConfig(issuer=f"{mock_fleet.entra.base_url}/{mock_fleet.tenant_id}/v2.0", client_id=IDS.spa_client,
                                  auth_method="none", redirect_port=port, pkce=pkce, scopes=tuple(scopes))
        return oidc_as_client(page, sso_capture, config, login=EntraLogin(), credentials=credentials or mock_user,
                              proxy_url=sso_proxy.url, cafile=str(sso_proxy.ca_cert_path))

    return run
