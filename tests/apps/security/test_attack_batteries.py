"""The batteries' logic end to end without Chromium (HttpDriver): targets with known weaknesses are
caught on exactly those, careful ones on nothing. The e2e suite repeats the proof in the browser."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sso_harness.apps.security.battery_loop import ControlFailed
from sso_harness.apps.security.catalogue import OIDC_ATTACKS, SAML_ATTACKS, attack, select
from sso_harness.apps.security.verdicts import Verdict
from sso_harness.apps.security.oidc_battery import OidcBattery
from sso_harness.apps.security.proof import BatteryFailed, expect_all_rejected, expect_caught_exactly
from sso_harness.apps.security.saml_battery import SamlBattery
from sso_harness.apps.security.lab_subjects import rp_subject, vulnerable_saml_subject
from sso_harness.mocks.oidc_rp import PROOF_SETS as RP_SETS
from sso_harness.mocks.oidc_rp import RpWeakness
from sso_harness.mocks.oidc_rp import open_to as rp_open_to
from sso_harness.mocks.sps.saml_weaknesses import PROOF_SETS, XSW_READERS, SamlWeakness, open_to


def _saml(lab, driver, weaknesses):  # type: ignore[no-untyped-def]
    lab.vulnerable_sp.switch(weaknesses)
    return SamlBattery(vulnerable_saml_subject(lab), driver, lab.site, key=lab.attacker_key).run()


def _oidc(lab, driver, weaknesses):  # type: ignore[no-untyped-def]
    lab.vulnerable_rp.switch(weaknesses)
    return OidcBattery(rp_subject(lab, "vulnerable-rp"), driver, lab.site).run()


@pytest.mark.parametrize("weakness", list(SamlWeakness), ids=str)
def test_each_saml_weakness_alone_opens_exactly_its_attacks(lab, http_driver, weakness) -> None:
    expect_caught_exactly(_saml(lab, http_driver, [weakness]), open_to([weakness]))


@pytest.mark.parametrize("weaknesses", list(PROOF_SETS.values()), ids=list(PROOF_SETS))
def test_saml_proof_sets(lab, http_driver, weaknesses) -> None:
    expect_caught_exactly(_saml(lab, http_driver, weaknesses), open_to(weaknesses))


@pytest.mark.parametrize("reader", sorted(XSW_READERS), ids=str)
def test_every_weakness_at_once_opens_every_attack_its_reader_allows(lab, http_driver, reader) -> None:
    everything = [w for w in SamlWeakness if w not in XSW_READERS or w is reader]
    missed = {"saml-xsw7"} if reader is SamlWeakness.XSW_ROOT_ASSERTION else {"saml-xsw1", "saml-xsw2"}
    assert open_to(everything) == {a.id for a in SAML_ATTACKS if not a.control} - missed
    expect_caught_exactly(_saml(lab, http_driver, everything), open_to(everything))


@pytest.mark.parametrize("weakness", list(RpWeakness), ids=str)
def test_each_rp_weakness_alone_opens_exactly_its_attacks(lab, http_driver, weakness) -> None:
    expect_caught_exactly(_oidc(lab, http_driver, [weakness]), rp_open_to([weakness], providers=2))


@pytest.mark.parametrize("weaknesses", list(RP_SETS.values()), ids=list(RP_SETS))
def test_rp_proof_sets(lab, http_driver, weaknesses) -> None:
    expect_caught_exactly(_oidc(lab, http_driver, weaknesses), rp_open_to(weaknesses, providers=2))


def test_code_injection_needs_both_pkce_and_nonce_gone(lab, http_driver) -> None:
    assert "oidc-code-injection" not in rp_open_to(["no-pkce"]) | rp_open_to(["no-nonce-check"])
    run = _oidc(lab, http_driver, ["no-pkce", "no-nonce-check"])
    assert run.verdicts()["oidc-code-injection"] is Verdict.ACCEPTED


def test_the_hardened_relying_party_refuses_everything(lab, http_driver) -> None:
    run = OidcBattery(rp_subject(lab, "oidc-rp"), http_driver, lab.site).run()
    expect_all_rejected(run)


def test_a_refused_control_stops_the_run_with_a_setup_error_before_any_attack(lab, http_driver) -> None:
    subject = vulnerable_saml_subject(lab)
    broken = replace(subject, facts=replace(subject.facts, entity_id="https://not-this-sp/metadata"))
    tried: list[str] = []
    battery = SamlBattery(broken, http_driver, lab.site, key=lab.attacker_key)
    attempt = battery.attempt
    battery.attempt = lambda a: (tried.append(a.id), attempt(a))[1]  # type: ignore[method-assign]
    with pytest.raises(ControlFailed) as failed:
        battery.run(select(SAML_ATTACKS, ["saml-xsw3", "saml-expired"]))
    assert tried == ["saml-baseline"]
    error = failed.value
    assert error.code == "security.control_failed" and error.subject == "vulnerable-sp"
    assert error.result.verdict is Verdict.REJECTED and error.result.evidence.failed_checks == ("audience",)
    assert "no attack was run" in str(error) and str(error).startswith("security.control_failed: ")


def test_a_control_the_subject_cannot_even_sign_in_to_names_the_cause(lab, http_driver) -> None:
    keyless = replace(vulnerable_saml_subject(lab), signer=None)
    with pytest.raises(ControlFailed) as failed:
        SamlBattery(keyless, http_driver, lab.site, key=lab.attacker_key).run(select(SAML_ATTACKS, ["saml-expired"]))
    assert failed.value.result.verdict is Verdict.INCONCLUSIVE
    assert "holds neither a key" in failed.value.result.reason and "fix what stopped the control login" in failed.value.advice


def test_a_refused_oidc_control_stops_the_run_too(lab, http_driver) -> None:
    rp = rp_subject(lab, "oidc-rp")
    wrong = replace(rp, probe=replace(rp.probe, xpath="//*[@id='nobody-here']"))
    with pytest.raises(ControlFailed, match="security.control_failed.*oidc-rp") as failed:
        OidcBattery(wrong, http_driver, lab.site).run(select(OIDC_ATTACKS, ["oidc-alg-none"]))
    assert failed.value.result.attack_id == "oidc-baseline"


def test_a_proof_failure_names_each_difference_and_shows_the_matrix(lab, http_driver) -> None:
    run = _saml(lab, http_driver, ["no-audience"])
    with pytest.raises(BatteryFailed) as failed:
        expect_all_rejected(run)
    message = str(failed.value)
    assert "saml-wrong-audience: expected REJECTED, got ACCEPTED" in message
    assert "vulnerable-sp (SAML)" in message


def test_attacks_left_out_by_only_are_not_run_but_the_control_is(lab, http_driver) -> None:
    lab.vulnerable_sp.switch([])
    run = SamlBattery(vulnerable_saml_subject(lab), http_driver, lab.site, key=lab.attacker_key).run(select(SAML_ATTACKS, ["saml-xsw*"]))
    assert [r.attack_id for r in run.results] == ["saml-baseline", *(f"saml-xsw{n}" for n in range(1, 9))]


def test_a_remote_sp_cannot_reach_the_out_of_band_listener(lab, http_driver) -> None:
    remote = replace(vulnerable_saml_subject(lab), loopback=False)
    result = SamlBattery(remote, http_driver, lab.site, key=lab.attacker_key).attempt(attack("saml-xxe"))
    assert result.verdict is Verdict.INCONCLUSIVE and "out of a remote SP's reach" in result.reason


def test_without_the_idp_key_or_a_capture_the_battery_says_it_cannot_mount(lab, http_driver) -> None:
    keyless = replace(vulnerable_saml_subject(lab), signer=None)
    result = SamlBattery(keyless, http_driver, lab.site, key=lab.attacker_key).attempt(attack("saml-expired"))
    assert result.verdict is Verdict.INCONCLUSIVE
    assert "whose key the harness does not hold" in result.reason


def test_evidence_urls_keep_no_authorization_code(lab, http_driver) -> None:
    run = OidcBattery(rp_subject(lab, "oidc-rp"), http_driver, lab.site).run(select(OIDC_ATTACKS, ["oidc-state-missing"]))
    landing = next(r for r in run.results if r.attack_id == "oidc-state-missing").evidence.landing_url
    assert landing is not None and "/callback?" in landing
    assert "code=%5Bredacted%5D" in landing
