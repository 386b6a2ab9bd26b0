"""Hand-built hops and signed SAML Responses for diagnosis tests (keys generated inside the tests)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode

from lxml import etree

from sso_harness.capture.hop import Hop
from sso_harness.protocols.xml import dsig as xmldsig
from sso_harness.mocks.base.clock import counter_ids
from sso_harness.mocks.base.keys import KeyPair, make_keypair
from sso_harness.mocks.saml.response_builder import AssertionSpec, ResponseSpec, StatusSpec, build_response

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone.utc)
T0 = NOW.timestamp()
SP = "https://sp.example.com"
IDP = "https://idp.example.net"
BROWSER = (("User-Agent", "Mozilla/5.0"), ("Sec-Fetch-Mode", "navigate"), ("Sec-Fetch-Dest", "document"))
EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"


def hop(i: int, method: str, url: str, status: int = 200, *, at: float | None = None, headers: Sequence[tuple[str, str]] = (),
        form: dict[str, str] | None = None, resp_headers: Sequence[tuple[str, str]] = (), resp_json: object = None,
        browser: bool = True) -> Hop:
    h = tuple(BROWSER if browser else (("User-Agent", "python-requests/2"),)) + tuple(headers)
    body = b""
    if form is not None:
        body = urlencode(form).encode()
        h += (("Content-Type", "application/x-www-form-urlencoded"),)
    resp = tuple(resp_headers)
    resp_body = b""
    if resp_json is not None:
        resp_body = json.dumps(resp_json).encode()
        resp += (("Content-Type", "application/json"),)
    start = T0 + (i if at is None else at)
    return Hop(i, method, url, h, body, status, resp, start, start + 0.01, response_body=resp_body)


def keypair(tmp: Path, name: str, *, born: dt.datetime = NOW, days: int = 365) -> KeyPair:
    return make_keypair(name, tmp, now=born, valid_days=days)


def signed_response(keys: KeyPair | None, *, issued: dt.datetime = NOW, audience: str = f"{SP}/metadata",
                    recipient: str = f"{SP}/acs", destination: str = f"{SP}/acs", name_id: str = "b.simon@contoso.com",
                    in_response_to: str | None = "id-req-1", status: StatusSpec = StatusSpec(),
                    lifetime: dt.timedelta = dt.timedelta(minutes=60)) -> str:
    assertion = None
    if status.code.endswith("Success"):
        assertion = AssertionSpec(issuer=f"{IDP}/metadata", name_id=name_id, name_id_format=EMAIL, audience=audience,
                                  recipient=recipient, in_response_to=in_response_to, attributes={"mail": [name_id]},
                                  lifetime=lifetime)
    spec = ResponseSpec(issuer=f"{IDP}/metadata", destination=destination, in_response_to=in_response_to,
                        issue_instant=issued, status=status, assertion=assertion)
    response, element = build_response(spec, counter_ids())
    if keys is not None and element is not None:
        xmldsig.sign_element(element, keys.key, keys.cert)
    return base64.b64encode(etree.tostring(response)).decode()


def authn_request_url(request_id: str = "id-req-1", relay_state: str | None = "/app/start", acs: str = f"{SP}/acs") -> str:
    import zlib

    xml = (f'<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
           f'ID="{request_id}" Version="2.0" IssueInstant="2026-11-22T12:00:00Z" Destination="{IDP}/sso" '
           f'AssertionConsumerServiceURL="{acs}"><saml:Issuer>{SP}/metadata</saml:Issuer></samlp:AuthnRequest>').encode()
    c = zlib.compressobj(wbits=-15)
    params = {"SAMLRequest": base64.b64encode(c.compress(xml) + c.flush()).decode()}
    if relay_state is not None:
        params["RelayState"] = relay_state
    return f"{IDP}/sso?{urlencode(params)}"
