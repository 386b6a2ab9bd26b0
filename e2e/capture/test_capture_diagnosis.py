"""Each diagnosis rule against a real browser flow whose failure the mock fleet produces on purpose.

Faults are injected into the mock IdPs (audience, recipient, destination,
NameID, clock skew, a signature by another key, a non-success status), set
up in the Entra-like IdP's configuration (a SPA redirect URI that requires
PKCE, an unregistered redirect URI), or made in the browser itself with a
Playwright route (a RelayState or state rewritten on its way back). Rules
the fleet cannot trigger (a cookie dropped on a cross-site POST, expired
certificates) are tested on hand-built traces in tests/diagnose.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from sso_harness.browser.entra import EntraLogin
from sso_harness.mocks.entra.tenant import RedirectUri
from sso_harness.mocks.web.http import MockServer, Request, Response, html_page, redirect
from sso_harness.mocks.base.faults import ResponseFaults
from sso_harness.mocks.scenario import IDS

from .capture_support import MOCK_IDP_LOGIN, SIMON, Captured

pytestmark = pytest.mark.e2e


@pytest.fixture
def saml_login(capture_flow, mock_fleet):  # type: ignore[no-untyped-def]
    """An SP-initiated login through the generic mock pair, signatures checked against the IdP's certificate."""

    def run(name: str, **kw) -> Captured:  # type: ignore[no-untyped-def]
        start = mock_fleet.sp.settings.base_url + "/protected/reports?quarter=q3"
        return capture_flow(name, start, login=MOCK_IDP_LOGIN, credentials=SIMON,
                            trusted_certs=[mock_fleet.idp.settings.signing.cert], **kw)

    return run


@pytest.fixture
def jira_test_connection(capture_flow, mock_fleet):  # type: ignore[no-untyped-def]
    jira = mock_fleet.jira

    def run(name: str, **kw) -> Captured:  # type: ignore[no-untyped-def]
        return capture_flow(name, jira.test_connection_url, login=EntraLogin(), credentials=SIMON,
                            before_login=lambda page: page.locator("#test-connection").click(),
                            until=lambda url: url.startswith(jira.redirect_url), **kw)

    return run


def _acs_hop(c: Captured) -> int:
    return c.trace.saml_response_hop.hop.index


def test_a_clean_saml_login_has_no_findings(saml_login) -> None:  # type: ignore[no-untyped-def]
    assert saml_login("clean").findings == ()


@pytest.mark.parametrize(
    ("faults", "rule", "quoted"),
    [
        (ResponseFaults(audience="https://evil.example/sp"), "audience", "https://evil.example/sp"),
        (ResponseFaults(recipient="https://elsewhere.example/acs"), "recipient", "https://elsewhere.example/acs"),
        (ResponseFaults(destination="https://elsewhere.example/acs"), "destination", "https://elsewhere.example/acs"),
        (ResponseFaults(name_id="bsimon"), "name-id", "'bsimon' is not one"),
        (ResponseFaults(clock_skew_seconds=600), "clock-skew", "ahead of"),
        (ResponseFaults(wrong_key=True), "missed-rollover", "rollover"),
        (ResponseFaults(sign_nothing=True), "unsigned", "Neither the Response nor its assertion is signed"),
        (ResponseFaults(status="Responder", sub_status="AuthnFailed", status_message="user locked"), "saml-status", "AuthnFailed"),
    ],
    ids=lambda v: v if isinstance(v, str) and not v.startswith(("http", "'")) and " " not in v else None,
)
def test_an_injected_saml_fault_is_named_at_the_acs_hop(saml_login, mock_fleet, faults, rule, quoted) -> None:  # type: ignore[no-untyped-def]
    mock_fleet.idp.inject(faults)
    captured = saml_login(rule)
    finding = captured.finding(rule)
    assert finding.severity == "error" and finding.hop == _acs_hop(captured), finding
    assert quoted in finding.what, finding.what
    assert finding.change


