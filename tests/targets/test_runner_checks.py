"""check_expectations on a hand-built SP-initiated trace: the file's values are what is checked."""

from __future__ import annotations

import base64
import datetime as dt
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from lxml import etree

from sso_harness.capture.hop import Hop
from sso_harness.expect import ExpectationFailed
from sso_harness.mocks.base.clock import counter_ids
from sso_harness.mocks.base.keys import KeyPair, make_keypair
from sso_harness.mocks.saml.response_builder import AssertionSpec, ResponseSpec, build_response
from sso_harness.protocols.xml import dsig as xmldsig
from sso_harness.targets import Expectations, FlowOverride, IdpSpec, SpSpec
from sso_harness.targets import TestUser as User
from sso_harness.targets.runner import check_expectations
from sso_harness.trace.trace import Trace

WHEN = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone.utc)
APP, IDP = "http://127.0.0.1:5100", "http://127.0.0.1:6100"
EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
ACS, SP_ID, IDP_ID = f"{APP}/saml/acs", f"{APP}/saml/metadata", f"{IDP}/issuer"
USER = User("b.simon@contoso.com", "unused", {"email": "b.simon@contoso.com"})


@pytest.fixture(scope="module")
def trace() -> Iterator[Trace]:
    with tempfile.TemporaryDirectory() as folder:
        yield build_trace(Path(folder))


def build_trace(folder: Path, *, request_attrs: str = "", acs_cookies: tuple[str, ...] = ()) -> Trace:
    """The SP-initiated trace: ``request_attrs`` are added to the AuthnRequest (e.g. ``ForceAuthn="true"``),
    ``acs_cookies`` are Set-Cookie values of the ACS answer."""
    keys: KeyPair = make_keypair("runner-checks-idp", folder, now=WHEN)
    request = (f'<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
               f'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="req-7" Version="2.0" {request_attrs} '
               f'IssueInstant="2026-11-22T11:59:58Z" Destination="{IDP}/saml2" AssertionConsumerServiceURL="{ACS}">'
               f'<saml:Issuer>{SP_ID}</saml:Issuer></samlp:AuthnRequest>')
    packer = zlib.compressobj(wbits=-15)
    saml_request = base64.b64encode(packer.compress(request.encode()) + packer.flush()).decode()
    response, assertion = build_response(ResponseSpec(
        issuer=IDP_ID, destination=ACS, in_response_to="req-7", issue_instant=WHEN,
        assertion=AssertionSpec(issuer=IDP_ID, name_id="b.simon@contoso.com", name_id_format=EMAIL, audience=SP_ID, recipient=ACS,
                                in_response_to="req-7"),
    ), counter_ids())
    xmldsig.sign_element(assertion, keys.key, keys.cert)
    form = urlencode({"SAMLResponse": base64.b64encode(etree.tostring(response)).decode(), "RelayState": "/home"}).encode()
    document = (("sec-fetch-dest", "document"),)
    hops = [
        Hop(0, "GET", f"{APP}/home", document, b"", 302, (), 100.0, 100.01),
        Hop(1, "GET", f"{IDP}/saml2?SAMLRequest={quote(saml_request, safe='')}&RelayState=%2Fhome", document, b"", 302, (), 101.0, 101.01),
        Hop(2, "POST", ACS, (*document, ("content-type", "application/x-www-form-urlencoded")), form, 302,
            tuple(("set-cookie", c) for c in acs_cookies), 102.0, 102.01),
        Hop(3, "GET", f"{APP}/home", document, b"", 200, (), 103.0, 103.01),
    ]
    return Trace.from_hops(hops, trusted_certs=[keys.cert], now=WHEN)


SP = SpSpec("app", entity_id=SP_ID, acs=ACS, sign_on_url=f"{APP}/home", landing_url=f"{APP}/home",
            expect=Expectations(name_id="{user.email}"))
IDP_SPEC = IdpSpec("generic", entity_id=IDP_ID, sign_in_url=f"{IDP}/saml2")


def test_the_files_values_are_checked_without_any_metadata(trace: Trace) -> None:
    check_expectations(trace, SP, USER, "sp_initiated", idp=IDP_SPEC)


@pytest.mark.parametrize(
    ("sp", "idp", "says"),
    [
        (SpSpec("app", entity_id="urn:other-sp", acs=ACS), None, "SAML Response Audience"),
        (SpSpec("app", entity_id=SP_ID, acs=f"{APP}/other-acs"), None, "SAML Response SubjectConfirmationData Recipient"),
        (SP, IdpSpec("generic", entity_id="https://sts.windows.net/other/"), "SAML Response Issuer"),
        (SP, IdpSpec("generic", sign_in_url=f"{IDP}/elsewhere"), "idp.sign_in_url"),
    ],
)
def test_a_value_that_differs_from_the_file_fails_naming_it(trace: Trace, sp: SpSpec, idp: IdpSpec | None, says: str) -> None:
    with pytest.raises(ExpectationFailed, match=says):
        check_expectations(trace, sp, USER, "sp_initiated", idp=idp)


def test_a_flow_override_changes_only_that_flow(trace: Trace) -> None:
    sp = SpSpec("app", entity_id=SP_ID, acs=ACS, expect=Expectations(relay_state="/elsewhere"),
                flows=("sp_initiated",), flow_overrides={"sp_initiated": FlowOverride(expect={"relay_state": None})})
    check_expectations(trace, sp, USER, "sp_initiated")
    with pytest.raises(ExpectationFailed, match="RelayState returned with the Response"):
        check_expectations(trace, sp, USER, "slo_sp")
