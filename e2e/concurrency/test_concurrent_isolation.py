"""Flows run at once keep apart: each sees only its own injected fault, in its own trace and verdict.

Four flows of the embedded mock target run together in one browser, through
one capture proxy, against one mock fleet
(:class:`~sso_harness.targets.concurrent.FlowPool`, four lanes), each with a
different fault injected for its own app. The Jira flow's fault is in a
token its relying party fetches server to server, so its trace also shows
that a back-channel call lands in the lane of the browser that caused it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from sso_harness.capture import CaptureProxy
from sso_harness.expect import expect
from sso_harness.targets.concurrent import FlowOutcome, FlowPool
from sso_harness.targets.mock_target import mock_target
from sso_harness.targets.runner import FlowCase
from sso_harness.trace.trace import Trace

pytestmark = pytest.mark.e2e

EVIL_AUDIENCE = "https://evil.example/atlassian"
INTRUDER = "intruder@contoso.com"
EVIL_TOKEN_AUDIENCE = "api://evil-jira"


def _ports(trace: Trace) -> set[int]:
    return {urlsplit(h.hop.url).port or 0 for h in trace}


def _saml_value(trace: Trace, what: str) -> object:
    return getattr(expect(trace).saml_response, what).actual


def test_concurrent_flows_see_only_their_own_fault(browser: Any, sso_proxy: CaptureProxy, mock_fleet: Any,
                                                    inject_fault: Any) -> None:
    from sso_harness.mocks.scenario import IDS

    inject_fault("entra", audience=EVIL_AUDIENCE, app=IDS.atlassian_app)
    inject_fault("entra", expired=True, app=IDS.alibaba_app)
    inject_fault("entra", name_id=INTRUDER, app=IDS.mitel_app)
    inject_fault("entra", audience=EVIL_TOKEN_AUDIENCE, app=IDS.jira_client)
    cases = [FlowCase("atlassian", "sp_initiated", 0), FlowCase("alibaba", "sp_initiated", 0),
             FlowCase("mitel", "sp_initiated", 0), FlowCase("jira", "oauth_code", 0)]
    pool = FlowPool(browser, sso_proxy, mock_target(mock_fleet), concurrency=4, screenshots=False)
    try:
        outcomes = pool.run(cases)
    finally:
        pool.close()
    atlassian, alibaba, mitel, jira = outcomes

    # They ran together: every flow started before the first one ended, each in a lane of its own.
    assert max(o.started for o in outcomes) < min(o.ended for o in outcomes)
    assert len({o.lane for o in outcomes}) == 4

    # Each verdict is its own fault's.
    codes = {o.case.sp: getattr(o.error, "code", None) for o in outcomes}
    assert codes == {"atlassian": "expect.audience", "alibaba": "expect.time", "mitel": "expect.name_id", "jira": None}

    # Each trace holds only its own SP's and the IdP's hops...
    urls = mock_fleet.urls()
    entra = urlsplit(urls["entra"]).port
    for o in outcomes:
        assert o.trace is not None
        assert _ports(o.trace) == {entra, urlsplit(urls[o.case.sp]).port}, o.trace.summary()

    # ...and its own fault only.
    saml = {o.case.sp: o.trace for o in (atlassian, alibaba, mitel) if o.trace is not None}
    assert _saml_value(saml["atlassian"], "audience") == EVIL_AUDIENCE
    assert _saml_value(saml["alibaba"], "audience") != EVIL_AUDIENCE != _saml_value(saml["mitel"], "audience")
    assert _saml_value(saml["mitel"], "name_id") == INTRUDER
    assert _saml_value(saml["atlassian"], "name_id") == _saml_value(saml["alibaba"], "name_id") == "b.simon@contoso.com"
    expect(saml["atlassian"]).saml_response.is_valid_at()  # the expired assertion was Alibaba's alone
    expect(saml["mitel"]).saml_response.is_valid_at()

    # The token the relying party redeemed server to server is in Jira's trace, and only there.
    assert jira.trace is not None
    aud = expect(jira.trace).access_token.claim("aud").actual
    assert aud == EVIL_TOKEN_AUDIENCE or EVIL_TOKEN_AUDIENCE in aud  # type: ignore[operator]  # a claim is a string or a list
    token_hops = {o.case.sp: [h for h in o.trace if h.hop.path.endswith("/oauth2/v2.0/token")] for o in outcomes if o.trace}
    assert [sp for sp, hops in token_hops.items() if hops] == ["jira"]
    assert all("traceparent" not in dict(h.hop.request_headers) for o in outcomes if o.trace for h in o.trace)


def test_outcomes_are_in_the_order_given_whatever_order_they_end(browser: Any, sso_proxy: CaptureProxy,
                                                                  mock_fleet: Any) -> None:
    cases = [FlowCase("mitel", "sp_initiated", 0)] * 3
    pool = FlowPool(browser, sso_proxy, mock_target(mock_fleet), concurrency=2, screenshots=False)
    try:
        outcomes: list[FlowOutcome] = pool.run(cases)
    finally:
        pool.close()
    assert [o.index for o in outcomes] == [0, 1, 2]
    assert all(o.passed for o in outcomes), [repr(o.error) for o in outcomes]
    assert len({o.lane for o in outcomes}) == 2  # two lanes served three flows
