"""The attacker site, the vulnerable targets' switches and their careless parsing pieces."""

from __future__ import annotations

import json
import urllib.request

import pytest

from sso_harness.apps.security.driver import IdentityProbe
from sso_harness.apps.security.driver_http import HttpDriver
from sso_harness.apps.security.saml_tamper import external_entity_probe, with_doctype
from sso_harness.mocks.attack_lab import same_origin, serve_attacker_site
from sso_harness.protocols import DecodeError
from sso_harness.mocks.sps import naive_saml
from sso_harness.mocks.sps.saml_weaknesses import OPENS, SamlWeakness, open_to, parse_weaknesses


def _fetch(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=5) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_the_site_stages_self_acting_pages_and_records_what_comes_back() -> None:
    with serve_attacker_site() as site:
        form = site.stage_form("http://127.0.0.1:9/acs", {"SAMLResponse": "a'b<c", "RelayState": None})
        status, body = _fetch(form)
        assert status == 200 and b"name='SAMLResponse' value='a&#x27;b&lt;c'" in body and b"RelayState" not in body
        assert b"document.getElementById('attack').submit()" in body
        status, body = _fetch(site.stage_redirect("http://127.0.0.1:9/cb?code=1&state=2"))
        assert b"<a id='next' href='http://127.0.0.1:9/cb?code=1&amp;state=2'>" in body
        token = site.token()
        assert _fetch(site.oob_url(token))[0] == 200
        assert site.external_url(token).startswith(f"http://localhost:{site.port}/")
        assert _fetch(site.external_url(token).replace("localhost", "127.0.0.1") + "?code=x")[0] == 200
        assert [h.kind for h in site.hits("oob", token)] == ["oob"]
        assert site.hits("landing", token)[0].query == {"code": "x"}
        assert site.hits("oob", "other") == []
        site.reset()
        assert site.hits("oob") == [] and _fetch(form)[0] == 404
    assert same_origin("http://127.0.0.1:5/x", "http://127.0.0.1:5") and not same_origin("http://localhost:5/", "http://127.0.0.1:5")


def test_the_http_driver_follows_the_attackers_pages_and_reads_identity(lab) -> None:  # type: ignore[no-untyped-def]
    driver = HttpDriver()
    sp = lab.vulnerable_sp
    landing = driver.open(lab.site.stage_redirect(f"{sp.base_url}/whoami"), until_leaves=lab.site.origin)
    assert landing.url == f"{sp.base_url}/whoami" and landing.status == 401 and landing.title == "Not signed in"
    assert driver.identity(IdentityProbe(f"{sp.base_url}/whoami", "//*[@id='user']")) is None
    assert driver.has_element("signed-out") and not driver.has_element("user")


def test_weakness_names_are_checked_and_the_wrapping_readers_exclude_each_other() -> None:
    assert parse_weaknesses(["xxe", SamlWeakness.OPEN_REDIRECT]) == {SamlWeakness.XXE, SamlWeakness.OPEN_REDIRECT}
    with pytest.raises(ValueError, match="unknown SAML weakness 'nope'"):
        parse_weaknesses(["nope"])
    with pytest.raises(ValueError, match="an SP has one"):
        open_to(["xsw-root-assertion", "xsw-first-assertion"])
    assert set(OPENS) == set(SamlWeakness)


def test_the_vulnerable_sp_switches_through_its_admin_api(lab) -> None:  # type: ignore[no-untyped-def]
    base = lab.vulnerable_sp.base_url
    status, body = _fetch(f"{base}/_admin/weaknesses", json.dumps({"weaknesses": ["xxe", "no-audience"]}).encode())
    assert status == 200 and json.loads(body)["weaknesses"] == ["no-audience", "xxe"]
    assert json.loads(_fetch(f"{base}/_admin/weaknesses")[1])["weaknesses"] == ["no-audience", "xxe"]
    assert _fetch(f"{base}/_admin/weaknesses", b'{"weaknesses": ["nope"]}')[0] == 400
    lab.vulnerable_sp.reset()
    assert lab.vulnerable_sp.weaknesses == frozenset()


def test_the_relying_party_switches_through_its_admin_api(lab) -> None:  # type: ignore[no-untyped-def]
    base = lab.vulnerable_rp.base_url
    status, body = _fetch(f"{base}/_admin/weaknesses", json.dumps({"weaknesses": ["no-pkce"]}).encode())
    assert status == 200 and json.loads(body)["weaknesses"] == ["no-pkce"]
    assert _fetch(f"{base}/_admin/weaknesses", b'{"weaknesses": "no-pkce"}')[0] == 400


def test_the_emulated_xxe_parser_fetches_only_loopback_http() -> None:
    with serve_attacker_site() as site:
        token = site.token()
        doc = with_doctype(b"<Response/>", external_entity_probe(site.oob_url(token)))
        naive_saml.parse_with_dtd(doc, expand_entities=False, fetch_external=True)
        assert len(site.hits("oob", token)) == 1
        with pytest.raises(DecodeError, match="does not fetch"):
            naive_saml.parse_with_dtd(doc, expand_entities=True, fetch_external=False)
    remote = with_doctype(b"<Response/>", external_entity_probe("http://example.com/x"))
    with pytest.raises(DecodeError, match="only loopback HTTP"):
        naive_saml.parse_with_dtd(remote, expand_entities=False, fetch_external=True)
    local_file = with_doctype(b"<Response/>", external_entity_probe("file:///etc/hostname"))
    with pytest.raises(DecodeError):
        naive_saml.parse_with_dtd(local_file, expand_entities=True, fetch_external=True)
