"""No false positives: the mock fleet's SAML SPs come out REJECTED on every attack.

The generic SP and the Atlassian-, Alibaba- and Mitel-like profiles all run
the careful engine of :mod:`sso_harness.mocks.saml.sp_engine`. The legitimately signed
response the attacker starts from is minted with the key of the IdP each SP
trusts, and the untampered one must be accepted first (the control).
"""

from __future__ import annotations

import pytest

from sso_harness.apps.security.mock_subjects import FLEET_SAML_SPS, fleet_saml_subjects
from sso_harness.apps.security.proof import expect_all_rejected
from sso_harness.apps.security.saml_battery import SamlBattery

pytestmark = [pytest.mark.e2e]


@pytest.mark.parametrize("name", FLEET_SAML_SPS)
def test_hardened_sp_rejects_every_attack(mock_fleet, lab, attack_driver, attack_matrix, name) -> None:
    subject = fleet_saml_subjects(mock_fleet, [name])[name]
    run = SamlBattery(subject, attack_driver(name), lab.site, key=lab.attacker_key).run()
    attack_matrix(run)

    expect_all_rejected(run)
