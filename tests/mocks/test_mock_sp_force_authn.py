"""A mock SP's ForceAuthn setting: its AuthnRequests ask the IdP for a fresh sign-in (SAML core §3.4.1)."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from sso_harness.mocks.base.keys import self_signed
from sso_harness.mocks.saml.sp_engine import SamlSpEngine, TrustedIdp
from sso_harness.protocols.saml import AuthnRequest, decode_redirect
from sso_harness.targets.mock_target import configure_mock_sps, mocks_template

IDP = TrustedIdp("https://idp.example/", "https://idp.example/sso", (self_signed("idp.example", bits=1024)[1],))


def _engine(**settings: bool) -> SamlSpEngine:
    return SamlSpEngine(entity_id="https://sp.example/metadata", acs_url="https://sp.example/acs", idp=IDP, **settings)


def _force_authn(engine: SamlSpEngine) -> bool | None:
    message = decode_redirect(urlsplit(engine.start("/protected/")).query).message
    assert isinstance(message, AuthnRequest)
    return message.force_authn


def test_an_sp_sends_force_authn_only_when_its_setting_says_so() -> None:
    assert _force_authn(_engine()) is None  # the attribute is left out, i.e. false
    assert _force_authn(_engine(force_authn=True)) is True


def test_the_setting_can_change_at_run_time_and_a_reset_restores_the_configured_value() -> None:
    engine = _engine()
    engine.force_authn = True
    assert _force_authn(engine) is True
    engine.reset()
    assert engine.force_authn is False and _force_authn(engine) is None
    configured = _engine(force_authn=True)
    configured.force_authn = False
    configured.reset()
    assert configured.force_authn is True


@pytest.mark.parametrize("declared", [True, False])
def test_the_mocks_target_sets_the_fleet_sp_of_the_same_name(declared: bool) -> None:
    mitel, other = _engine(), _engine()
    fleet = SimpleNamespace(mocks={"mitel": SimpleNamespace(engine=mitel), "atlassian": SimpleNamespace(engine=other),
                                   "jira": SimpleNamespace()})
    template = mocks_template()
    assert next(sp for sp in template.sps if sp.name == "mitel").force_authn is True  # as mocks.yaml declares it
    if not declared:
        template = dataclasses.replace(template, sps=tuple(sp for sp in template.sps if sp.name != "mitel"))
    configure_mock_sps(fleet, template)  # type: ignore[arg-type]  # only .mocks is read
    assert mitel.force_authn is declared and other.force_authn is False
