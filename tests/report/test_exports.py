"""Exports (trace JSON, HAR, SAML-tracer) redact every planted secret and round-trip."""

from __future__ import annotations

import base64
import datetime as dt
import json
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import pytest
from lxml import etree

from sso_harness.capture.hop import Hop
from sso_harness.protocols.xml import dsig as xmldsig
from sso_harness.report.har import dump_har
from sso_harness.report.redact import Redactor
from sso_harness.report.samltracer import SamlTracerImportError, dump_samltracer, load_samltracer
from sso_harness.report.trace_json import TraceFormatError, dump_trace, load_trace
from sso_harness.trace.trace import DecodeContext, Trace
from sso_harness.mocks.base.clock import counter_ids
from sso_harness.mocks.base.keys import make_keypair
from sso_harness.mocks.saml.response_builder import AssertionSpec, ResponseSpec, build_response

from .secret_scan import leaks

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone.utc)
PASSWORD = "Planted-Pa55word-7731"
CLIENT_SECRET = "Planted~ClientSecret~Q8w3e4r5"
CODE = "PlantedAuthzCode0.AVQAu7Jx2K"
REFRESH = "PlantedRefresh.0.ARoA9xYz-123"
ACCESS = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.PlantedAccess.c2ln"
COOKIE = "PlantedSessionCookie-5f2a9c"
BEARER = "PlantedBearerHeaderValue-77"
SECRETS = [PASSWORD, CLIENT_SECRET, CODE, REFRESH, ACCESS, COOKIE, BEARER]


@pytest.fixture(scope="module")
def keys():  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as d:
        yield make_keypair("export-test-idp", Path(d), now=NOW)


def _signed_response(keys) -> bytes:  # type: ignore[no-untyped-def]
    spec = ResponseSpec(
        issuer="http://127.0.0.1:6000/metadata", destination="http://127.0.0.1:5000/acs", in_response_to="id-1",
        issue_instant=NOW,
        assertion=AssertionSpec(issuer="http://127.0.0.1:6000/metadata", name_id="b.simon@contoso.com",
                                name_id_format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
                                audience="http://127.0.0.1:5000/metadata", recipient="http://127.0.0.1:5000/acs",
                                in_response_to="id-1", attributes={"mail": ["b.simon@contoso.com"]}),
    )
    response, assertion = build_response(spec, counter_ids())
    xmldsig.sign_element(assertion, keys.key, keys.cert)
    return etree.tostring(response)


def _hop(i: int, method: str, url: str, status: int, *, headers=(), body: b"" = b"", resp_headers=(), resp_body=b"") -> Hop:  # type: ignore[no-untyped-def,valid-type]
    h = (("User-Agent", "Mozilla/5.0"), ("Sec-Fetch-Mode", "navigate"), *headers)
    if body:
        h += (("Content-Type", "application/x-www-form-urlencoded"),)
    return Hop(i, method, url, h, body, status, tuple(resp_headers), 1_700_000_000.0 + i, 1_700_000_000.01 + i, response_body=resp_body)


@pytest.fixture(scope="module")
def planted(keys) -> Trace:  # type: ignore[no-untyped-def]
    saml = base64.b64encode(_signed_response(keys)).decode()
    hops = [
        _hop(0, "POST", "http://127.0.0.1:6000/login", 200, body=urlencode({"username": "b.simon@contoso.com", "password": PASSWORD}).encode(),
             headers=(("Cookie", f"mockidp_session={COOKIE}"),), resp_headers=(("Set-Cookie", f"mockidp_session={COOKIE}; Path=/; HttpOnly"),)),
        _hop(1, "GET", f"http://127.0.0.1:5000/cb?code={CODE}&state=xyz", 302,
             resp_headers=(("Location", f"http://127.0.0.1:5000/next?code={CODE}"),)),
        Hop(2, "POST", "http://127.0.0.1:6000/token",
            (("User-Agent", "Python-urllib/3.11"), ("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", f"Bearer {BEARER}")),
            urlencode({"grant_type": "authorization_code", "code": CODE, "client_secret": CLIENT_SECRET}).encode(),
            200, (("Content-Type", "application/json"),), 1_700_000_002.0, 1_700_000_002.1,
            response_body=json.dumps({"access_token": ACCESS, "refresh_token": REFRESH, "token_type": "Bearer"}).encode()),
        _hop(3, "POST", "http://127.0.0.1:5000/acs", 302, body=urlencode({"SAMLResponse": saml, "RelayState": "/app"}).encode()),
    ]
    return Trace.from_hops(hops, trusted_certs=[keys.cert], now=NOW)


def _exports(trace: Trace, redactor: Redactor) -> dict[str, str]:
    return {
        "trace.json": dump_trace(trace, redactor),
        "trace.har": dump_har(trace, redactor),
        "saml-tracer.json": dump_samltracer(trace, redactor, now=NOW),
        "REDACTIONS.txt": redactor.report_text(),
    }


