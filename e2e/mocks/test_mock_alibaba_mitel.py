"""Alibaba CloudSSO-like and Mitel-like SPs with the Entra-like IdP, in the browser."""

from __future__ import annotations

import pytest

from sso_harness.expect import expect
from sso_harness.mocks.entra import SigningCertificate

pytestmark = pytest.mark.e2e

SIMON = ("b.simon@contoso.com", "Pa55w.rd-simon")
BRITTA = ("brittasimon@contoso.com", "Pa55w.rd-britta")


# -- Alibaba CloudSSO ------------------------------------------------------------------------------
def test_alibaba_user_logon_url_go_and_portal(page, mock_fleet, sso_capture, entra_login, trust_entra_app, ids) -> None:  # type: ignore[no-untyped-def]
    trust_entra_app(ids.alibaba_app)
    alibaba = mock_fleet.alibaba
    page.goto(alibaba.user_logon_url)
    page.locator("#go").click()
    entra_login(page, *SIMON)
    page.wait_for_url(alibaba.portal_url)
    assert page.locator("#user").inner_text() == "b.simon@contoso.com"
    e = expect(sso_capture.trace())
    e.saml_response.name_id == "b.simon@contoso.com"  # user.userprincipalname = the CloudSSO username
    e.saml_response.audience == alibaba.entity_id
    e.saml_response.is_trusted()


def test_alibaba_idp_initiated_relay_state_outside_its_domain_lands_on_the_portal(page, mock_fleet, sso_capture, entra_login, trust_entra_app, ids) -> None:  # type: ignore[no-untyped-def]
    trust_entra_app(ids.alibaba_app)
    mock_fleet.entra.configure_app(ids.alibaba_app, relay_state="https://console.example.com/")
    page.goto(mock_fleet.entra.user_access_url(mock_fleet.tenant_id, ids.alibaba_app))
    entra_login(page, *SIMON)
    page.wait_for_url(mock_fleet.alibaba.portal_url)
    trace = sso_capture.trace()
    assert trace.saml_response_hop.saml.relay_state == "https://console.example.com/"  # type: ignore[union-attr]
    expect(trace).saml_response.is_trusted()


def test_alibaba_password_logon_is_disabled_once_sso_is_on(page, mock_fleet, sso_capture) -> None:  # type: ignore[no-untyped-def]
    alibaba = mock_fleet.alibaba
    alibaba.enable_sso(False)
    page.goto(alibaba.user_logon_url)
    assert page.locator("input[name=password]").count() == 1
    alibaba.enable_sso(True)
    page.goto(alibaba.user_logon_url)
    assert page.locator("#go").count() == 1 and page.locator("input[name=password]").count() == 0


# -- Mitel ----------------------------------------------------------------------------------------------
def test_mitel_tile_opens_the_sign_on_url_app_sp_initiated(page, mock_fleet, sso_capture, entra_login, trust_entra_app, ids) -> None:  # type: ignore[no-untyped-def]
    trust_entra_app(ids.mitel_app)
    mitel = mock_fleet.mitel
    page.goto(mock_fleet.entra.user_access_url(mock_fleet.tenant_id, ids.mitel_app))
    entra_login(page, *BRITTA)
    page.wait_for_url(mitel.app_url("portal"))
    assert page.locator("#mitel-app").get_attribute("data-app") == "portal"
    e = expect(sso_capture.trace())
    e.saml_response.name_id == "brittasimon@contoso.com"
    e.response_answers_request()
    e.saml_response.is_trusted()


def test_mitel_refuses_idp_initiated(page, mock_fleet, sso_capture, entra_login, trust_entra_app, ids) -> None:  # type: ignore[no-untyped-def]
    trust_entra_app(ids.mitel_app)
    page.goto(mock_fleet.entra.user_access_url(mock_fleet.tenant_id, ids.mitel_app) + "&mode=idp")
    entra_login(page, *BRITTA)
    page.locator("li[data-check=InResponseTo]").wait_for()
    assert "unsolicited" in page.locator("li[data-check=InResponseTo]").inner_text()
    expect(sso_capture.trace()).saml_response.is_trusted()


def test_mitel_keeps_working_across_a_certificate_rollover(page, mock_fleet, sso_capture, entra_login, trust_entra_app, ids) -> None:  # type: ignore[no-untyped-def]
    rolled = (SigningCertificate("entra-app-mitel", active=False), SigningCertificate("entra-app-mitel-next", active=True))
    mock_fleet.entra.configure_app(ids.mitel_app, certificates=rolled)
    trust_entra_app(ids.mitel_app)  # now the next certificate
    page.goto(mock_fleet.mitel.app_url("teamwork"))
    entra_login(page, *BRITTA)
    page.wait_for_url(mock_fleet.mitel.app_url("teamwork"))
    expect(sso_capture.trace()).saml_response.is_trusted()
