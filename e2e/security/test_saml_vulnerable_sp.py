"""Proof that the SAML battery detects: the vulnerable SP is caught on exactly its weaknesses.

Each set of weaknesses is switched on in the deliberately vulnerable SP
(:mod:`sso_harness.mocks.sps.vulnerable`); the whole battery then runs through
Chromium, and the attacks that weakness set opens
(:func:`sso_harness.mocks.sps.saml_weaknesses.open_to`) must come out ACCEPTED and
every other one REJECTED. The empty set is the SP at its most careful.
"""

from __future__ import annotations

import pytest

from sso_harness.apps.security.lab_subjects import vulnerable_saml_subject
from sso_harness.apps.security.proof import expect_caught_exactly
from sso_harness.apps.security.saml_battery import SamlBattery
from sso_harness.mocks.sps.saml_weaknesses import PROOF_SETS, open_to

pytestmark = [pytest.mark.e2e]


@pytest.mark.parametrize("weaknesses", list(PROOF_SETS.values()), ids=list(PROOF_SETS))
def test_vulnerable_sp_is_caught_on_exactly_its_weaknesses(lab, attack_driver, attack_matrix, weaknesses) -> None:
    lab.vulnerable_sp.switch(weaknesses)
    run = SamlBattery(vulnerable_saml_subject(lab), attack_driver("vulnerable-sp"), lab.site, key=lab.attacker_key).run()
    attack_matrix(run)

    expect_caught_exactly(run, open_to(weaknesses))
