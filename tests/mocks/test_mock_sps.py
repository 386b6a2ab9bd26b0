"""The SP emulations (Atlassian, Alibaba CloudSSO, Mitel) and the Jira-like OAuth client."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sso_harness.mocks.entra import NAMEID_PERSISTENT, SigningCertificate
from sso_harness.mocks.fleet import MockFleet
from sso_harness.mocks.web.outbound import OutboundHttp
from sso_harness.mocks.scenario import IDS
from sso_harness.mocks.sps.jira import SCOPES_GRAPH_MAIL, SCOPES_IMAP_POP_GCC
from .mock_walker import Page, Walker, entra_sign_in

SIMON = ("b.simon@contoso.com", "Pa55w.rd-simon")
BRITTA = ("brittasimon@contoso.com", "Pa55w.rd-britta")


def _launch(w: Walker, f: MockFleet, app_id: str, user: tuple[str, str] = SIMON, mode: str = "") -> Page:
    url = f.entra.user_access_url(f.tenant_id, app_id) + (f"&mode={mode}" if mode else "")
    return w.auto_post(entra_sign_in(w, w.get(url), *user))


def _sp_initiated(w: Walker, start: str, user: tuple[str, str] = SIMON) -> Page:
    page = w.follow(w.get(start))
    return w.auto_post(entra_sign_in(w, page, *user))


# -- Atlassian ----------------------------------------------------------------------------------------
def test_atlassian_refuses_a_name_id_that_is_not_an_email(clean: MockFleet, walker: Walker) -> None:
    clean.entra.configure_app(IDS.atlassian_app, name_id_source="user.objectid", name_id_format=NAMEID_PERSISTENT)
    page = _sp_initiated(walker, clean.atlassian.instance_url("contoso"))
    assert page.status == 403 and "data-check='account'" in page.text and "must be the user&#x27;s email" in page.text


def test_atlassian_without_relay_state_lands_on_the_start_page(clean: MockFleet, walker: Walker) -> None:
    clean.entra.configure_app(IDS.atlassian_app, relay_state=None)
    landed = walker.follow(_launch(walker, clean, IDS.atlassian_app))
    assert landed.url == f"{clean.atlassian.base_url}/" and "id='sites'" in landed.text


def test_atlassian_ignores_a_relay_state_outside_its_instances(clean: MockFleet, walker: Walker) -> None:
    clean.entra.configure_app(IDS.atlassian_app, relay_state="https://evil.example/")
    assert _launch(walker, clean, IDS.atlassian_app).location == f"{clean.atlassian.base_url}/"


def test_atlassian_acs_needs_its_connection(clean: MockFleet, walker: Walker) -> None:
    page = walker.send(f"{clean.atlassian.base_url}/login/callback?connection=saml-other", {"SAMLResponse": "x"})
    assert page.status == 404


# -- Alibaba CloudSSO ------------------------------------------------------------------------------------
def test_alibaba_sp_metadata_downloads_as_a_file(clean: MockFleet, walker: Walker) -> None:
    page = walker.get(f"{clean.alibaba.base_url}/settings/sp-metadata.xml")
    assert page.status == 200 and "attachment" in page.headers["content-disposition"]
    assert f'entityID="{clean.alibaba.entity_id}"' in page.text and clean.alibaba.acs_url in page.text


def test_alibaba_takes_the_idp_metadata_through_its_admin_endpoint(clean: MockFleet, walker: Walker) -> None:
    xml = walker.get(clean.entra.federation_metadata_url(clean.tenant_id, IDS.alibaba_app)).text
    clean.alibaba.configure_idp("nobody", "http://127.0.0.1:9/", [clean.rogue.cert])
    answer = walker.send(f"{clean.alibaba.base_url}/_admin/idp-metadata", xml.encode(), {"Content-Type": "application/xml"})
    assert answer.status == 200 and json.loads(answer.text)["entity_id"] == f"https://sts.windows.net/{clean.tenant_id}/"
    assert clean.alibaba.idp.sso_url == clean.entra.saml_url(clean.tenant_id)  # type: ignore[union-attr]
    bad = walker.send(f"{clean.alibaba.base_url}/_admin/idp-metadata", clean.alibaba.metadata_xml.encode())
    assert bad.status == 400 and "IDPSSODescriptor" in json.loads(bad.text)["error"]


def test_alibaba_user_logon_url_shows_the_go_button_then_lands_on_the_portal(clean: MockFleet, walker: Walker) -> None:
    logon = walker.get(clean.alibaba.user_logon_url)
    assert "id='go'" in logon.text and clean.entra.saml_url(clean.tenant_id) in logon.text
    away = walker.submit(logon.form())
    assert away.status == 302 and away.location.startswith(clean.entra.saml_url(clean.tenant_id))  # type: ignore[union-attr]
    posted = walker.auto_post(entra_sign_in(walker, walker.get(away.location), *SIMON))  # type: ignore[arg-type]
    assert posted.location == clean.alibaba.portal_url
    portal = walker.follow(posted)
    assert "<span id='user'>b.simon@contoso.com</span>" in portal.text and "id='ram-roles'" in portal.text


def test_alibaba_idp_initiated_without_relay_state_lands_on_the_portal(clean: MockFleet, walker: Walker) -> None:
    assert _launch(walker, clean, IDS.alibaba_app).location == clean.alibaba.portal_url


@pytest.mark.parametrize("inside", [True, False])
def test_alibaba_honours_relay_state_only_inside_its_domain(clean: MockFleet, walker: Walker, inside: bool) -> None:
    target = f"{clean.alibaba.portal_url}/accounts" if inside else "https://console.example.com/home"
    clean.entra.configure_app(IDS.alibaba_app, relay_state=target)
    assert _launch(walker, clean, IDS.alibaba_app).location == (target if inside else clean.alibaba.portal_url)


def test_alibaba_name_id_must_be_a_cloudsso_username(clean: MockFleet, walker: Walker) -> None:
    page = _launch(walker, clean, IDS.alibaba_app, user=("adele.vance@contoso.com", "Pa55w.rd-adele"))
    assert page.status == 403 and "data-check='user'" in page.text


def test_alibaba_disables_password_logon_once_sso_is_on(clean: MockFleet, walker: Walker) -> None:
    form = {"username": "b.simon@contoso.com", "password": "Pa55w.rd-cloudsso"}
    refused = walker.send(f"{clean.alibaba.base_url}/{IDS.alibaba_directory}/login/password", form)
    assert refused.status == 403 and "data-check='password-logon'" in refused.text
    off = walker.send(f"{clean.alibaba.base_url}/_admin/sso", json.dumps({"enabled": False}).encode(), {"Content-Type": "application/json"})
    assert off.status == 200 and not clean.alibaba.sso_enabled
    assert "name='password'" in walker.get(clean.alibaba.user_logon_url).text
    signed_in = walker.send(f"{clean.alibaba.base_url}/{IDS.alibaba_directory}/login/password", form)
    assert signed_in.location == clean.alibaba.portal_url
    saml = _launch(Walker(), clean, IDS.alibaba_app)
    assert saml.status == 403 and "data-check='configuration'" in saml.text  # SAML is off too


# -- Mitel ------------------------------------------------------------------------------------------------
def test_mitel_refuses_an_unsolicited_response(clean: MockFleet, walker: Walker) -> None:
    page = _launch(walker, clean, IDS.mitel_app, user=BRITTA, mode="idp")
    assert page.status == 403 and "data-check='InResponseTo'" in page.text and "unsolicited" in page.text


def test_mitel_tile_opens_the_default_app_from_the_sign_on_url(clean: MockFleet, walker: Walker) -> None:
    clean.entra.configure_app(IDS.mitel_app, sign_on_url=clean.mitel.app_url("teamwork"))
    tile = walker.get(clean.entra.user_access_url(clean.tenant_id, IDS.mitel_app))
    assert tile.location == clean.mitel.app_url("teamwork")
    landed = walker.follow(_sp_initiated(walker, tile.location))  # type: ignore[arg-type]
    assert landed.url == clean.mitel.app_url("teamwork") and "data-app='teamwork'" in landed.text


def test_mitel_username_must_equal_the_email_or_upn(clean: MockFleet, walker: Walker) -> None:
    page = _sp_initiated(walker, clean.mitel.app_url("portal"), user=("adele.vance@contoso.com", "Pa55w.rd-adele"))
    assert page.status == 403 and "data-check='username'" in page.text


def test_mitel_accepts_either_pasted_certificate_during_rollover(clean: MockFleet, walker: Walker) -> None:
    rolled = (SigningCertificate("entra-app-mitel", active=False), SigningCertificate("entra-app-mitel-next", active=True))
    clean.entra.configure_app(IDS.mitel_app, certificates=rolled)
    assert walker.follow(_sp_initiated(walker, clean.mitel.app_url("portal"), user=BRITTA)).url == clean.mitel.app_url("portal")
    old_only = clean.entra.signing_key(IDS.mitel_app)  # now the next certificate
    assert old_only.cert == clean.entra.ctx.keys.get("entra-app-mitel-next").cert
    clean.mitel.configure_idp(clean.mitel.idp.entity_id, clean.mitel.idp.sso_url, [clean.entra.ctx.keys.get("entra-app-mitel").cert])  # type: ignore[union-attr]
    refused = _sp_initiated(Walker(), clean.mitel.app_url("portal"), user=BRITTA)
    assert refused.status == 403 and "data-check='signature'" in refused.text


def test_sp_admin_endpoint_takes_pasted_certificates(clean: MockFleet, walker: Walker) -> None:
    pem = "".join(clean.entra.ctx.keys.get(n).cert_pem for n in ("entra-app-mitel", "entra-app-mitel-next"))
    body = {"entity_id": f"https://sts.windows.net/{clean.tenant_id}/", "sso_url": clean.entra.saml_url(clean.tenant_id), "certificates": pem}
    answer = walker.send(f"{clean.mitel.base_url}/_admin/idp", json.dumps(body).encode(), {"Content-Type": "application/json"})
    assert answer.status == 200 and json.loads(answer.text)["certificates"] == 2


# -- Jira ---------------------------------------------------------------------------------------------------
def _test_connection(w: Walker, f: MockFleet, user: tuple[str, str] = SIMON) -> Page:
    admin = w.get(f.jira.test_connection_url)
    assert "id='test-connection'" in admin.text and f.jira.redirect_url in admin.text
    to_entra = w.submit(admin.form())
    assert to_entra.location.startswith(f.entra.authorize_url("common"))  # type: ignore[union-attr]
    back = entra_sign_in(w, w.get(to_entra.location), *user)  # type: ignore[arg-type]
    assert back.status == 302 and back.location.startswith(f.jira.redirect_url), back.text[:400]  # type: ignore[union-attr]
    return w.get(back.location)  # type: ignore[arg-type]


def test_jira_test_connection_succeeds_with_the_secret_value(clean: MockFleet, walker: Walker) -> None:
    page = _test_connection(walker, clean)
    assert "data-result='success'" in page.text
    assert "IMAP.AccessAsUser.All" in page.text and clean.jira.last_result.ok  # type: ignore[union-attr]


def test_jira_test_connection_with_the_secret_id_shows_aadsts7000215(clean: MockFleet, walker: Walker) -> None:
    clean.jira.configure(client_secret=IDS.jira_secret_id)
    page = _test_connection(walker, clean)
    assert page.status == 400 and "data-aadsts='7000215'" in page.text
    assert "The error message is: AADSTS7000215: Invalid client secret provided." in page.text
    assert clean.jira.log[-1].startswith("ERROR Error occurred while authorizing an integration. The error message is: AADSTS7000215")
    assert "Trace ID:" in clean.jira.log[-1]


@pytest.mark.parametrize("scopes", [SCOPES_IMAP_POP_GCC, SCOPES_GRAPH_MAIL])
def test_jira_scope_sets_are_granted(clean: MockFleet, walker: Walker, scopes: tuple[str, ...]) -> None:
    clean.jira.configure(scopes=scopes)
    assert "data-result='success'" in _test_connection(walker, clean).text


def test_jira_admin_config_endpoint_changes_the_integration(clean: MockFleet, walker: Walker) -> None:
    answer = walker.send(f"{clean.jira.base_url}/_admin/config", json.dumps({"scopes": "graph"}).encode(), {"Content-Type": "application/json"})
    assert answer.status == 200 and clean.jira.integration.scopes == SCOPES_GRAPH_MAIL
    bad = walker.send(f"{clean.jira.base_url}/_admin/config", json.dumps({"nope": 1}).encode(), {"Content-Type": "application/json"})
    assert bad.status == 400


def test_jira_shows_an_authorize_error_that_comes_back(clean: MockFleet, walker: Walker) -> None:
    clean.entra.configure_registration(IDS.jira_client, admin_consent=False)
    page = _test_connection(walker, clean)
    assert "data-aadsts='65001'" in page.text


def test_jira_refuses_a_callback_it_did_not_start(clean: MockFleet, walker: Walker) -> None:
    page = walker.get(f"{clean.jira.redirect_url}?code=abc&state=forged")
    assert "data-result='error'" in page.text and "state mismatch" in page.text


class _RecordingProxy(ThreadingHTTPServer):
    """An HTTP forward proxy that writes down every request it relays."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.seen.append((self.command, self.path))
                request = urllib.request.Request(self.path, data=body, headers={"Content-Type": self.headers["Content-Type"]})
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                try:
                    r = opener.open(request, timeout=10)
                except urllib.error.HTTPError as err:  # type: ignore[attr-defined]
                    r = err
                data = r.read()
                self.send_response(r.status)
                self.send_header("Content-Type", r.headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def recording_proxy() -> Iterator[_RecordingProxy]:
    proxy = _RecordingProxy()
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    yield proxy
    proxy.shutdown()
    proxy.server_close()


def test_jiras_back_channel_goes_through_the_outbound_proxy(clean: MockFleet, walker: Walker, recording_proxy: _RecordingProxy) -> None:
    direct = clean.jira.outbound
    clean.jira.outbound = OutboundHttp(f"http://127.0.0.1:{recording_proxy.server_address[1]}")
    try:
        assert "data-result='success'" in _test_connection(walker, clean).text
    finally:
        clean.jira.outbound = direct
    assert recording_proxy.seen == [("POST", clean.entra.token_url("common"))]
