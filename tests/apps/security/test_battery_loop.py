"""The shared run loop: not-applicable decided up front or found during an attempt, controls that stop the run."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from sso_harness.apps.security.battery_loop import ControlFailed, run_controls_first
from sso_harness.apps.security.catalogue import SAML_ATTACKS, Attack, attack
from sso_harness.apps.security.driver import Driver
from sso_harness.apps.security.lab_subjects import LAB_USER, lab_signer, vulnerable_saml_subject
from sso_harness.apps.security.proof import expect_all_rejected
from sso_harness.apps.security.saml_battery import SamlBattery, authn_request_in
from sso_harness.apps.security.saml_mint import Minted, mint
from sso_harness.apps.security.saml_xsw import NO_RESPONSE_SIGNATURE
from sso_harness.apps.security.subjects import CapturedLogin
from sso_harness.apps.security.verdicts import NOT_APPLICABLE, AttackNotApplicable, AttackResult, Verdict

FOUND = "security.not_applicable.test_found"


def _result(a: Attack, verdict: Verdict) -> AttackResult:
    return AttackResult(a.id, a.title, verdict, "seen", a.reference, "sp", control=a.control)


def _attempt_finding(inapplicable: set[str]):  # type: ignore[no-untyped-def]
    def attempt(a: Attack) -> AttackResult:
        if a.id in inapplicable:
            raise AttackNotApplicable(FOUND, f"{a.id} found not applicable")
        return _result(a, Verdict.ACCEPTED if a.control else Verdict.REJECTED)
    return attempt


def test_an_attempt_can_find_its_attack_not_applicable_with_a_code() -> None:
    chosen = [attack("saml-baseline"), attack("saml-xsw1"), attack("saml-xsw3"), attack("saml-unsolicited")]
    run = run_controls_first(chosen, protocol="saml", subject="sp",
                             not_applicable=lambda a: "by design" if a.id == "saml-unsolicited" else None,
                             attempt=_attempt_finding({"saml-xsw1"}), advice=lambda r: "advice")
    assert [r.attack_id for r in run.results] == ["saml-baseline", "saml-xsw3"]
    assert [(na.attack_id, na.code) for na in run.not_applicable] == [("saml-xsw1", FOUND), ("saml-unsolicited", NOT_APPLICABLE)]
    assert all(r.verdict is not Verdict.INCONCLUSIVE for r in run.results)


def test_an_up_front_check_may_give_a_finer_code_by_raising() -> None:
    def up_front(a: Attack) -> str | None:
        if a.id == "saml-xsw2":
            raise AttackNotApplicable(FOUND, "decided up front")
        return None
    run = run_controls_first([attack("saml-baseline"), attack("saml-xsw2")], protocol="saml", subject="sp",
                             not_applicable=up_front, attempt=_attempt_finding(set()), advice=lambda r: "advice")
    assert [(na.attack_id, na.code) for na in run.not_applicable] == [("saml-xsw2", FOUND)]


def test_a_control_found_not_applicable_stops_the_run_as_a_failed_control() -> None:
    with pytest.raises(ControlFailed) as stopped:
        run_controls_first([attack("saml-baseline"), attack("saml-xsw1")], protocol="saml", subject="sp",
                           not_applicable=lambda a: None, attempt=_attempt_finding({"saml-baseline"}), advice=lambda r: "fix it")
    assert stopped.value.code == "security.control_failed"
    assert stopped.value.result.verdict is Verdict.INCONCLUSIVE and stopped.value.result.code == FOUND


def test_an_idp_that_signs_only_the_assertion_makes_xsw1_and_xsw2_not_applicable(lab, http_driver) -> None:  # type: ignore[no-untyped-def]
    """As Entra does: the battery holds only a response captured from a normal login, signed on the Assertion."""
    sp = vulnerable_saml_subject(lab)
    signer = lab_signer(lab)

    def capture(driver: Driver) -> CapturedLogin:
        assert sp.sign_on_url is not None
        start = driver.open(sp.sign_on_url, wait="commit")
        found = authn_request_in(start.chain)
        assert found is not None
        response = mint(signer, sp.facts, LAB_USER, now=dt.datetime.now(dt.timezone.utc),
                        params=Minted(in_response_to=found[0], sign="assertion"))
        return CapturedLogin(response, found[1])

    captured_only = replace(sp, signer=None, capture=capture, idp_certificate=signer.certificate)
    mountable = [a for a in SAML_ATTACKS if not a.needs_signer]
    run = SamlBattery(captured_only, http_driver, lab.site, key=lab.attacker_key).run(mountable)
    assert {(na.attack_id, na.code) for na in run.not_applicable} == {
        ("saml-xsw1", NO_RESPONSE_SIGNATURE), ("saml-xsw2", NO_RESPONSE_SIGNATURE)}
    expect_all_rejected(run)  # the other wrapping shapes still ran, on the Assertion's signature
    assert {r.attack_id for r in run.results} >= {f"saml-xsw{n}" for n in range(3, 9)}