def test_the_measured_clock_skew_is_reported(saml_login, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    mock_fleet.idp.inject(ResponseFaults(clock_skew_seconds=-900))
    finding = saml_login("skew-behind").finding("clock-skew")
    assert "15.0 min behind" in finding.what and "measured skew -900 s" in finding.what


def test_an_aadsts_code_in_a_saml_status_message_is_explained(saml_login, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    mock_fleet.idp.inject(ResponseFaults(status="Responder", status_message="AADSTS50105: The signed in user is not assigned"))
    captured = saml_login("status-aadsts")
    assert "AADSTS50105" in captured.finding("aadsts").what and captured.finding("aadsts").hop == _acs_hop(captured)
    assert "saml-status" in captured.rules()


def _rewrite_form(field: str, value: str | None):  # type: ignore[no-untyped-def]
    def handler(route, request) -> None:  # type: ignore[no-untyped-def]
        pairs = [(k, v) for k, v in parse_qsl(request.post_data or "", keep_blank_values=True) if k != field]
        if value is not None:
            pairs.append((field, value))
        route.continue_(post_data=urlencode(pairs))

    return handler


def test_a_relay_state_changed_on_the_way_back(saml_login, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    acs = mock_fleet.sp.settings.base_url + "/acs"
    captured = saml_login("relay-changed", route=(acs, _rewrite_form("RelayState", "/protected/admin")))
    finding = captured.finding("relay-state")
    assert "RelayState changed" in finding.what and "'/protected/admin'" in finding.what and finding.hop == _acs_hop(captured)


def test_a_relay_state_dropped_on_the_way_back(saml_login, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    acs = mock_fleet.sp.settings.base_url + "/acs"
    finding = saml_login("relay-dropped", route=(acs, _rewrite_form("RelayState", None))).finding("relay-state")
    assert "came back without it" in finding.what


def test_pkce_required_by_a_spa_redirect_uri(jira_test_connection, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    mock_fleet.entra.configure_registration(IDS.jira_client, redirect_uris=(RedirectUri(mock_fleet.jira.redirect_url, "spa"),))
    captured = jira_test_connection("pkce")
    assert "AADSTS9002325" in captured.finding("aadsts").what
    pkce = captured.finding("pkce")
    token = next(h for h in captured.trace.hops if h.hop.path.endswith("/oauth2/v2.0/token"))
    assert pkce.hop == token.hop.index and "sent no code_challenge" in pkce.what and "S256" in pkce.change


def test_an_unregistered_redirect_uri(jira_test_connection, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    mock_fleet.entra.configure_registration(IDS.jira_client, redirect_uris=(RedirectUri("https://jira.elsewhere.example/cb", "web"),))
    captured = jira_test_connection("redirect-uri")
    assert captured.stopped == "the IdP showed an error page (AADSTS50011)"
    finding = captured.finding("redirect-uri")
    authorize = next(h for h in captured.trace.hops if h.hop.path.endswith("/oauth2/v2.0/authorize"))
    assert finding.hop == authorize.hop.index and mock_fleet.jira.redirect_url in finding.what
    assert "InvalidReplyTo" in captured.finding("aadsts").what


def _tamper_state(route, request) -> None:  # type: ignore[no-untyped-def]
    """Rewrite the state in the IdP's redirect back to the client (the answer to the last sign-in step)."""
    answer = route.fetch(max_redirects=0)
    location = answer.headers.get("location", "")
    if "state=" not in location:
        route.fulfill(response=answer)
        return
    parts = urlsplit(location)
    query = [(k, "tampered-state" if k == "state" else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    route.fulfill(response=answer, headers={**answer.headers, "location": urlunsplit(parts._replace(query=urlencode(query)))})


def test_an_oauth_state_changed_on_the_way_back(jira_test_connection, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    captured = jira_test_connection("state", route=(mock_fleet.entra.base_url + "/kmsi", _tamper_state))
    finding = captured.finding("state")
    callback = next(h for h in captured.trace.hops if h.hop.url.startswith(mock_fleet.jira.redirect_url))
    assert finding.hop == callback.hop.index and "'tampered-state'" in finding.what and finding.severity == "error"


@pytest.fixture
def odd_site() -> Iterator[MockServer]:
    """A site with two classic browser-side faults: a redirect loop and a SameSite=None cookie without Secure."""

    def handle(request: Request) -> Response:
        if request.path == "/loop":
            return redirect("/loop")
        if request.path == "/cookie":
            page = html_page("Signed in?", "<h1>state cookie set</h1>")
            page.headers.append(("Set-Cookie", "app_state=7f3a9c2e1b; Path=/; SameSite=None"))
            return page
        return html_page("Not found", "<h1>404</h1>", status=404)

    server = MockServer(handle, name="odd-site").start()
    yield server
    server.stop()


def test_a_redirect_loop_in_the_browser(capture_flow, odd_site) -> None:  # type: ignore[no-untyped-def]
    captured = capture_flow("loop", odd_site.base_url + "/loop", until=lambda url: False, timeout=10)
    finding = captured.finding("redirect-loop")
    loops = [h for h in captured.trace.hops if h.hop.path == "/loop"]
    assert len(loops) > 3 and finding.hop == loops[3].hop.index
    assert f"{len(loops)} times" in finding.what


def test_a_same_site_none_cookie_without_secure(capture_flow, odd_site) -> None:  # type: ignore[no-untyped-def]
    captured = capture_flow("cookie", odd_site.base_url + "/cookie", until=lambda url: url.endswith("/cookie"))
    finding = captured.finding("cookie-rejected")
    assert "'app_state'" in finding.what and "Secure" in finding.change and finding.hop == captured.trace.hops[0].hop.index
