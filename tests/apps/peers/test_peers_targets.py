"""Target descriptions of the peers: launcher URLs and the expectations they carry."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from sso_harness.browser.drivers import SimpleSamlPhpLogin
from sso_harness.apps.peers import (
    MockPartners,
    OidcProviderPeer,
    PeerTarget,
    SimpleSamlPhp,
    SspEndpoints,
    SspSettings,
    SspUser,
    TargetIdp,
    TargetSp,
    oidc_provider_target,
    simplesamlphp_idp_target,
)
from sso_harness.mocks.base.keys import make_keypair

USER = SspUser("alice", "pw", {"mail": ("alice@peers.example",), "uid": ("alice",)})


def test_the_launcher_carries_the_sp_and_relay_state_url_encoded() -> None:
    sp = TargetSp("http://127.0.0.1:9/metadata?x=1&y", "http://127.0.0.1:9/acs", "http://127.0.0.1:9/p", "http://127.0.0.1:9/p",
                  relay_state="/protected/a b?c=d&e")
    target = PeerTarget("t", TargetIdp("simplesamlphp", "e", "m", launcher="http://127.0.0.1:8/SSOService.php?spentityid={sp}&RelayState={relay_state}"),
                        login=SimpleSamlPhpLogin(), users=(), flows=())
    query = dict(parse_qsl(urlsplit(target.launch_url(sp)).query))
    assert query == {"spentityid": sp.entity_id, "RelayState": sp.relay_state}


def test_a_target_without_a_launcher_says_so() -> None:
    target = PeerTarget("oidc", TargetIdp("oidc-provider", "i", "d"), login=SimpleSamlPhpLogin(), users=(), flows=())
    with pytest.raises(LookupError, match="no launcher"):
        target.launch_url(TargetSp("e", "a", "s", "l"))


def test_simplesamlphp_as_idp_expects_the_mail_attribute_as_name_id(tmp_path: Path) -> None:
    ssp = SimpleSamlPhp(SspSettings(users=(USER,)), tmp_path)
    ssp.endpoints = SspEndpoints("http://127.0.0.1:7000")  # as if started
    ssp.idp_signing_cert = make_keypair("idp", tmp_path).cert
    with MockPartners(tmp_path / "mocks") as mocks:
        target = simplesamlphp_idp_target(ssp, mocks, (USER,))
        sp = mocks.sp.settings  # type: ignore[union-attr]
    assert target.idp.entity_id == "http://127.0.0.1:7000/saml2/idp/metadata.php"
    assert target.users[0].name_id == "alice@peers.example"
    assert target.users[0].claims == {"mail": ["alice@peers.example"], "uid": ["alice"]}
    assert "pw" not in repr(target.users[0])
    (target_sp,) = target.sps
    assert (target_sp.entity_id, target_sp.acs_url) == (sp.entity_id, sp.acs_url)
    assert target_sp.sign_on_url.startswith(target_sp.landing_url) and target_sp.relay_state.startswith("/protected/")  # type: ignore[union-attr]
    assert target.launch_url(target_sp).startswith("http://127.0.0.1:7000/saml2/idp/SSOService.php?spentityid=")


def test_an_oidc_target_needs_a_running_provider(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="not running"):
        oidc_provider_target(OidcProviderPeer(tmp_path, accounts=()), ())
