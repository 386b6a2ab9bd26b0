"""Expectations over a :class:`~sso_harness.trace.trace.Trace` that explain themselves.

    expect(trace).saml_response.name_id == "b.simon@contoso.com"
    expect(trace).saml_response.audience.equals(sp.entity_id)
    expect(trace).saml_response.is_trusted()
    expect(trace).relay_state.round_trips()
    expect(trace).redirect_chain.follows([...])
    expect(trace).id_token.claim("aud").has("my-client-id")
    expect(trace).id_token.is_trusted()
    expect(trace).token_response.scopes.contains("email")
    expect(trace).oauth_error.error == "access_denied"

Every failure raises :class:`ExpectationFailed` (an ``AssertionError``, so
pytest reports it as a test failure) saying what was expected, what was
seen, and at which hop, followed by the trace's hop list. Its ``code``
(one of the ``EXPECT_*`` codes of :mod:`.codes`) says what kind of thing did not hold,
and the message starts with it (``expect.audience: SAML Response Audience
...``), so a report can sort failures by code (the Allure categories do).

One module per concept: :mod:`.codes`, :mod:`.failure`, :mod:`.subject`,
:mod:`.lookup`, one per subject family (:mod:`.saml_response`,
:mod:`.relay_state`, :mod:`.redirect_chain`, :mod:`.claims`,
:mod:`.token_response`, :mod:`.oauth_error`) and :mod:`.entry`. This
package's face is the public API: import from ``sso_harness.expect``.
"""

from sso_harness.expect.codes import (
    EXPECT_AUDIENCE,
    EXPECT_CHAIN,
    EXPECT_CLAIMS,
    EXPECT_CORRELATION,
    EXPECT_IDP_ERROR,
    EXPECT_MISSING,
    EXPECT_NAME_ID,
    EXPECT_RECIPIENT,
    EXPECT_RELAY_STATE,
    EXPECT_TIME,
    EXPECT_TOKEN,
    EXPECT_TRUST,
    EXPECT_VALUE,
)
from sso_harness.expect.entry import TraceExpectations, expect
from sso_harness.expect.failure import ExpectationFailed
from sso_harness.expect.subject import Subject

__all__ = [
    "EXPECT_AUDIENCE", "EXPECT_CHAIN", "EXPECT_CLAIMS", "EXPECT_CORRELATION", "EXPECT_IDP_ERROR", "EXPECT_MISSING",
    "EXPECT_NAME_ID", "EXPECT_RECIPIENT", "EXPECT_RELAY_STATE", "EXPECT_TIME", "EXPECT_TOKEN", "EXPECT_TRUST",
    "EXPECT_VALUE", "ExpectationFailed", "Subject", "expect",
]
