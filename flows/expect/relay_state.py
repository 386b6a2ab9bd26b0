"""Expectations on RelayState: what the SP sent with its AuthnRequest and what came back with the Response."""

from __future__ import annotations

from sso_harness.expect.codes import EXPECT_RELAY_STATE
from sso_harness.expect.lookup import query
from sso_harness.expect.subject import Subject
from sso_harness.trace.trace import Trace, TraceHop

__all__ = ["RelayStateExpectations"]


class RelayStateExpectations:
    """``sent``, ``returned``, ``round_trips()``; ``== v`` checks both the round trip and the value."""

    def __init__(self, trace: Trace) -> None:
        self._trace = trace
        self._response_hop = query(trace, lambda t: t.saml_response_hop)

    @property
    def _request_hop(self) -> TraceHop:
        # Looked up only when needed: an IdP-initiated flow has no AuthnRequest.
        return query(self._trace, lambda t: t.authn_request_hop)

    @property
    def sent(self) -> Subject:
        return Subject("RelayState sent with the AuthnRequest", _relay_state(self._request_hop),
                       self._request_hop.label, self._trace, EXPECT_RELAY_STATE)

    @property
    def returned(self) -> Subject:
        return Subject("RelayState returned with the Response", _relay_state(self._response_hop),
                       self._response_hop.label, self._trace, EXPECT_RELAY_STATE)

    def round_trips(self) -> None:
        """The IdP returned exactly the RelayState the SP sent (SAML bindings §3.4.3)."""
        sent = _relay_state(self._request_hop)
        self.returned.equals(sent)

    def __eq__(self, expected: object) -> bool:
        self.round_trips()
        self.returned.equals(expected)
        return True

    __hash__ = None  # type: ignore[assignment]  # an expectation is not a value: unhashable, like any class defining __eq__


def _relay_state(h: TraceHop) -> str | None:
    binding = h.saml
    return None if binding is None else binding.relay_state
