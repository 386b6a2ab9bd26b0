"""A target the harness holds no IdP key for: the legitimately signed response comes from a normal login.

The mock fleet, described as a target (as a team describes its tenant),
signs in through the Entra-like sign-in pages; the IdP's POST to the ACS is
held back and becomes the attacker's material. Attacks that only rearrange
or re-sign it still run (the certificate clone with the IdP certificate the
target declares or the response carries); those that need the IdP to sign
something new are INCONCLUSIVE, and say so. As for any third-party SP,
"signed in" is the signed-in check (here the SAML default), every attempt
runs in a fresh browser context, and the IdP session the normal login left
is dropped before the crafted response is delivered.
"""

from __future__ import annotations

import pytest

from sso_harness.apps.security.catalogue import SAML_ATTACKS, select
from sso_harness.apps.security.driver_browser import BrowserDriver
from sso_harness.apps.security.verdicts import Verdict
from sso_harness.apps.security.saml_battery import SamlBattery
from sso_harness.apps.security.target_subjects import target_saml_subjects
from sso_harness.targets.mock_target import mock_target
from sso_harness.targets.runner import driver_for

pytestmark = [pytest.mark.e2e]


def test_signature_attacks_run_from_a_captured_response(mock_fleet, lab, browser, attack_matrix) -> None:  # type: ignore[no-untyped-def]
    target = mock_target(mock_fleet)
    subject = target_saml_subjects(target, driver_for(target.idp.login))["atlassian"]
    assert subject.signer is None and subject.detect_sign_in
    attacks = select(SAML_ATTACKS, ["saml-xsw3", "saml-signature-exclusion", "saml-keyinfo-key", "saml-cert-clone", "saml-expired"])

    first = browser.new_context()
    driver = BrowserDriver(first, new_context=browser.new_context)
    try:
        run = SamlBattery(subject, driver, lab.site, key=lab.attacker_key).run(attacks)
    finally:
        driver.close()
        first.close()
    attack_matrix(run)

    verdicts = run.verdicts()
    assert verdicts["saml-baseline"] is Verdict.ACCEPTED, run.results[0].reason
    for attack_id in ("saml-xsw3", "saml-signature-exclusion", "saml-keyinfo-key", "saml-cert-clone"):
        assert verdicts[attack_id] is Verdict.REJECTED, attack_id
        refused = next(r for r in run.results if r.attack_id == attack_id).evidence
        assert refused.signed_in is False and any("signed-in check: not signed in" in o for o in refused.observations)
    expired = next(r for r in run.results if r.attack_id == "saml-expired")
    assert expired.verdict is Verdict.INCONCLUSIVE and "whose key the harness does not hold" in expired.reason
    baseline = run.results[0]
    assert baseline.evidence.signed_in_as == "b.simon@contoso.com" and baseline.evidence.signed_in is True
    assert "legitimate response captured from a normal login" in baseline.evidence.observations
    assert any(o.startswith("signed-in check: signed in (SAML default)") for o in baseline.evidence.observations)
