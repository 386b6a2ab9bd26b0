"""A federated domain in the browser: Entra -> JumpCloud over WS-Federation, and JumpCloud's MFA page.

The JumpCloud pages are driven by their stable element names: ``input[name=email]``,
``input[name=password]``, ``#login-submit``; the MFA step ``form#totp-form``,
``input[name=otp]``, ``#totp-submit``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from sso_harness.expect import expect
from sso_harness.protocols.wsfed import WsFedSignInRequest, WsFedSignInResponse
from sso_harness.mocks.entra.federation import FEDERATION_SP
from sso_harness.mocks.entra.totp import totp
from sso_harness.mocks.scenario import ISAIAH_TOTP, ISAIAH_UPN

pytestmark = pytest.mark.e2e

TIMEOUT = 15_000
ALEX = ("alex.wilber@fabrikam.com", "Pa55w.rd-alex")


def _jumpcloud_password(page, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("#login-submit").click()


def test_a_wsfed_federated_user_signs_in_through_jumpcloud(page, mock_fleet, sso_capture, entra_login, trust_entra_app, ids) -> None:  # type: ignore[no-untyped-def]
    trust_entra_app(ids.atlassian_app)
    tenant = mock_fleet.entra.tenant(mock_fleet.tenant_id)
    domain = replace(tenant.federated_domains[0], preferred_authentication_protocol="WSFED",
                     passive_logon_uri=mock_fleet.jumpcloud.wsfed_url("office365"))
    mock_fleet.entra.update_tenant(replace(tenant, federated_domains=(domain,)))
    instance = mock_fleet.atlassian.instance_url("contoso")
    page.goto(instance)
    entra_login(page, ALEX[0], None)
    _jumpcloud_password(page, *ALEX)
    page.locator("#KmsiDescription").wait_for(timeout=TIMEOUT)
    page.locator("#idBtn_Back").click()
    page.wait_for_url(instance)

    hops = [m.message for h in sso_capture.trace() for m in h.of_protocol("wsfed")]
    request = next(m for m in hops if isinstance(m, WsFedSignInRequest))
    assert request.wtrealm == FEDERATION_SP and request.wreply == f"{mock_fleet.entra.base_url}/login.srf"
    response = next(m for m in hops if isinstance(m, WsFedSignInResponse))
    assert response.trusted and response.token is not None and response.token.issuer == domain.issuer_uri
    expect(sso_capture.trace()).saml_response.name_id == ALEX[0]


def test_jumpcloud_mfa_asks_for_a_totp_code(page, mock_fleet, entra_login) -> None:  # type: ignore[no-untyped-def]
    instance = mock_fleet.atlassian.instance_url("contoso")
    page.goto(instance)
    entra_login(page, ISAIAH_UPN, None)
    _jumpcloud_password(page, ISAIAH_UPN, "Pa55w.rd-isaiah")
    page.locator("form#totp-form").wait_for(timeout=TIMEOUT)
    assert page.locator("#totp-title").is_visible()
    page.locator("input[name=otp]").fill(totp(ISAIAH_TOTP, dt.datetime.now(dt.timezone.utc)))
    page.locator("#totp-submit").click()
    page.locator("#KmsiDescription").wait_for(timeout=TIMEOUT)
    page.locator("#idSIButton9").click()
    page.wait_for_url(instance)
    assert page.locator("#user").inner_text() == ISAIAH_UPN
