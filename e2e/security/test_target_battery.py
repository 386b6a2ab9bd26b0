"""The SAML battery against the SPs of a ``--sso-target`` from the targets file (real tenants).

Runs only when a target other than the mock fleet is selected, and only if
it may be attacked: every URL on loopback, or ``attack_allowed: true`` in
the targets file; otherwise the test is skipped with the refusal. The
legitimately signed response comes from a normal login of the target's
first test user (the IdP's key is not ours), so attacks that need the IdP
to sign something new are INCONCLUSIVE; none may be ACCEPTED.
"""

from __future__ import annotations

import pytest

from sso_harness.apps.security.driver_browser import BrowserDriver
from sso_harness.apps.security.proof import expect_none_accepted
from sso_harness.apps.security.safety import AttackRefused, check_attack_allowed, target_urls
from sso_harness.apps.security.saml_battery import SamlBattery
from sso_harness.apps.security.target_subjects import attackable, target_saml_subjects
from sso_harness.mocks.attack_lab import serve_attacker_site
from sso_harness.plugin.target_option import MOCKS, load_selected, selected_target_name
from sso_harness.targets.runner import driver_for

pytestmark = [pytest.mark.e2e]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "target_sp" not in metafunc.fixturenames:
        return
    target = None if selected_target_name(metafunc.config) == MOCKS else load_selected(metafunc.config)
    if target is None:
        lane = pytest.mark.skip(reason="no --sso-target: the mock lane's SPs are attacked by the other modules of e2e/security")
        metafunc.parametrize("target_sp", [pytest.param(None, marks=lane)], ids=["mocks"])
        return
    metafunc.parametrize("target_sp", [sp.name for sp in target.sps if attackable(sp)])


def test_target_sp_accepts_no_attack(target_sp, sso_target, browser, attack_matrix, tmp_path) -> None:  # type: ignore[no-untyped-def]
    try:
        check_attack_allowed(sso_target.name, target_urls(sso_target), sso_target.attack_allowed)
    except AttackRefused as refused:
        pytest.skip(str(refused))
    subject = target_saml_subjects(sso_target, driver_for(sso_target.idp.login, screenshot_dir=tmp_path))[target_sp]
    context = browser.new_context()
    # A fresh context per attempt: no cookie or IdP session of one attempt can sign the next one in.
    driver = BrowserDriver(context, new_context=browser.new_context)
    try:
        with serve_attacker_site() as site:
            run = SamlBattery(subject, driver, site).run()  # a failed control raises security.control_failed
    finally:
        driver.close()
        context.close()
    attack_matrix(run)

    expect_none_accepted(run)
