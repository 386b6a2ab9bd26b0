"""``login:`` keys of a targets file reach the driver: the Entra flags and the JumpCloud page driver."""

from __future__ import annotations

import textwrap

import pytest

from sso_harness.browser.drivers import JumpCloudLogin
from sso_harness.browser.entra.driver import EntraLogin
from sso_harness.browser.login import FormLogin
from sso_harness.targets import TargetError, parse_targets
from sso_harness.targets.load import BAD_VALUE
from sso_harness.targets.runner import driver_for
from sso_harness.targets.target import LoginSpec


def _login(login: str) -> LoginSpec:
    text = textwrap.dedent(f"""\
        targets:
          t:
            idp: {{kind: entra, login: {login}}}
            users: [{{username: u, password: "${{PW}}"}}]
        """)
    return parse_targets(text, source="targets.yaml", env={"PW": "x"})["t"].idp.login


def test_the_entra_flags_are_read_and_reach_the_driver() -> None:
    spec = _login("{driver: entra, accept_consent: true, skip_mfa_registration: true, attended: true}")
    assert (spec.accept_consent, spec.skip_mfa_registration, spec.attended) == (True, True, True)
    driver = driver_for(spec)
    assert isinstance(driver, EntraLogin)
    assert (driver.accept_consent, driver.skip_mfa_registration, driver.attended) == (True, True, True)


def test_the_entra_flags_default_to_false() -> None:
    driver = driver_for(_login("{driver: entra}"))
    assert isinstance(driver, EntraLogin)
    assert (driver.accept_consent, driver.skip_mfa_registration, driver.attended) == (False, False, False)


@pytest.mark.parametrize("key", ["accept_consent", "skip_mfa_registration", "attended"])
def test_an_entra_flag_on_another_driver_is_a_coded_problem(key: str) -> None:
    with pytest.raises(TargetError) as failure:
        _login(f"{{driver: form, {key}: true}}")
    assert [(p.code, p.where) for p in failure.value.problems] == [(BAD_VALUE, f"targets.t.idp.login.{key}")]


def test_an_entra_flag_that_is_not_a_boolean_is_a_coded_problem() -> None:
    with pytest.raises(TargetError) as failure:
        _login('{driver: entra, attended: "yes"}')
    assert [(p.code, p.where) for p in failure.value.problems] == [(BAD_VALUE, "targets.t.idp.login.attended")]


def test_jumpcloud_gets_its_page_driver_with_the_totp_secret() -> None:
    driver = driver_for(LoginSpec(driver="jumpcloud", totp_secret="JBSWY3DPEHPK3PXP"))
    assert isinstance(driver, JumpCloudLogin)
    assert driver.totp_secret == "JBSWY3DPEHPK3PXP" and "JBSWY3DPEHPK3PXP" not in repr(driver)


def test_jumpcloud_with_selectors_of_its_own_is_a_form() -> None:
    driver = driver_for(LoginSpec(driver="jumpcloud", submit_selector="#go"))
    assert isinstance(driver, FormLogin) and driver.submit == "#go"


def test_an_entra_login_with_a_federated_jumpcloud_gets_both_drivers() -> None:
    driver = driver_for(_login("{driver: entra, federated: {driver: jumpcloud}}"))
    assert isinstance(driver, EntraLogin) and isinstance(driver.federated, JumpCloudLogin)
