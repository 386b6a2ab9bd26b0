"""Trace queries and expectation messages, on hops built by hand (no browser)."""

from __future__ import annotations

import base64
import datetime as dt
import tempfile
import zlib
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from lxml import etree

from sso_harness.capture.hop import Hop
from sso_harness.expect import ExpectationFailed, expect
from sso_harness.protocols.problems import (
    SAML_NOT_ON_OR_AFTER,
    SAML_NOT_TRUSTED,
    SAML_SUBJECT_NOT_ON_OR_AFTER,
    SAML_UNANSWERED,
    Problem,
)
from sso_harness.protocols.saml import Response
from sso_harness.protocols.xml import dsig as xmldsig
from sso_harness.trace.trace import Trace
from sso_harness.mocks.base.clock import counter_ids
from sso_harness.mocks.base.keys import make_keypair
from sso_harness.mocks.saml.response_builder import AssertionSpec, ResponseSpec, build_response

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone.utc)
SP = "http://127.0.0.1:5000"
IDP = "http://127.0.0.1:6000"
ACS = f"{SP}/acs"
REQUEST = (
    f'<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
    f'ID="id-req-1" Version="2.0" IssueInstant="2026-11-22T11:59:59Z" Destination="{IDP}/sso" '
    f'AssertionConsumerServiceURL="{ACS}"><saml:Issuer>{SP}/metadata</saml:Issuer></samlp:AuthnRequest>'
)


@pytest.fixture(scope="module")
def keys():  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as d:
        yield make_keypair("trace-test-idp", Path(d), now=NOW)


def _hop(i: int, method: str, url: str, status: int, body: bytes = b"", dest: str = "document") -> Hop:
    headers = [("sec-fetch-dest", dest)]
    if body:
        headers.append(("content-type", "application/x-www-form-urlencoded"))
    return Hop(i, method, url, tuple(headers), body, status, (), 100.0 + i, 100.01 + i)


def _response(keys, *, audience: str = f"{SP}/metadata", sign: bool = True) -> bytes:  # type: ignore[no-untyped-def]
    spec = ResponseSpec(
        issuer=f"{IDP}/metadata", destination=ACS, in_response_to="id-req-1", issue_instant=NOW,
        assertion=AssertionSpec(issuer=f"{IDP}/metadata", name_id="b.simon@contoso.com",
                                name_id_format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
                                audience=audience, recipient=ACS, in_response_to="id-req-1",
                                attributes={"groups": ["a", "b"]}),
    )
    response, assertion = build_response(spec, counter_ids())
    if sign:
        xmldsig.sign_element(assertion, keys.key, keys.cert)
    return etree.tostring(response)


def _trace(keys, response_xml: bytes, relay_back: str = "/app", now: dt.datetime = NOW) -> Trace:  # type: ignore[no-untyped-def]
    deflater = zlib.compressobj(wbits=-15)
    saml_request = base64.b64encode(deflater.compress(REQUEST.encode()) + deflater.flush()).decode()
    form = urlencode({"SAMLResponse": base64.b64encode(response_xml).decode(), "RelayState": relay_back}).encode()
    hops = [
        _hop(0, "GET", f"{SP}/app", 302),
        _hop(1, "GET", f"{IDP}/sso?SAMLRequest={quote(saml_request, safe='')}&RelayState=%2Fapp", 302),
        _hop(2, "GET", f"{SP}/favicon.ico", 404, dest="image"),
        _hop(3, "POST", ACS, 302, form),
        _hop(4, "GET", f"{SP}/app", 200),
    ]
    return Trace.from_hops(hops, trusted_certs=[keys.cert], now=now)


def _with_response_problems(trace: Trace, problems: tuple[Problem, ...]) -> Trace:
    """The same trace, its SAML Response carrying exactly ``problems``."""
    hop = trace.saml_response_hop
    binding = hop.saml
    assert binding is not None and isinstance(binding.message, Response)
    changed = replace(binding, message=replace(binding.message, problems=problems))
    messages = tuple(replace(m, message=changed) if m.message is binding else m for m in hop.messages)
    return replace(trace, hops=tuple(replace(h, messages=messages) if h is hop else h for h in trace.hops))


def test_a_good_trace_meets_every_expectation(keys) -> None:  # type: ignore[no-untyped-def]
    trace = _trace(keys, _response(keys))
    e = expect(trace)
    e.saml_response.name_id == "b.simon@contoso.com"
    e.saml_response.attribute("groups") == ["a", "b"]
    e.saml_response.audience == f"{SP}/metadata"
    e.saml_response.is_trusted()
    e.saml_response.is_valid_at()
    e.relay_state == "/app"
    e.response_answers_request()
    e.redirect_chain.follows([f"GET {SP}/app", f"GET {IDP}/sso", f"POST {ACS}", f"GET {SP}/app"])
    e.redirect_chain.ends_at(f"{SP}/app")
    assert trace.authn_request.acs_url == ACS


