"""The OAuth 2.0 / OpenID Connect battery against relying parties whose providers the attacker controls.

The hardened relying party (state, PKCE S256, nonce, every ID-token check,
RFC 9207 ``iss``) must refuse every attack; the vulnerable one, switched to
a set of weaknesses, must be caught on exactly the attacks the set opens
(:func:`sso_harness.mocks.oidc_rp.open_to`). Both have two providers, the honest one
and the attacker's, so mix-up applies.
"""

from __future__ import annotations

import pytest

from sso_harness.apps.security.lab_subjects import rp_subject
from sso_harness.apps.security.oidc_battery import OidcBattery
from sso_harness.apps.security.proof import expect_all_rejected, expect_caught_exactly
from sso_harness.mocks.oidc_rp import PROOF_SETS, open_to

pytestmark = [pytest.mark.e2e]


def test_hardened_relying_party_rejects_every_attack(lab, attack_driver, attack_matrix) -> None:
    run = OidcBattery(rp_subject(lab, "oidc-rp"), attack_driver("oidc-rp"), lab.site).run()
    attack_matrix(run)

    expect_all_rejected(run)
    assert run.not_applicable == ()


@pytest.mark.parametrize("weaknesses", [w for k, w in PROOF_SETS.items() if k != "none"],
                         ids=[k for k in PROOF_SETS if k != "none"])
def test_vulnerable_relying_party_is_caught_on_exactly_its_weaknesses(lab, attack_driver, attack_matrix, weaknesses) -> None:
    lab.vulnerable_rp.switch(weaknesses)
    subject = rp_subject(lab, "vulnerable-rp")
    run = OidcBattery(subject, attack_driver("vulnerable-rp"), lab.site).run()
    attack_matrix(run)

    expect_caught_exactly(run, open_to(weaknesses, providers=len(subject.providers)))
