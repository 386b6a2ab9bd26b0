"""SAML single logout through the browser: SP-initiated and IdP-initiated, both signed over the query."""

from __future__ import annotations

import pytest

from sso_harness.browser.journeys import single_logout

pytestmark = pytest.mark.e2e


def _signed_in(sp_initiated, mock_fleet, sso_capture):  # type: ignore[no-untyped-def]
    trace = sp_initiated("/protected/app")
    assert trace.saml_response.trusted
    sso_capture.restart()
    sso_capture.trusted_certs = [mock_fleet.idp.settings.signing.cert, mock_fleet.sp.settings.signing.cert]


def _logout_pair(trace):  # type: ignore[no-untyped-def]
    (exchange,) = [e for e in trace.exchanges if e.kind == "saml.logout"]
    assert exchange.problems == () and exchange.request_hop is not None and exchange.response_hop is not None
    messages = {m.kind: m.message for h in trace for m in h.messages}
    return messages["saml.logout_request"], messages["saml.logout_response"]


def test_sp_initiated_logout_is_answered_and_ends_the_session(sp_initiated, mock_fleet, sso_capture, page) -> None:  # type: ignore[no-untyped-def]
    _signed_in(sp_initiated, mock_fleet, sso_capture)
    sp = mock_fleet.sp.settings
    trace = single_logout(page, sso_capture, start_url=f"{sp.base_url}/logout", until=f"{sp.base_url}/slo")
    request, response = _logout_pair(trace)
    assert request.trusted and response.trusted  # Redirect-binding signatures verified over the raw query
    assert request.message.name_id.value == "b.simon@contoso.com" and request.message.issuer == sp.entity_id
    assert response.message.status.ok
    assert page.locator("#signed-out").count() == 1
    page.goto(f"{sp.base_url}/whoami")
    assert page.title() == "Not signed in"


def test_idp_initiated_logout_reaches_the_sp_and_comes_back(sp_initiated, mock_fleet, sso_capture, page) -> None:  # type: ignore[no-untyped-def]
    _signed_in(sp_initiated, mock_fleet, sso_capture)
    idp = mock_fleet.idp.settings
    trace = single_logout(page, sso_capture, start_url=f"{idp.base_url}/logout", until=f"{idp.base_url}/slo")
    request, response = _logout_pair(trace)
    assert request.message.issuer == idp.entity_id and request.trusted and response.trusted
    assert page.locator("#signed-out").count() == 1
    page.goto(f"{mock_fleet.sp.settings.base_url}/whoami")
    assert page.title() == "Not signed in"
