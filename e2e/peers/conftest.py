"""The peers lane: real SimpleSAMLphp and oidc-provider on loopback, started once per session.

Every pytest-xdist worker starts its own peers on kernel-chosen ports, in
its own temp folder, so workers share no port, file or cookie. When a
peer is not installed, its tests fail under CI (``CI`` set: a green run
must mean the peers really ran) and are skipped elsewhere; both say to run
``scripts/install-peers.sh``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

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
    """SimpleSAMLphp's test users; passwords are made per session."""
    return (
        SspUser("alice", secrets.token_urlsafe(12), {
            "uid": ("alice",),
            "mail": ("alice@peers.example",),
            "eduPersonAffiliation": ("member", "staff"),
            "cn": ("Alice Peer",),
        }),
        SspUser("bob", secrets.token_urlsafe(12), {
            "uid": ("bob",),
            "mail": ("bob@peers.example",),
            "eduPersonAffiliation": ("student",),
        }),
    )


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
