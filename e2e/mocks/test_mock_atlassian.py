"""Atlassian Cloud-like SP with the Entra-like IdP, in the browser, through the capture proxy."""

from __future__ import annotations

import pytest

from sso_harness.expect import expect
from sso_harness.mocks.entra import NAMEID_EMAIL, NAMEID_PERSISTENT

pytestmark = pytest.mark.e2e

SIMON = ("b.simon@contoso.com", "Pa55w.rd-simon")


def test_sp_initiated_login_lands_on_the_instance(page, mock_fleet, sso_capture, entra_login, trust_entra_app, ids) -> None:  # type: ignore[no-untyped-def]
    trust_entra_app(ids.atlassian_app)
    atlassian, entra = mock_fleet.atlassian, mock_fleet.entra
    instance = atlassian.instance_url("contoso")
    page.goto(instance)
    entra_login(page, *SIMON)
    page.wait_for_url(instance)
    assert page.locator("#user").inner_text() == "b.simon@contoso.com"

    trace = sso_capture.trace()
    e = expect(trace)
    e.saml_response.name_id == "b.simon@contoso.com"
    e.saml_response.name_id_format == NAMEID_EMAIL
    e.saml_response.issuer == f"https://sts.windows.net/{mock_fleet.tenant_id}/"
    e.saml_response.audience == atlassian.entity_id
    e.saml_response.destination == atlassian.acs_url
    e.saml_response.is_trusted()
    e.saml_response.is_valid_at()
    e.response_answers_request()
    e.relay_state == instance
    assert trace.authn_request_hop.hop.url.startswith(entra.saml_url(mock_fleet.tenant_id))


def test_idp_initiated_login_lands_on_the_relay_state_instance(page, mock_fleet, sso_capture, entra_login, trust_entra_app, ids) -> None:  # type: ignore[no-untyped-def]
    trust_entra_app(ids.atlassian_app)
    instance = mock_fleet.atlassian.instance_url("contoso")
    page.goto(mock_fleet.entra.user_access_url(mock_fleet.tenant_id, ids.atlassian_app))
    entra_login(page, *SIMON, stay_signed_in=False)
    page.wait_for_url(instance)
    assert page.locator("#site").get_attribute("data-site") == "contoso"

    trace = sso_capture.trace()
    expect(trace).saml_response.is_trusted()
    expect(trace).saml_response.in_response_to == None  # noqa: E711 - unsolicited, by design
    assert trace.saml_response_hop.saml.relay_state == instance  # type: ignore[union-attr]


def test_a_name_id_that_is_not_the_email_is_refused(page, mock_fleet, sso_capture, entra_login, trust_entra_app, ids) -> None:  # type: ignore[no-untyped-def]
    trust_entra_app(ids.atlassian_app)
    mock_fleet.entra.configure_app(ids.atlassian_app, name_id_source="user.objectid", name_id_format=NAMEID_PERSISTENT)
    page.goto(mock_fleet.atlassian.instance_url("contoso"))
    entra_login(page, *SIMON)
    page.locator("li[data-check=account]").wait_for()
    trace = sso_capture.trace()
    expect(trace).saml_response.is_trusted()  # a valid response, for a user Atlassian cannot match
    expect(trace).saml_response.name_id_format == NAMEID_PERSISTENT
