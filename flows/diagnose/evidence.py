"""What the diagnosis rules look at: the trace, page texts, and what the SP expects.

The trace holds the protocol messages. Some causes only show on a page the
browser rendered (Entra's error page quotes ``AADSTS50011: ...`` in HTML,
which the recorder does not keep), so the capture passes the visible text
of such pages as :class:`PageText`. What the SP expects (its entity ID, its
ACS, the NameID it matches users by) is known from a target's config when
there is one; otherwise the rules fall back on what the trace itself says
(the AuthnRequest's Issuer and ACS URL, the URL a Response was posted to).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from sso_harness.protocols.saml import AuthnRequest, Response, SamlBindingMessage
from sso_harness.trace.decoded import OAUTH_TYPES, OAuthPayload
from sso_harness.trace.trace import Trace, TraceHop

__all__ = ["Evidence", "PageText", "SpExpectations", "Tolerances"]


@dataclass(frozen=True)
class PageText:
    """The visible text of a page the browser showed; ``hop`` its ``Hop.index`` when known."""

    url: str
    text: str
    hop: int | None = None


@dataclass(frozen=True)
class SpExpectations:
    """What the SP is configured to accept, when a target config says so (all optional)."""

    entity_id: str | None = None
    acs_url: str | None = None
    name_id: str | None = None
    name_id_format: str | None = None


@dataclass(frozen=True)
class Tolerances:
    """``clock``: the skew an SP tolerates (pysaml2 and many SPs: 60 s; Entra: 5 min);
    ``cert_horizon``: warn about certificates expiring this soon; ``loop``: a URL
    seen more than this many times is a redirect loop."""

    clock: dt.timedelta = dt.timedelta(seconds=60)
    cert_horizon: dt.timedelta = dt.timedelta(days=30)
    loop: int = 3


@dataclass(frozen=True)
class Evidence:
    trace: Trace
    pages: tuple[PageText, ...] = ()
    expected: SpExpectations = field(default_factory=SpExpectations)
    tolerances: Tolerances = field(default_factory=Tolerances)
    now: dt.datetime | None = None
    """When certificates are judged; defaults to the trace's evaluation time, then to the last hop's time."""

    # -- lookups the rules share ------------------------------------------------------------
    def hop(self, index: int | None) -> TraceHop | None:
        return next((h for h in self.trace.hops if h.hop.index == index), None)

    def label(self, index: int | None) -> str | None:
        h = self.hop(index)
        return h.label if h is not None else None

    def saml(self) -> Iterator[tuple[TraceHop, SamlBindingMessage]]:
        for h in self.trace.hops:
            for m in h.of_protocol("saml"):
                if isinstance(m.message, SamlBindingMessage):
                    yield h, m.message

    def saml_responses(self) -> Iterator[tuple[TraceHop, SamlBindingMessage, Response]]:
        for h, b in self.saml():
            if isinstance(b.message, Response):
                yield h, b, b.message

    def authn_request_for(self, response: Response) -> tuple[TraceHop, SamlBindingMessage, AuthnRequest] | None:
        """The AuthnRequest this Response answers (by InResponseTo, SAML core §3.2.2)."""
        if response.in_response_to is None:
            return None
        for h, b in self.saml():
            if isinstance(b.message, AuthnRequest) and b.message.id == response.in_response_to:
                return h, b, b.message
        return None

    def oauth(self) -> Iterator[tuple[TraceHop, OAuthPayload]]:
        for h in self.trace.hops:
            for m in h.messages:
                if isinstance(m.message, OAUTH_TYPES):
                    yield h, m.message

    def page_hop(self, page: PageText) -> TraceHop | None:
        """The hop that served ``page``: its own index, else the last document hop with its URL."""
        if page.hop is not None:
            return self.hop(page.hop)
        for h in reversed(self.trace.hops):
            if h.hop.url == page.url and h.is_document:
                return h
        return None

    @property
    def moment(self) -> dt.datetime | None:
        if self.now is not None:
            return self.now
        if self.trace.evaluated_at is not None:
            return self.trace.evaluated_at
        if self.trace.hops:
            return dt.datetime.fromtimestamp(self.trace.hops[-1].hop.finished, dt.timezone.utc)
        return None
