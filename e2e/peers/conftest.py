"""The peers lane: real SimpleSAMLphp, oidc-provider and Apache (mellon, openidc) on loopback, started once per session.

Every pytest-xdist worker starts its own peers on kernel-chosen ports, in
its own temp folder, so workers share no port, file or cookie. When a
peer is not installed, its tests fail under CI (``CI`` set: a green run
must mean the peers really ran) and are skipped elsewhere; both say to run
``scripts/install-peers.sh``.
"""

from __future__ import annotations

import secrets
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sso_harness.apps.peers import (
    MockPartners,
    OidcAccount,
    OidcProviderPeer,
    PeerTarget,
    SimpleSamlPhp,
    SspRemoteSp,
    SspSettings,
    SspUser,
    TargetUser,
    missing_oidc_provider,
    missing_simplesamlphp,
    oidc_provider_target,
    simplesamlphp_idp_target,
    simplesamlphp_sp_target,
    when_missing,
)
from sso_harness.apps.peers.entra_app import register_saml_app
from sso_harness.apps.peers.install import missing_apache
from sso_harness.apps.peers.mellon_peer import MellonSp
from sso_harness.apps.peers.openidc_peer import OpenidcRp
from sso_harness.apps.peers.stack import MELLON_ENTRA_APP, PEERS_TARGETS
from sso_harness.apps.peers.stack import ssp_users as stack_ssp_users
from sso_harness.capture.proxy import CaptureProxy
from sso_harness.mocks.fleet import MockFleet


def require_installed(peer: str, problems: list[str]) -> None:
    """Fail (under CI) or skip (elsewhere) when ``peer`` cannot run here."""
    verdict = when_missing(peer, problems)
    if verdict is None:
        return
    action, message = verdict
    if action == "fail":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def ssp_users() -> tuple[SspUser, ...]:
    """SimpleSAMLphp's test users (the same as ``sso-harness peers up``'s); passwords are made per session."""
    return stack_ssp_users()


@pytest.fixture(scope="session")
def saml_peers(tmp_path_factory: pytest.TempPathFactory, ssp_users: tuple[SspUser, ...]) -> Iterator[tuple[SimpleSamlPhp, MockPartners]]:
    """SimpleSAMLphp (IdP and SP) federated with a mock SP and a mock IdP of its own."""
    require_installed("SimpleSAMLphp", missing_simplesamlphp())
    work = tmp_path_factory.mktemp("simplesamlphp")
    with MockPartners(work) as mocks:
        settings = SspSettings(users=ssp_users, remote_sps=(SspRemoteSp(mocks.sp_entity),), remote_idps=(mocks.idp_entity,))
        with SimpleSamlPhp(settings, work / "ssp") as ssp:
            mocks.federate(ssp)
            yield ssp, mocks


@pytest.fixture
def ssp_idp_target(saml_peers: tuple[SimpleSamlPhp, MockPartners], ssp_users: tuple[SspUser, ...]) -> PeerTarget:
    ssp, mocks = saml_peers
    mocks.reset()
    return simplesamlphp_idp_target(ssp, mocks, ssp_users)


@pytest.fixture
def ssp_sp_target(saml_peers: tuple[SimpleSamlPhp, MockPartners]) -> PeerTarget:
    ssp, mocks = saml_peers
    mocks.reset()
    return simplesamlphp_sp_target(ssp, mocks)


OIDC_USERS = (
    TargetUser("carol", secrets.token_urlsafe(12), name_id="carol", claims={
        "email": "carol@peers.example", "email_verified": True,
        "name": "Carol Peer", "given_name": "Carol", "family_name": "Peer",
    }),
)


@pytest.fixture(scope="session")
def oidc_peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProviderPeer]:
    require_installed("oidc-provider", missing_oidc_provider())
    accounts = tuple(OidcAccount(u.username, dict(u.claims)) for u in OIDC_USERS)
    with OidcProviderPeer(tmp_path_factory.mktemp("oidc-provider"), accounts=accounts) as peer:
        yield peer


@pytest.fixture
def oidc_target(oidc_peer: OidcProviderPeer) -> PeerTarget:
    return oidc_provider_target(oidc_peer, OIDC_USERS)


# ---- Apache peers: described to the tests only by the packaged peers targets file ----

APACHE_TARGETS = PEERS_TARGETS


@pytest.fixture(scope="session")
def mellon_sp(saml_peers: tuple[SimpleSamlPhp, MockPartners], tmp_path_factory: pytest.TempPathFactory) -> Iterator[MellonSp]:
    """mod_auth_mellon trusting the SimpleSAMLphp IdP, and registered there by its metadata."""
    require_installed("mod_auth_mellon", missing_apache("auth_mellon"))
    ssp, _ = saml_peers
    with MellonSp(tmp_path_factory.mktemp("mellon"), ssp.idp_metadata_xml) as sp:
        ssp.add_remote_sp(SspRemoteSp(sp.entity()))  # NameID: the mail attribute, emailAddress format
        yield sp


