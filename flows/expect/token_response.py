"""Expectations on the trace's last token response: the scopes granted, a refresh token issued or not."""

from __future__ import annotations

from sso_harness.expect.codes import EXPECT_CLAIMS, EXPECT_MISSING, EXPECT_TOKEN
from sso_harness.expect.failure import ExpectationFailed, fail
from sso_harness.expect.lookup import messages
from sso_harness.expect.subject import Subject
from sso_harness.protocols.oauth import TokenResponse
from sso_harness.trace.trace import Trace

__all__ = ["TokenResponseExpectations"]


class TokenResponseExpectations:
    """The last token response of the trace (the code's redemption)."""

    def __init__(self, trace: Trace) -> None:
        found = messages(trace, TokenResponse.kind)
        if not found:
            raise ExpectationFailed("no token response in the trace: the token exchange was not seen (a confidential "
                                    "client redeems the code from its server, not through the browser's proxy)\n"
                                    f"trace:\n{trace.summary()}", EXPECT_MISSING)
        self._trace = trace
        self._hop, self._response = found[-1]
        self._requested = [m.scope for _, m in messages(trace, "oauth.authorize_request")]

    @property
    def scopes(self) -> Subject:
        """The scopes granted: the response's ``scope``, or the requested ones when it has none (RFC 6749 §5.1)."""
        granted = list(self._response.scope) or (list(self._requested[-1]) if self._requested else [])
        return Subject("scopes granted", granted, self._hop.label, self._trace, EXPECT_CLAIMS)

    def refresh_token_issued(self, issued: bool = True) -> None:
        present = bool(self._response.refresh_token)
        if present != issued:
            raise fail("refresh token", self._hop.label, "issued" if issued else "not issued",
                       "issued" if present else "not issued", self._trace, code=EXPECT_TOKEN)
