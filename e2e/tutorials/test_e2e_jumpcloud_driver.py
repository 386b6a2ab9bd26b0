"""The JumpCloud login driver on the JumpCloud-like IdP's pages, TOTP step included, behind Entra federation."""

from __future__ import annotations

import pytest

from sso_harness.browser.drivers.jumpcloud import REFUSED, TOTP_REFUSED, TOTP_REQUIRED
from sso_harness.browser.login import Credentials, SignInRefused
from sso_harness.mocks.scenario import ISAIAH_TOTP, ISAIAH_UPN
from sso_harness.targets.runner import driver_for
from sso_harness.targets.target import LoginSpec

pytestmark = pytest.mark.e2e

ISAIAH = Credentials(ISAIAH_UPN, "Pa55w.rd-isaiah")
OTHER_SECRET = "JBSWY3DPEHPK3PXP"


def test_a_federated_user_with_totp_signs_in_through_the_configured_drivers(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    instance = mock_fleet.atlassian.instance_url("contoso")
    driver = driver_for(LoginSpec(driver="entra", federated=LoginSpec(driver="jumpcloud", totp_secret=ISAIAH_TOTP)))
    page.goto(instance)
    driver.sign_in(page, ISAIAH)
    page.wait_for_url(f"{instance}**", timeout=15_000)
    assert page.locator("#user").inner_text() == ISAIAH_UPN


@pytest.mark.parametrize(
    ("secret", "password", "code", "words"),
    [
        (None, ISAIAH.password, TOTP_REQUIRED, "give the login a totp_secret"),
        (OTHER_SECRET, ISAIAH.password, TOTP_REFUSED, "That code is not valid"),
        (ISAIAH_TOTP, "not-the-password", REFUSED, "Incorrect email or password"),
    ],
    ids=["no-secret", "wrong-code", "wrong-password"],
)
def test_a_refusal_on_a_jumpcloud_page_is_coded(secret: str | None, password: str, code: str, words: str, page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    driver = driver_for(LoginSpec(driver="entra", federated=LoginSpec(driver="jumpcloud", totp_secret=secret)))
    page.goto(mock_fleet.atlassian.instance_url("contoso"))
    with pytest.raises(SignInRefused) as refused:
        driver.sign_in(page, Credentials(ISAIAH.username, password))
    assert str(refused.value).startswith(f"{code}: ") and words in str(refused.value)