@pytest.fixture(scope="session")
def mellon_env(saml_peers: tuple[SimpleSamlPhp, MockPartners], mellon_sp: MellonSp,
               ssp_users: tuple[SspUser, ...]) -> dict[str, str]:
    """The values the peers targets file reads for the target ``mellon-simplesamlphp``."""
    ssp, _ = saml_peers
    assert ssp.endpoints is not None
    alice = next(u for u in ssp_users if u.username == "alice")
    return {"PEER_SSP_URL": ssp.endpoints.base_url, "PEER_MELLON_URL": mellon_sp.base_url,
            "PEER_MELLON_LAUNCH": ssp.endpoints.idp_initiated(mellon_sp.entity_id, mellon_sp.protected_url),
            "PEER_ALICE_PASSWORD": alice.password}


@pytest.fixture(scope="session")
def openidc_peers(tmp_path_factory: pytest.TempPathFactory, sso_proxy: CaptureProxy) -> Iterator[tuple[OpenidcRp, OidcProviderPeer]]:
    """mod_auth_openidc and an oidc-provider that has it registered as a web client.

    The RP's calls to the provider go through the capture proxy (``OIDCOutgoingProxy``),
    so the token exchange is in the trace."""
    require_installed("mod_auth_openidc", missing_apache("auth_openidc"))
    require_installed("oidc-provider", missing_oidc_provider())
    work = tmp_path_factory.mktemp("openidc")
    accounts = tuple(OidcAccount(u.username, dict(u.claims)) for u in OIDC_USERS)
    with OpenidcRp(work / "rp") as rp:
        # The redirect URI is known before the RP runs: register the client first, as an admin would.
        with OidcProviderPeer(work / "op", accounts=accounts, client_id="mod-auth-openidc",
                              redirect_uris=(rp.redirect_uri,), application_type="web") as op:
            proxy = urlsplit(sso_proxy.url)
            rp.start(discovery_url=op.discovery_url, client_id=op.client_id, client_secret=op.client_secret,
                     outgoing_proxy=f"{proxy.hostname}:{proxy.port}")
            yield rp, op


@pytest.fixture(scope="session")
def openidc_env(openidc_peers: tuple[OpenidcRp, OidcProviderPeer]) -> dict[str, str]:
    """The values the peers targets file reads for the target ``openidc-oidc-provider``."""
    rp, op = openidc_peers
    assert op.issuer is not None
    return {"PEER_OPENIDC_OP_ISSUER": op.issuer, "PEER_OPENIDC_URL": rp.base_url, "PEER_CAROL_PASSWORD": OIDC_USERS[0].password}



def _register_mellon_at_entra(fleet: MockFleet, sp: MellonSp) -> None:
    register_saml_app(fleet.entra, fleet.tenant_id, sp.entity(), app_id=MELLON_ENTRA_APP,
                      display_name="Apache mod_auth_mellon", certificate_key="peer-mellon-app")


@pytest.fixture(scope="session")
def mellon_entra_sp(sso_mock_fleet: MockFleet, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MellonSp]:
    """A second mellon, registered at the Entra-like mock IdP as an enterprise app and
    trusting it by that app's federation metadata (as the Entra portal's step 3 says)."""
    require_installed("mod_auth_mellon", missing_apache("auth_mellon"))
    fleet = sso_mock_fleet
    sp = MellonSp(tmp_path_factory.mktemp("mellon-entra"))  # port, key and metadata: not running yet
    try:
        _register_mellon_at_entra(fleet, sp)
        url = fleet.entra.federation_metadata_url(fleet.tenant_id, MELLON_ENTRA_APP)
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=10) as r:
            sp.idp_metadata_xml = r.read().decode("utf-8")
        yield sp.start()
    finally:
        sp.stop()


@pytest.fixture
def mellon_entra_env(sso_mock_fleet: MockFleet, mellon_entra_sp: MellonSp) -> dict[str, str]:
    """The values the peers targets file reads for ``mellon-entra``; the app is registered
    again when a fleet reset (between tests) dropped it."""
    fleet = sso_mock_fleet
    _register_mellon_at_entra(fleet, mellon_entra_sp)
    user = fleet.entra.tenant(fleet.tenant_id).users[0]
    return {
        "PEER_ENTRA_TENANT": fleet.tenant_id,
        "PEER_ENTRA_METADATA": fleet.entra.federation_metadata_url(fleet.tenant_id),
        "PEER_ENTRA_APP_METADATA": fleet.entra.federation_metadata_url(fleet.tenant_id, MELLON_ENTRA_APP),
        "PEER_MELLON_ENTRA_URL": mellon_entra_sp.base_url,
        "PEER_ENTRA_USER": user.upn,
        "PEER_ENTRA_MAIL": user.mail,
        "PEER_ENTRA_PASSWORD": user.password,
    }
