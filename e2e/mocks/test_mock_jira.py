"""The Jira-like OAuth client's "Test connection", in the browser; its back channel through the proxy."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.e2e

SIMON = ("b.simon@contoso.com", "Pa55w.rd-simon")


def _test_connection(page, mock_fleet, entra_login) -> None:  # type: ignore[no-untyped-def]
    page.goto(mock_fleet.jira.test_connection_url)
    page.locator("#test-connection").click()
    entra_login(page, *SIMON)
    page.locator("#oauth2-result").wait_for()


def _token_hop(trace, mock_fleet):  # type: ignore[no-untyped-def]
    token_url = mock_fleet.jira.integration.token_endpoint
    hops = [h.hop for h in trace.hops if h.hop.method == "POST" and h.hop.url == token_url]
    assert len(hops) == 1, trace.summary()
    return hops[0]


def test_test_connection_succeeds_and_the_token_request_is_in_the_trace(page, mock_fleet, sso_capture, entra_login) -> None:  # type: ignore[no-untyped-def]
    _test_connection(page, mock_fleet, entra_login)
    assert page.locator("#oauth2-result").get_attribute("data-result") == "success"
    trace = sso_capture.trace()
    token = _token_hop(trace, mock_fleet)
    assert token.back_channel and token.status == 200
    assert token.form["grant_type"] == "authorization_code" and token.form["redirect_uri"] == mock_fleet.jira.redirect_url
    body = json.loads(token.response_body)
    assert body["token_type"] == "Bearer" and "https://outlook.office.com/IMAP.AccessAsUser.All" in body["scope"]
    authorize = [h.hop for h in trace.hops if h.hop.path.endswith("/oauth2/v2.0/authorize")]
    assert authorize and authorize[0].query["client_id"] == mock_fleet.jira.integration.client_id


def test_test_connection_with_the_secret_id_shows_aadsts7000215(page, mock_fleet, sso_capture, entra_login, ids) -> None:  # type: ignore[no-untyped-def]
    mock_fleet.jira.configure(client_secret=ids.jira_secret_id)
    _test_connection(page, mock_fleet, entra_login)
    assert page.locator("#oauth2-result").get_attribute("data-aadsts") == "7000215"
    assert "AADSTS7000215: Invalid client secret provided." in page.locator("#error-message").inner_text()
    token = _token_hop(sso_capture.trace(), mock_fleet)
    assert token.status == 401 and json.loads(token.response_body)["error_codes"] == [7000215]


def test_test_connection_with_gcc_scopes(page, mock_fleet, sso_capture, entra_login) -> None:  # type: ignore[no-untyped-def]
    mock_fleet.jira.configure(scopes="imap-pop-gcc")
    _test_connection(page, mock_fleet, entra_login)
    assert page.locator("#oauth2-result").get_attribute("data-result") == "success"
    assert "outlook.office365.com" in page.locator("#granted-scopes").inner_text()
