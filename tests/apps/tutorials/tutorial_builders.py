"""Hand-built hops and traces for the tutorial runner's unit tests (no browser, no network).

SAML Responses are built by the mocks' own builder and signed for real with
a key generated for the test; OAuth hops carry the shapes an IdP answers with.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import zlib
from urllib.parse import quote, urlencode

from lxml import etree

from sso_harness.capture.hop import Hop
from sso_harness.protocols.xml import dsig as xmldsig
from sso_harness.trace.trace import Trace
from sso_harness.apps.tutorials.outcome import FlowOutcome
from sso_harness.mocks.base.clock import counter_ids
from sso_harness.mocks.saml.response_builder import AssertionSpec, ResponseSpec, build_response

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone.utc)
SP = "http://127.0.0.1:5100"
IDP = "http://127.0.0.1:6100"
ACS = f"{SP}/acs"
SP_ENTITY = f"{SP}/metadata"
IDP_ENTITY = f"{IDP}/idp"


def browser_hop(i: int, method: str, url: str, status: int, *, body: bytes = b"", location: str | None = None,
                response_body: bytes = b"", response_type: str | None = None) -> Hop:
    headers = [("User-Agent", "Mozilla/5.0"), ("Sec-Fetch-Mode", "navigate"), ("Sec-Fetch-Dest", "document")]
    if body:
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    response = [("Location", location)] if location else []
    if response_type:
        response.append(("Content-Type", response_type))
    return Hop(i, method, url, tuple(headers), body, status, tuple(response), 100.0 + i, 100.01 + i, response_body=response_body)


def server_hop(i: int, url: str, form: dict[str, str], status: int, answer: dict[str, object]) -> Hop:
    """A back-channel POST (no browser headers) with a JSON answer, like a token request."""
    return Hop(i, "POST", url, (("User-Agent", "python-urllib"), ("Content-Type", "application/x-www-form-urlencoded")),
               urlencode(form).encode(), status, (("Content-Type", "application/json"),), 100.0 + i, 100.01 + i,
               response_body=json.dumps(answer).encode())


def authn_request(request_id: str = "id-req-1", issuer: str = SP_ENTITY) -> str:
    xml = (
        f'<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
        f'ID="{request_id}" Version="2.0" IssueInstant="2026-11-22T11:59:59Z" Destination="{IDP}/sso" '
        f'AssertionConsumerServiceURL="{ACS}"><saml:Issuer>{issuer}</saml:Issuer></samlp:AuthnRequest>'
    )
    deflater = zlib.compressobj(wbits=-15)
    return base64.b64encode(deflater.compress(xml.encode()) + deflater.flush()).decode()


def saml_response(keys, *, name_id: str = "b.simon@contoso.com", in_response_to: str | None = "id-req-1",  # type: ignore[no-untyped-def]
                  attributes: dict[str, list[str]] | None = None, sign: bool = True) -> bytes:
    spec = ResponseSpec(
        issuer=IDP_ENTITY, destination=ACS, in_response_to=in_response_to, issue_instant=NOW,
        assertion=AssertionSpec(issuer=IDP_ENTITY, name_id=name_id, name_id_format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
                                audience=SP_ENTITY, recipient=ACS, in_response_to=in_response_to,
                                attributes=attributes or {"mail": [name_id]}),
    )
    response, assertion = build_response(spec, counter_ids())
    if sign:
        xmldsig.sign_element(assertion, keys.key, keys.cert)
    return etree.tostring(response)


def sp_initiated_trace(keys, response_xml: bytes, *, relay_state: str = f"{SP}/app", final_status: int = 200) -> Trace:  # type: ignore[no-untyped-def]
    form = urlencode({"SAMLResponse": base64.b64encode(response_xml).decode(), "RelayState": relay_state}).encode()
    hops = [
        browser_hop(0, "GET", f"{SP}/app", 302),
        browser_hop(1, "GET", f"{IDP}/sso?SAMLRequest={quote(authn_request(), safe='')}&RelayState={quote(relay_state, safe='')}", 200),
        browser_hop(2, "POST", ACS, 302, body=form),
        browser_hop(3, "GET", f"{SP}/app", final_status),
    ]
    return Trace.from_hops(hops, trusted_certs=[keys.cert], now=NOW)


def oauth_trace(*, token_status: int = 200, token_answer: dict[str, object] | None = None, callback_error: str | None = None) -> Trace:
    authorize = f"{IDP}/common/oauth2/v2.0/authorize?" + urlencode({
        "client_id": "client-1", "response_type": "code", "redirect_uri": f"{SP}/cb",
        "scope": "https://outlook.office.com/IMAP.AccessAsUser.All offline_access", "state": "st-1",
    })
    if callback_error:
        callback = f"{SP}/cb?" + urlencode({"error": "invalid_client", "error_description": callback_error, "state": "st-1"})
        hops = [browser_hop(0, "GET", authorize, 302, location=callback), browser_hop(1, "GET", callback, 400)]
        return Trace.from_hops(hops, now=NOW)
    callback = f"{SP}/cb?" + urlencode({"code": "c0de", "state": "st-1"})
    answer = token_answer or {"access_token": "at-x", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "rt-x",
                              "scope": "https://outlook.office.com/IMAP.AccessAsUser.All"}
    hops = [
        browser_hop(0, "GET", authorize, 302, location=callback),
        server_hop(1, f"{IDP}/common/oauth2/v2.0/token",
                   {"grant_type": "authorization_code", "code": "c0de", "redirect_uri": f"{SP}/cb", "client_id": "client-1",
                    "client_secret": "s3cret"}, token_status, answer),
        browser_hop(2, "GET", callback, 200 if token_status == 200 else 400),
    ]
    return Trace.from_hops(hops, now=NOW)


def outcome(trace: Trace | None, *, final_url: str | None = f"{SP}/app", refusal: str | None = None,
            error: str | None = None, flow: str = "f") -> FlowOutcome:
    return FlowOutcome(flow, trace, None, final_url, refusal, error)
