"""A target the harness holds no IdP key for: the legitimately signed response comes from a normal login.

The mock fleet, described as a target (as a team describes its tenant),
signs in through the Entra-like sign-in pages; the IdP's POST to the ACS is
held back and becomes the attacker's material. Attacks that only rearrange
or re-sign it still run; those that need the IdP to sign something new are
INCONCLUSIVE, and say so.
"""

from __future__ import annotations

import pytest

from sso_harness.apps.security.catalogue import SAML_ATTACKS, select
from sso_harness.apps.security.verdicts import Verdict
from sso_harness.apps.security.saml_battery import SamlBattery
from sso_harness.apps.security.target_subjects import target_saml_subjects
from sso_harness.targets.mock_target import mock_target
from sso_harness.targets.runner import driver_for

pytestmark = [pytest.mark.e2e]


def test_signature_attacks_run_from_a_captured_response(mock_fleet, lab, attack_driver, attack_matrix) -> None:
    target = mock_target(mock_fleet)
    subject = target_saml_subjects(target, driver_for(target.idp.login))["atlassian"]
    assert subject.signer is None
    attacks = select(SAML_ATTACKS, ["saml-xsw3", "saml-signature-exclusion", "saml-keyinfo-key", "saml-expired"])

    run = SamlBattery(subject, attack_driver("atlassian-captured"), lab.site, key=lab.attacker_key).run(attacks)
    attack_matrix(run)

    verdicts = run.verdicts()
    assert verdicts["saml-baseline"] is Verdict.ACCEPTED, run.results[0].reason
    for attack_id in ("saml-xsw3", "saml-signature-exclusion", "saml-keyinfo-key"):
        assert verdicts[attack_id] is Verdict.REJECTED, attack_id
    expired = next(r for r in run.results if r.attack_id == "saml-expired")
    assert expired.verdict is Verdict.INCONCLUSIVE and "whose key the harness does not hold" in expired.reason
    baseline = run.results[0]
    assert baseline.evidence.signed_in_as == "b.simon@contoso.com"
    assert "legitimate response captured from a normal login" in baseline.evidence.observations
