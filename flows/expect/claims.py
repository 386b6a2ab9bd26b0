"""Expectations on the claims of one token or answer (ID token, access token, UserInfo)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sso_harness.expect.codes import EXPECT_CLAIMS, EXPECT_TRUST
from sso_harness.expect.failure import fail
from sso_harness.expect.subject import Subject
from sso_harness.protocols.jose.verdict import JwtVerdict
from sso_harness.trace.trace import Trace, TraceHop

__all__ = ["ClaimsExpectations"]


class ClaimsExpectations:
    """Claims of one token or answer: ``claim(name)`` is a :class:`Subject` (None when absent)."""

    def __init__(self, what: str, claims: Mapping[str, Any], hop: TraceHop, trace: Trace,
                 verdict: JwtVerdict | None = None) -> None:
        self._what, self._claims, self._hop, self._trace, self._verdict = what, claims, hop, trace, verdict

    def claim(self, name: str) -> Subject:
        return Subject(f"{self._what} claim {name}", self._claims.get(name), self._hop.label, self._trace, EXPECT_CLAIMS)

    @property
    def claims(self) -> Subject:
        return Subject(f"{self._what} claims", dict(self._claims), self._hop.label, self._trace, EXPECT_CLAIMS)

    def is_trusted(self) -> None:
        """The token verified against the provider's published keys (the JWKS in the trace's context)."""
        verdict = self._verdict
        if verdict is not None and verdict.trusted:
            return
        if verdict is None:
            note = "no verification verdict (the token was decoded without the provider's JWKS)"
        else:
            note = "; ".join(verdict.problems) or "signature not verified"
        raise fail(f"{self._what} trust", self._hop.label, "signed by a key in the provider's JWKS", "not trusted",
                   self._trace, note, code=EXPECT_TRUST)
