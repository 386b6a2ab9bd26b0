"""``expect_none_accepted`` leaves out INCONCLUSIVE attack rows by their verdict, whatever their reasons say."""

from __future__ import annotations

import pytest

from sso_harness.apps.security.proof import BatteryFailed, expect_none_accepted
from sso_harness.apps.security.verdicts import AttackResult, BatteryRun, Verdict


def _row(attack_id: str, verdict: Verdict, reason: str, *, control: bool = False) -> AttackResult:
    return AttackResult(attack_id, attack_id, verdict, reason, "ref", "sp", control=control, code=None)


def _run(*rows: AttackResult) -> BatteryRun:
    return BatteryRun("sp", "saml", (_row("saml-baseline", Verdict.ACCEPTED, "signed in", control=True), *rows))


def test_inconclusive_and_rejected_attacks_pass_whatever_their_reasons_say() -> None:
    expect_none_accepted(_run(_row("saml-xsw1", Verdict.INCONCLUSIVE, "security.needs_idp_key: needs the IdP's key"),
                              _row("saml-expired", Verdict.REJECTED, "no session was granted")))


def test_an_accepted_attack_fails_even_when_its_reason_reads_like_an_inconclusive_one() -> None:
    sneaky = _row("saml-attribute-html", Verdict.ACCEPTED, "rendered; the earlier probe got INCONCLUSIVE output")
    with pytest.raises(BatteryFailed) as failed:
        expect_none_accepted(_run(sneaky))
    assert "saml-attribute-html: expected REJECTED, got ACCEPTED" in str(failed.value)


def test_an_inconclusive_control_still_fails() -> None:
    run = BatteryRun("sp", "saml", (_row("saml-baseline", Verdict.INCONCLUSIVE, "signed_in.landing_not_loaded", control=True),))
    with pytest.raises(BatteryFailed, match="the untampered message was INCONCLUSIVE"):
        expect_none_accepted(run)