def test_a_mismatch_names_expected_seen_and_the_hop(keys) -> None:  # type: ignore[no-untyped-def]
    trace = _trace(keys, _response(keys, audience="urn:wrong"))
    with pytest.raises(ExpectationFailed) as failure:
        expect(trace).saml_response.audience == f"{SP}/metadata"
    text = str(failure.value)
    assert "SAML Response Audience (at hop #3 POST 127.0.0.1:5000/acs)" in text
    assert f"expected: '{SP}/metadata'" in text and "seen:     'urn:wrong'" in text
    assert "#1 GET 127.0.0.1:6000/sso -> 302  SAMLRequest via HTTP-Redirect" in text


def test_an_unsigned_response_is_not_trusted(keys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ExpectationFailed, match="carry no signature"):
        expect(_trace(keys, _response(keys, sign=False))).saml_response.is_trusted()


def test_a_changed_relay_state_fails_the_round_trip(keys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ExpectationFailed, match="RelayState returned"):
        expect(_trace(keys, _response(keys), relay_back="/elsewhere")).relay_state.round_trips()


def test_a_different_chain_is_shown_side_by_side(keys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ExpectationFailed) as failure:
        expect(_trace(keys, _response(keys))).redirect_chain.follows([f"GET {SP}/app", f"POST {ACS}"])
    assert "≠" in str(failure.value)


def test_asking_for_a_missing_message_lists_the_hops() -> None:
    trace = Trace.from_hops([_hop(0, "GET", f"{SP}/", 200)])
    with pytest.raises(ExpectationFailed, match="the trace has no SAML Response"):
        expect(trace).saml_response.name_id == "x"


def test_an_undecodable_message_stays_on_its_hop(keys) -> None:  # type: ignore[no-untyped-def]
    hop = _hop(0, "POST", ACS, 403, b"SAMLResponse=%%%not-base64")
    trace = Trace.from_hops([hop])
    ((h, err),) = trace.decode_errors
    assert h.hop is hop and "SAMLResponse" in str(err)


def test_exchanges_link_the_request_to_its_response(keys) -> None:  # type: ignore[no-untyped-def]
    (exchange,) = _trace(keys, _response(keys)).exchanges
    assert (exchange.kind, exchange.request_hop, exchange.response_hop, exchange.key) == ("saml.sso", 1, 3, "id-req-1")
    assert exchange.problems == ()


def test_an_unanswered_request_is_a_problem_naming_what_came_instead(keys) -> None:  # type: ignore[no-untyped-def]
    xml = _response(keys).replace(b'InResponseTo="id-req-1"', b'InResponseTo="id-other"')
    exchanges = _trace(keys, xml).exchanges
    assert exchanges[0].response_hop is None
    (problem,) = exchanges[0].problems
    assert problem.code == SAML_UNANSWERED
    assert "no saml.response answers saml.authn_request 'id-req-1'" in problem.message
    assert "'id-other'" in problem.message
    assert exchanges[0].to_json()["problem_codes"] == [SAML_UNANSWERED]
    assert exchanges[0].to_json()["problems"] == [problem.message]
    assert exchanges[1].request_hop is None and "not seen by the proxy" in exchanges[1].notes[0]


def test_an_expired_response_carries_coded_time_problems(keys) -> None:  # type: ignore[no-untyped-def]
    later = _trace(keys, _response(keys), now=NOW + dt.timedelta(hours=2))
    codes = [p.code for p in later.saml_response.problems]
    assert codes == [SAML_NOT_ON_OR_AFTER, SAML_SUBJECT_NOT_ON_OR_AFTER]
    assert later.saml_response.errors == tuple(p.message for p in later.saml_response.problems)
    with pytest.raises(ExpectationFailed, match="Conditions NotOnOrAfter .* is before the evaluation time"):
        expect(later).saml_response.is_valid_at()


def test_is_valid_at_keys_on_the_problem_code_not_its_words(keys) -> None:  # type: ignore[no-untyped-def]
    trace = _trace(keys, _response(keys))
    wordy = _with_response_problems(trace, (Problem(SAML_NOT_TRUSTED, "NotOnOrAfter and NotBefore are fine; trust is not"),))
    expect(wordy).saml_response.is_valid_at()
    terse = _with_response_problems(trace, (Problem(SAML_NOT_ON_OR_AFTER, "too late"),))
    with pytest.raises(ExpectationFailed, match="too late"):
        expect(terse).saml_response.is_valid_at()