def test_no_planted_secret_appears_in_any_export(planted: Trace) -> None:
    files = _exports(planted, Redactor())
    for name, text in files.items():
        assert leaks(text, SECRETS) == [], name
    assert planted.saml_response.trusted  # the capture itself is intact


def test_saml_signature_values_are_removed_unless_redaction_is_off(planted: Trace) -> None:
    signature_value = etree.fromstring(planted.saml_response_hop.saml.xml).findtext(".//{http://www.w3.org/2000/09/xmldsig#}SignatureValue")  # type: ignore[union-attr]
    core = signature_value.strip()[:40]  # type: ignore[union-attr]
    assert core not in dump_trace(planted, Redactor())
    assert core in dump_trace(planted, Redactor(enabled=False))


def test_redaction_report_lists_places_never_values(planted: Trace) -> None:
    r = Redactor()
    _exports(planted, r)
    report = r.report_text()
    assert "hop #0 request form: password" in report and "client_secret" in report and "cookie mockidp_session" in report
    assert "Authorization header" in report and "refresh_token" in report and "XML signature value" in report
    assert leaks(report, SECRETS) == []


def test_no_redact_mode_is_explicit_in_the_file(planted: Trace) -> None:
    data = json.loads(dump_trace(planted, Redactor(enabled=False)))
    assert data["redaction"] == {"enabled": False, "pii_masked": False}
    assert PASSWORD in json.dumps(data)


def test_pii_mode_masks_name_id_and_attributes_stably(planted: Trace) -> None:
    r = Redactor(pii=True, salt=b"fixed-salt")
    text = dump_trace(planted, r)
    assert "b.simon@contoso.com" not in text
    token = r.pii_token("b.simon@contoso.com")
    data = json.loads(text)
    (message,) = data["hops"][3]["messages"]
    assert message["decoded"]["name_id"]["value"] == token
    assert message["decoded"]["attributes"]["mail"] == [token]  # equal values stay equal


def test_trace_json_round_trips(planted: Trace, keys) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(dump_trace(planted, Redactor()))
    assert data["schema"] == "sso-harness/trace" and data["version"] == 1
    assert [h["back_channel"] for h in data["hops"]] == [False, False, True, False]
    again = load_trace(dump_trace(planted, Redactor(enabled=False)), context=DecodeContext(trusted_certs=[keys.cert], now=NOW))
    assert again.saml_response.assertion.name_id.value == "b.simon@contoso.com"  # type: ignore[union-attr]
    assert again.saml_response.trusted  # unredacted: still verifiable
    redacted = load_trace(dump_trace(planted, Redactor()), context=DecodeContext(trusted_certs=[keys.cert], now=NOW))
    assert not redacted.saml_response.trusted  # redacted signature values no longer verify


def test_samltracer_export_has_the_documented_shape_and_imports_back(planted: Trace, keys) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(dump_samltracer(planted, Redactor(), now=NOW))
    assert data["timestamp"] == "2026-11-22T12:00:00.000Z"
    acs = data["requests"][3]
    assert acs["protocol"] == "SAML-P" and acs["saml"].startswith("<samlp:Response")
    assert acs["responseStatusText"] == "HTTP/1.1 302 Found"
    assert {"name", "value"} == set(acs["requestHeaders"][0])
    back = load_samltracer(dump_samltracer(planted, Redactor(enabled=False), now=NOW), context=DecodeContext(trusted_certs=[keys.cert], now=NOW))
    assert back.saml_response.assertion.name_id.value == "b.simon@contoso.com" and back.saml_response.trusted  # type: ignore[union-attr]


def test_har_is_valid_1_2_with_redacted_bodies(planted: Trace) -> None:
    har = json.loads(dump_har(planted, Redactor()))
    entries = har["log"]["entries"]
    assert har["log"]["version"] == "1.2" and len(entries) == 4
    token = entries[2]
    assert json.loads(token["response"]["content"]["text"])["refresh_token"] == "[redacted]"
    assert token["_backChannel"] is True
    assert entries[1]["response"]["redirectURL"].endswith("code=%5Bredacted%5D")


@pytest.mark.parametrize("bad", [b"", b"{}", b'{"requests": []}', b"[1,2]", b'{"requests": [{"x": 1}]}'])
def test_bad_samltracer_files_get_a_clear_error(bad: bytes) -> None:
    with pytest.raises(SamlTracerImportError):
        load_samltracer(bad)


@pytest.mark.parametrize("bad", [b"nope", b"{}", b'{"schema": "sso-harness/trace", "version": 99}', b'{"schema": "sso-harness/trace", "version": 1, "hops": [{"index": 1}]}'])
def test_bad_trace_files_get_a_clear_error(bad: bytes) -> None:
    with pytest.raises(TraceFormatError):
        load_trace(bad)
