"""The harness's own Entra login driver and journey run unchanged against the Entra-like pages."""

from __future__ import annotations

import pytest

from sso_harness.browser.entra import EntraLogin, SignInRefused
from sso_harness.browser.journeys import sp_initiated_saml
from sso_harness.browser.login import Credentials, FormLogin
from sso_harness.expect import expect

pytestmark = pytest.mark.e2e

JUMPCLOUD_LOGIN = FormLogin(username="input[name=email]", password="input[name=password]", submit="#login-submit")


def test_the_entra_driver_signs_in_sp_initiated(page, mock_fleet, sso_capture, trust_entra_app, ids) -> None:  # type: ignore[no-untyped-def]
    trust_entra_app(ids.atlassian_app)
    trace = sp_initiated_saml(
        page, sso_capture, start_url=mock_fleet.atlassian.instance_url("contoso"),
        login=EntraLogin(stay_signed_in=True), credentials=Credentials("b.simon@contoso.com", "Pa55w.rd-simon"),
    )
    expect(trace).saml_response.name_id == "b.simon@contoso.com"
    expect(trace).saml_response.is_trusted()
    assert page.locator("#user").inner_text() == "b.simon@contoso.com"


def test_the_entra_driver_enters_the_totp_code(page, mock_fleet, sso_capture, trust_entra_app, ids) -> None:  # type: ignore[no-untyped-def]
    trust_entra_app(ids.atlassian_app)
    trace = sp_initiated_saml(
        page, sso_capture, start_url=mock_fleet.atlassian.instance_url("contoso"),
        login=EntraLogin(totp_secret="JBSWY3DPEHPK3PXP"), credentials=Credentials("diego.siciliani@contoso.com", "Pa55w.rd-diego"),
    )
    expect(trace).saml_response.name_id == "diego.siciliani@contoso.com"


def test_the_entra_driver_follows_a_federated_domain_to_jumpcloud(page, mock_fleet, sso_capture, trust_entra_app, ids) -> None:  # type: ignore[no-untyped-def]
    trust_entra_app(ids.atlassian_app)
    trace = sp_initiated_saml(
        page, sso_capture, start_url=mock_fleet.atlassian.instance_url("contoso"),
        login=EntraLogin(federated=JUMPCLOUD_LOGIN), credentials=Credentials("alex.wilber@fabrikam.com", "Pa55w.rd-alex"),
    )
    expect(trace).saml_response.name_id == "alex.wilber@fabrikam.com"
    expect(trace).saml_response.is_trusted()


def test_the_entra_driver_reports_a_wrong_password(page, mock_fleet, sso_capture) -> None:  # type: ignore[no-untyped-def]
    page.goto(mock_fleet.atlassian.instance_url("contoso"))
    with pytest.raises(SignInRefused, match="incorrect"):
        EntraLogin().sign_in(page, Credentials("b.simon@contoso.com", "wrong"))


def test_the_entra_driver_records_the_screens_it_saw(page, mock_fleet, sso_capture) -> None:  # type: ignore[no-untyped-def]
    login = EntraLogin(totp_secret="JBSWY3DPEHPK3PXP")
    sp_initiated_saml(
        page, sso_capture, start_url=mock_fleet.atlassian.instance_url("contoso"),
        login=login, credentials=Credentials("diego.siciliani@contoso.com", "Pa55w.rd-diego"),
    )
    assert [s for s in login.screens if s != "auto_post"] == ["username", "password", "totp", "kmsi"]
