"""The Entra-like sign-in pages in the browser: errors, code page, KMSI, federation to JumpCloud."""

from __future__ import annotations

import pytest

from sso_harness.expect import expect
from sso_harness.mocks.base.faults import ResponseFaults

pytestmark = pytest.mark.e2e

SIMON = ("b.simon@contoso.com", "Pa55w.rd-simon")


def test_a_wrong_password_shows_the_inline_error(page, mock_fleet, sso_capture) -> None:  # type: ignore[no-untyped-def]
    page.goto(mock_fleet.atlassian.instance_url("contoso"))
    page.locator("input[name=loginfmt]").fill(SIMON[0])
    page.locator("#idSIButton9").click()
    page.locator("input[name=passwd]").fill("not-the-password")
    page.locator("#idSIButton9").click()
    error = page.locator("#passwordError")
    error.wait_for()
    assert error.get_attribute("data-aadsts") == "50126" and "incorrect" in error.inner_text()
    assert page.locator("input[name=passwd]").is_visible()


def test_an_unknown_user_shows_the_username_error(page, mock_fleet, sso_capture) -> None:  # type: ignore[no-untyped-def]
    page.goto(mock_fleet.atlassian.instance_url("contoso"))
    page.locator("input[name=loginfmt]").fill("nobody@contoso.com")
    page.locator("#idSIButton9").click()
    page.locator("#usernameError").wait_for()
    assert "has-error" in (page.locator("input[name=loginfmt]").get_attribute("class") or "")


def test_the_verification_code_page_and_stay_signed_in_no(page, mock_fleet, sso_capture, entra_login, trust_entra_app, ids) -> None:  # type: ignore[no-untyped-def]
    trust_entra_app(ids.atlassian_app)
    instance = mock_fleet.atlassian.instance_url("contoso")
    page.goto(instance)
    entra_login(page, "diego.siciliani@contoso.com", "Pa55w.rd-diego", stay_signed_in=False, totp_secret="JBSWY3DPEHPK3PXP")
    page.wait_for_url(instance)
    amr = expect(sso_capture.trace()).saml_response.attribute("http://schemas.microsoft.com/claims/authnmethodsreferences")
    amr.contains("http://schemas.microsoft.com/claims/multipleauthn")
    cookies = {c["name"] for c in page.context.cookies()}
    assert "entra_ESTSAUTH" in cookies and "entra_ESTSAUTHPERSISTENT" not in cookies


def test_a_federated_user_signs_in_at_jumpcloud_and_comes_back(page, mock_fleet, sso_capture, entra_login, trust_entra_app, ids) -> None:  # type: ignore[no-untyped-def]
    trust_entra_app(ids.atlassian_app)
    jumpcloud, instance = mock_fleet.jumpcloud, mock_fleet.atlassian.instance_url("contoso")
    page.goto(instance)
    entra_login(page, "alex.wilber@fabrikam.com", None)
    page.wait_for_url(lambda url: url.startswith(jumpcloud.base_url + "/login"))
    page.locator("input[name=email]").fill("alex.wilber@fabrikam.com")
    page.locator("input[name=password]").fill("Pa55w.rd-alex")
    page.locator("#login-submit").click()
    page.locator("#KmsiDescription").wait_for()  # back at Entra, after /login.srf
    page.locator("#idSIButton9").click()
    page.wait_for_url(instance)
    assert page.locator("#user").inner_text() == "alex.wilber@fabrikam.com"

    trace = sso_capture.trace()
    responses = [h for h in trace.saml_messages() if h.saml.parameter == "SAMLResponse"]  # type: ignore[union-attr]
    assert [h.hop.url for h in responses] == [f"{mock_fleet.entra.base_url}/login.srf", mock_fleet.atlassian.acs_url]
    federated = responses[0].saml.message  # type: ignore[union-attr]
    assert federated.issuer == jumpcloud.app("office365").idp_entity_id and federated.trusted
    e = expect(trace)
    e.saml_response.name_id == "alex.wilber@fabrikam.com"
    e.saml_response.attribute("http://schemas.microsoft.com/identity/claims/identityprovider") == [federated.issuer]
    e.saml_response.is_trusted()


def test_an_unregistered_reply_url_shows_aadsts50011(page, mock_fleet, sso_capture, ids) -> None:  # type: ignore[no-untyped-def]
    mock_fleet.entra.configure_app(ids.atlassian_app, reply_urls=("https://elsewhere.example/acs",))
    page.goto(mock_fleet.atlassian.instance_url("contoso"))
    message = page.locator("#service_exception_message")
    assert message.get_attribute("data-aadsts") == "50011"
    assert message.inner_text().startswith("AADSTS50011:")
    assert page.locator("#requestId").inner_text() and page.locator("#correlationId").inner_text()


def test_an_unassigned_user_sees_aadsts50105(page, mock_fleet, sso_capture, entra_login) -> None:  # type: ignore[no-untyped-def]
    page.goto(mock_fleet.atlassian.instance_url("contoso"))
    entra_login(page, "adele.vance@contoso.com", "Pa55w.rd-adele")
    assert page.locator("#service_exception_message").get_attribute("data-aadsts") == "50105"


def test_an_injected_fault_reaches_the_sp_through_the_fixture(page, mock_fleet, sso_capture, entra_login, inject_fault, trust_entra_app, ids) -> None:  # type: ignore[no-untyped-def]
    trust_entra_app(ids.atlassian_app)
    inject_fault("entra", ResponseFaults(recipient="https://elsewhere.example/acs"), app=ids.atlassian_app, once=True)
    page.goto(mock_fleet.atlassian.instance_url("contoso"))
    entra_login(page, *SIMON)
    page.locator("li[data-check=recipient]").wait_for()
    expect(sso_capture.trace()).saml_response.recipient == "https://elsewhere.example/acs"
