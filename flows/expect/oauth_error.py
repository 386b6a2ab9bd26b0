"""Expectations on the trace's first OAuth error answer (authorization or token response)."""

from __future__ import annotations

from sso_harness.expect.codes import EXPECT_IDP_ERROR
from sso_harness.expect.failure import fail
from sso_harness.expect.subject import Subject
from sso_harness.protocols.oauth import AuthorizeResponse, TokenResponse
from sso_harness.trace.trace import Trace

__all__ = ["OAuthErrorExpectations"]


class OAuthErrorExpectations:
    """The first OAuth error answer of the trace (authorization response or token response)."""

    def __init__(self, trace: Trace) -> None:
        self._trace = trace
        answers = [(h, m) for h in trace for d in h.messages
                   if isinstance(m := d.message, (AuthorizeResponse, TokenResponse)) and m.error is not None]
        self._found = answers[0] if answers else None

    def _where(self) -> str:
        return self._found[0].label if self._found else "-"

    @property
    def error(self) -> Subject:
        return Subject("OAuth error", self._found[1].error if self._found else None, self._where(), self._trace,
                       EXPECT_IDP_ERROR)

    @property
    def error_description(self) -> Subject:
        return Subject("OAuth error_description", self._found[1].error_description if self._found else None,
                       self._where(), self._trace, EXPECT_IDP_ERROR)

    @property
    def error_codes(self) -> Subject:
        """The AADSTS codes the answer carries (``error_codes`` or in its description); empty elsewhere."""
        return Subject("AADSTS codes", list(self._found[1].error_codes) if self._found else [], self._where(), self._trace,
                       EXPECT_IDP_ERROR)

    def none(self) -> None:
        """No authorization or token response of the trace is an error."""
        if self._found is not None:
            hop, answer = self._found
            raise fail("OAuth error", hop.label, None, answer.error, self._trace, answer.error_description or "",
                       code=EXPECT_IDP_ERROR)
