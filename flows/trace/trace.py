"""A trace: the ordered hops of one flow, with their decoded SAML messages.

The proxy records raw hops; this module decodes them (pure functions, no
I/O) and answers the questions tests ask: which AuthnRequest was sent,
which Response came back, what RelayState travelled, which pages the
browser navigated through. Decoding never raises: a message that cannot be
decoded is kept on its hop as a :class:`~sso_harness.protocols.DecodeError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from cryptography import x509

from sso_harness.capture.hop import BODY_LIMIT, Hop, bounded
from sso_harness.trace.correlate import Exchange, correlate
from sso_harness.trace.decoded_hop import TraceHop
from sso_harness.protocols import DecodeError
from sso_harness.trace.context import DecodeContext
from sso_harness.trace.decoders import decode_messages
from sso_harness.protocols.saml import AuthnRequest, Response


__all__ = ["Trace", "TraceHop", "TraceQueryError", "decode_hop", "DecodeContext"]

class TraceQueryError(LookupError):
    """The trace does not contain what was asked for; the message lists what it has."""


def decode_hop(hop: Hop, context: DecodeContext | None = None) -> TraceHop:
    """Decode every protocol message a hop carries (never raises)."""
    messages, errors = decode_messages(hop, context or DecodeContext())
    return TraceHop(hop, messages, errors)


@dataclass(frozen=True)
class Trace:
    """An ordered, immutable list of decoded hops with protocol-level queries."""

    hops: tuple[TraceHop, ...]
    evaluated_at: dt.datetime | None = None
    trusted_cert_count: int = 0
    blocked_hosts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_hops(
        cls,
        hops: Sequence[Hop],
        *,
        trusted_certs: Sequence[x509.Certificate] = (),
        now: dt.datetime | None = None,
        blocked_hosts: dict[str, int] | None = None,
        context: DecodeContext | None = None,
        body_limit: int = BODY_LIMIT,
    ) -> "Trace":
        """Decode ``hops`` in order (never raises for what they carry).

        Bodies are held to the recorder's limit (``body_limit``, the recorder's
        default): hops built by hand, read from files or imported get no more
        than a recording keeps, and what is cut is marked truncated, so a
        huge body costs neither memory nor decoding time.
        """
        ctx = context or DecodeContext(trusted_certs=tuple(trusted_certs), now=now)
        decoded = tuple(decode_hop(bounded(h, body_limit), ctx) for h in hops)
        return cls(decoded, ctx.now, len(ctx.trusted_certs), dict(blocked_hosts or {}))

    def __iter__(self) -> Iterator[TraceHop]:
        return iter(self.hops)

    def __len__(self) -> int:
        return len(self.hops)

    # -- SAML ------------------------------------------------------------
    def saml_messages(self) -> list[TraceHop]:
        return [h for h in self.hops if h.saml is not None]

    @property
    def authn_request_hop(self) -> TraceHop:
        """The hop that carried the first AuthnRequest to the IdP."""
        return self._first(lambda h: isinstance(h.saml_message, AuthnRequest), "SAML AuthnRequest")

    @property
    def authn_request(self) -> AuthnRequest:
        """The first AuthnRequest (TraceQueryError when there is none)."""
        for h in self.hops:
            if isinstance(message := h.saml_message, AuthnRequest):
                return message
        raise TraceQueryError(self._missing("SAML AuthnRequest"))

    @property
    def saml_response_hop(self) -> TraceHop:
        """The hop that delivered the last SAML Response to an ACS."""
        return self._last(lambda h: isinstance(h.saml_message, Response), "SAML Response")

    @property
    def saml_response(self) -> Response:
        """The last SAML Response (TraceQueryError when there is none)."""
        for h in reversed(self.hops):
            if isinstance(message := h.saml_message, Response):
                return message
        raise TraceQueryError(self._missing("SAML Response"))

    @property
    def decode_errors(self) -> list[tuple[TraceHop, DecodeError]]:
        return [(h, e) for h in self.hops for e in h.errors]

    @property
    def exchanges(self) -> list[Exchange]:
        """Requests linked to their answers, with problems and blind spots (see sso_harness.trace.correlate)."""
        return correlate(self.hops)

    # -- navigation ------------------------------------------------------
    @property
    def redirect_chain(self) -> list[TraceHop]:
        """The top-level navigations in order: what a person would see in the address bar."""
        return [h for h in self.hops if h.is_document]

    @property
    def final_hop(self) -> TraceHop:
        chain = self.redirect_chain
        if not chain:
            raise TraceQueryError(self._missing("top-level navigation"))
        return chain[-1]

    # -- helpers ---------------------------------------------------------
    def summary(self) -> str:
        """One line per hop, for failure messages."""
        if not self.hops:
            return "  (the trace is empty: the browser sent nothing through the proxy)"
        lines = []
        for h in self.hops:
            what = f"  {h.saml.parameter} via {h.saml.binding}" if h.saml else ""
            if not h.saml and h.messages:
                what = "  " + ", ".join(m.kind for m in h.messages)
            err = f"  decode error: {h.errors[0]}" if h.errors else ""
            cut = f"  [truncated: {', '.join(h.hop.truncated)}]" if h.hop.truncated else ""
            lines.append(f"  {h.label} -> {h.hop.status}{what}{cut}{err}")
        return "\n".join(lines)

    def _first(self, pred: Callable[[TraceHop], bool], what: str) -> TraceHop:
        for h in self.hops:
            if pred(h):
                return h
        raise TraceQueryError(self._missing(what))

    def _last(self, pred: Callable[[TraceHop], bool], what: str) -> TraceHop:
        for h in reversed(self.hops):
            if pred(h):
                return h
        raise TraceQueryError(self._missing(what))

    def _missing(self, what: str) -> str:
        return f"the trace has no {what}; its {len(self.hops)} hops are:\n{self.summary()}"
