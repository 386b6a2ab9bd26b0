"""SimpleSAMLphp 1.19's SP under the SAML battery (peers lane).

Its IdP is the peers lane's mock IdP, whose key the harness holds, so the
legitimately signed response is minted. SimpleSAMLphp takes unsolicited
responses by design, so the unsolicited and InResponseTo-mismatch attacks
do not apply to it.

SimpleSAMLphp remembers consumed assertions only in a data store
(``store.type`` sql, memcache or redis). With ``phpsession`` it has nowhere
to keep them and accepts a replayed assertion until it expires (SAML
profiles §4.1.4.5): the battery found that in our first peers configuration,
which now uses an SQLite store, so every attack must be REJECTED.
"""

from __future__ import annotations

import pytest

from sso_harness.apps.security.peer_subjects import simplesamlphp_sp_subject
from sso_harness.apps.security.proof import expect_caught_exactly
from sso_harness.apps.security.saml_battery import UNSOLICITED_BY_DESIGN, SamlBattery

pytestmark = [pytest.mark.e2e, pytest.mark.peers]


def test_simplesamlphp_sp_rejects_every_attack_it_can_be_open_to(ssp_sp_peer, lab, attack_driver, attack_matrix) -> None:
    ssp, mocks = ssp_sp_peer
    mocks.reset()
    run = SamlBattery(simplesamlphp_sp_subject(ssp, mocks, cookie_prefix="sspattack"), attack_driver("simplesamlphp-sp"),
                      lab.site, key=lab.attacker_key).run()
    attack_matrix(run)

    assert "'store.type' => 'sql'" in (ssp.config_dir / "config.php").read_text()
    expect_caught_exactly(run, set())
    assert {(na.attack_id, na.code) for na in run.not_applicable} == {
        ("saml-unsolicited", UNSOLICITED_BY_DESIGN), ("saml-in-response-to-mismatch", UNSOLICITED_BY_DESIGN)}
