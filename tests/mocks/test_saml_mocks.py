"""The mock IdP and SP over plain HTTP (no browser): flow, faults, named refusals."""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode, urljoin

import pytest
from saml2.mdstore import MetadataStore
from saml2.config import Config

from sso_harness.protocols.saml import decode_redirect
from sso_harness.mocks.fleet import SamlFleet
from sso_harness.mocks.base.faults import ResponseFaults


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class Walker:
    """A cookie-keeping HTTP client that shows each redirect instead of following it."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)

    def send(self, url: str, form: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        data = urlencode(form).encode() if form is not None else None
        try:
            r = self.opener.open(urllib.request.Request(url, data=data), timeout=10)
        except urllib.error.HTTPError as err:
            r = err
        return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode()


def _until_acs_post(fleet: SamlFleet, w: Walker) -> tuple[str, dict[str, str]]:
    """SP -> IdP -> login; returns the ACS URL and the auto-post form fields."""
    status, headers, _ = w.send(fleet.sp.settings.base_url + "/protected/page")
    assert status == 302 and "SAMLRequest=" in headers["location"]
    status, headers, _ = w.send(headers["location"])
    assert status == 302
    login_url = urljoin(fleet.idp.settings.base_url, headers["location"])
    status, _, page = w.send(login_url)
    ctx = re.search(r"name='ctx' value='([^']+)'", page).group(1)  # type: ignore[union-attr]
    user = fleet.users["b.simon@contoso.com"]
    status, _, page = w.send(fleet.idp.settings.base_url + "/login", {"ctx": ctx, "username": user.username, "password": user.password})
    assert status == 200
    action = html.unescape(re.search(r"action='([^']+)'", page).group(1))  # type: ignore[union-attr]
    fields = {html.unescape(k): html.unescape(v) for k, v in re.findall(r"name='([^']+)' value='([^']*)'", page)}
    return action, fields


def test_a_clean_flow_signs_the_user_in(clean: SamlFleet) -> None:
    w = Walker()
    acs, fields = _until_acs_post(clean, w)
    assert acs == clean.sp.settings.acs_url and fields["RelayState"] == "/protected/page"
    status, headers, _ = w.send(acs, fields)
    assert status == 302 and headers["location"] == "/protected/page"
    status, _, page = w.send(clean.sp.settings.base_url + "/whoami")
    assert status == 200 and "b.simon@contoso.com" in page


@pytest.mark.parametrize(
    ("faults", "check"),
    [
        (ResponseFaults(audience="https://other.example/sp"), "audience"),
        (ResponseFaults(recipient="https://other.example/acs"), "recipient"),
        (ResponseFaults(destination="https://other.example/acs"), "destination"),
        (ResponseFaults(sign_nothing=True), "signature"),
        (ResponseFaults(wrong_key=True), "signature"),
        (ResponseFaults(expired=True), "time window"),
        (ResponseFaults(clock_skew_seconds=600), "time window"),
    ],
)
def test_each_fault_is_refused_by_the_check_it_breaks(clean: SamlFleet, faults: ResponseFaults, check: str) -> None:
    clean.idp.inject(faults)
    w = Walker()
    acs, fields = _until_acs_post(clean, w)
    status, _, page = w.send(acs, fields)
    assert status == 403
    assert f"data-check='{check}'" in page, page


def test_a_skew_within_tolerance_is_accepted(clean: SamlFleet) -> None:
    clean.idp.inject(ResponseFaults(clock_skew_seconds=30))
    w = Walker()
    acs, fields = _until_acs_post(clean, w)
    assert w.send(acs, fields)[0] == 302


def test_a_replayed_response_is_refused(clean: SamlFleet) -> None:
    w = Walker()
    acs, fields = _until_acs_post(clean, w)
    assert w.send(acs, fields)[0] == 302
    status, _, page = Walker().send(acs, fields)
    assert status == 403 and ("data-check='replay'" in page or "data-check='InResponseTo'" in page)


def test_an_unsolicited_response_is_refused(clean: SamlFleet) -> None:
    user = clean.users["b.simon@contoso.com"]
    xml = clean.idp.issue_response(user, clean.sp.settings.entity_id, clean.sp.settings.acs_url, None)
    import base64

    status, _, page = Walker().send(clean.sp.settings.acs_url, {"SAMLResponse": base64.b64encode(xml).decode()})
    assert status == 403 and "data-check='InResponseTo'" in page and "unsolicited" in page


def test_a_wrong_password_keeps_the_user_at_the_idp(clean: SamlFleet) -> None:
    w = Walker()
    _, headers, _ = w.send(clean.sp.settings.base_url + "/protected/page")
    _, headers, _ = w.send(headers["location"])
    page = w.send(urljoin(clean.idp.settings.base_url, headers["location"]))[2]
    ctx = re.search(r"name='ctx' value='([^']+)'", page).group(1)  # type: ignore[union-attr]
    status, _, page = w.send(clean.idp.settings.base_url + "/login", {"ctx": ctx, "username": "b.simon@contoso.com", "password": "nope"})
    assert status == 401 and "incorrect" in page and "SAMLResponse" not in page


def test_the_authn_request_names_the_sp_and_its_acs(clean: SamlFleet) -> None:
    _, headers, _ = Walker().send(clean.sp.settings.base_url + "/protected/page")
    message = decode_redirect(headers["location"].split("?", 1)[1])
    request = message.message
    assert request.issuer == clean.sp.settings.entity_id  # type: ignore[union-attr]
    assert request.destination == clean.idp.settings.sso_url  # type: ignore[union-attr]
    assert message.relay_state == "/protected/page"


def test_both_metadata_documents_load_in_pysaml2(fleet: SamlFleet) -> None:
    for entity_id, xml in ((fleet.idp.settings.entity_id, fleet.idp.metadata_xml), (fleet.sp.settings.entity_id, fleet.sp.metadata_xml)):
        store = MetadataStore(attrc=None, config=Config())
        store.load("inline", xml)
        assert entity_id in store.keys()
