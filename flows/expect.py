"""Expectations over a :class:`~sso_harness.trace.trace.Trace` that explain themselves.

    expect(trace).saml_response.name_id == "b.simon@contoso.com"
    expect(trace).saml_response.audience.equals(sp.entity_id)
    expect(trace).saml_response.is_trusted()
    expect(trace).relay_state.round_trips()
    expect(trace).redirect_chain.follows([...])

Every failure raises :class:`ExpectationFailed` (an ``AssertionError``, so
pytest reports it as a test failure) saying what was expected, what was
seen, and at which hop, followed by the trace's hop list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sso_harness.protocols.problems import TIME_WINDOW_CODES
from sso_harness.protocols.saml import Assertion
from sso_harness.trace.trace import Trace, TraceHop, TraceQueryError

__all__ = ["ExpectationFailed", "Subject", "expect"]


class ExpectationFailed(AssertionError):
    """An expectation did not hold; ``str()`` is the full explanation."""


def _fail(what: str, where: str, expected: object, seen: object, trace: Trace, note: str = "") -> ExpectationFailed:
    extra = f"\n  note:     {note}" if note else ""
    return ExpectationFailed(
        f"{what} (at hop {where})\n  expected: {expected!r}\n  seen:     {seen!r}{extra}\n"
        f"trace:\n{trace.summary()}"
    )


@dataclass(frozen=True, eq=False)
class Subject:
    """One observed value, where it was seen, and checks on it."""

    what: str
    actual: object
    where: str
    trace: Trace

    def equals(self, expected: object) -> None:
        if self.actual != expected:
            raise _fail(self.what, self.where, expected, self.actual, self.trace)

    def __eq__(self, expected: object) -> bool:
        # Lets `expect(t).x == v` read as a statement: a mismatch raises with context.
        self.equals(expected)
        return True

    __hash__ = None  # type: ignore[assignment]  # an expectation is not a value: unhashable, like any class defining __eq__

    def contains(self, item: object) -> None:
        if not _holds(self.actual, item):
            raise _fail(self.what, self.where, f"to contain {item!r}", self.actual, self.trace)

    def matches(self, pattern: str) -> None:
        if not isinstance(self.actual, str) or re.fullmatch(pattern, self.actual) is None:
            raise _fail(self.what, self.where, f"to match /{pattern}/", self.actual, self.trace)

    def __repr__(self) -> str:
        return f"<{self.what} = {self.actual!r} at {self.where}>"


class _SamlResponseExpectations:
    def __init__(self, trace: Trace) -> None:
        self._trace = trace
        self._hop = _query(trace, lambda t: t.saml_response_hop)
        self._response = trace.saml_response
        self._assertion = self._response.assertion

    def _subject(self, what: str, actual: object) -> Subject:
        return Subject(f"SAML Response {what}", actual, self._hop.label, self._trace)

    def _assertion_value(self, what: str, getter: Callable[[Assertion], object]) -> Subject:
        if self._assertion is None:
            raise _fail(f"SAML Response {what}", self._hop.label, "an assertion", None, self._trace,
                        "the Response carries no readable assertion" + (" (it is encrypted)" if self._response.encrypted else ""))
        return self._subject(what, getter(self._assertion))

    @property
    def name_id(self) -> Subject:
        return self._assertion_value("NameID", lambda a: a.name_id.value if a.name_id else None)

    @property
    def name_id_format(self) -> Subject:
        return self._assertion_value("NameID Format", lambda a: a.name_id.format if a.name_id else None)

    @property
    def audience(self) -> Subject:
        """The single Audience; a list when there are several."""
        return self._assertion_value("Audience", lambda a: a.audiences[0] if len(a.audiences) == 1 else list(a.audiences))

    @property
    def recipient(self) -> Subject:
        return self._assertion_value("SubjectConfirmationData Recipient", lambda a: a.recipient)

    @property
    def destination(self) -> Subject:
        return self._subject("Destination", self._response.destination)

    @property
    def issuer(self) -> Subject:
        return self._subject("Issuer", self._response.issuer)

    @property
    def in_response_to(self) -> Subject:
        return self._subject("InResponseTo", self._response.in_response_to)

    @property
    def status(self) -> Subject:
        """The top-level StatusCode (None when the Response has no Status)."""
        status = self._response.status
        return self._subject("Status", None if status is None else status.code)

    @property
    def attributes(self) -> Subject:
        return self._assertion_value("attributes", lambda a: {k: list(v) for k, v in a.attributes.items()})

    def attribute(self, name: str) -> Subject:
        """The attribute's values as a list (``None`` when absent)."""
        return self._assertion_value(
            f"attribute {name}", lambda a: list(a.attributes[name]) if name in a.attributes else None
        )

    def is_trusted(self) -> None:
        """A valid signature by a trusted certificate covers the Response or the reported assertion."""
        if self._response.trusted:
            return
        sigs = self._response.signatures
        seen = "; ".join(f"{s.covers or '?'} {s.covers_id or ''}: {'valid' if s.valid else s.reason}" for s in sigs)
        note = f"signatures: {seen}" if sigs else "the Response and its assertion carry no signature"
        if not self._trace.trusted_cert_count:
            note += " (no IdP certificate was supplied to the trace)"
        raise _fail("SAML Response trust", self._hop.label, "trusted", "not trusted", self._trace, note)

    def is_valid_at(self, what: str = "now") -> None:
        """No time-window problem (codes in :data:`~sso_harness.protocols.problems.TIME_WINDOW_CODES`)
        was reported at the trace's evaluation time."""
        problems = [p for p in self._response.problems if p.code in TIME_WINDOW_CODES]
        if problems:
            raise _fail(f"SAML Response validity ({what})", self._hop.label, "within its validity window",
                        problems[0].message, self._trace)


class _RelayStateExpectations:
    def __init__(self, trace: Trace) -> None:
        self._trace = trace
        self._response_hop = _query(trace, lambda t: t.saml_response_hop)

    @property
    def _request_hop(self) -> TraceHop:
        # Looked up only when needed: an IdP-initiated flow has no AuthnRequest.
        return _query(self._trace, lambda t: t.authn_request_hop)

    @property
    def sent(self) -> Subject:
        return Subject("RelayState sent with the AuthnRequest", _relay_state(self._request_hop),
                       self._request_hop.label, self._trace)

    @property
    def returned(self) -> Subject:
        return Subject("RelayState returned with the Response", _relay_state(self._response_hop),
                       self._response_hop.label, self._trace)

    def round_trips(self) -> None:
        """The IdP returned exactly the RelayState the SP sent (SAML bindings §3.4.3)."""
        sent = _relay_state(self._request_hop)
        self.returned.equals(sent)

    def __eq__(self, expected: object) -> bool:
        self.round_trips()
        self.returned.equals(expected)
        return True

    __hash__ = None  # type: ignore[assignment]  # an expectation is not a value: unhashable, like any class defining __eq__


class _ChainExpectations:
    def __init__(self, trace: Trace) -> None:
        self._trace = trace
        self.steps = [_step(h) for h in trace.redirect_chain]

    def follows(self, expected: Sequence[str]) -> None:
        """The navigations are exactly ``expected``: ``"METHOD scheme://host:port/path"`` (queries ignored)."""
        if list(expected) != self.steps:
            width = max([len(s) for s in expected] + [8])
            rows = [f"  {'expected':<{width}}  seen"]
            for i in range(max(len(expected), len(self.steps))):
                e = expected[i] if i < len(expected) else "-"
                s = self.steps[i] if i < len(self.steps) else "-"
                mark = " " if e == s else "≠"
                rows.append(f"{mark} {e:<{width}}  {s}")
            raise ExpectationFailed("redirect chain differs:\n" + "\n".join(rows) + f"\ntrace:\n{self._trace.summary()}")

    def ends_at(self, url: str) -> None:
        final = self._trace.final_hop
        Subject("final page", _strip_query(final.hop.url), final.label, self._trace).equals(url)


class TraceExpectations:
    """Entry point returned by :func:`expect`."""

    def __init__(self, trace: Trace) -> None:
        self.trace = trace

    @property
    def saml_response(self) -> _SamlResponseExpectations:
        return _SamlResponseExpectations(self.trace)

    @property
    def relay_state(self) -> _RelayStateExpectations:
        return _RelayStateExpectations(self.trace)

    @property
    def redirect_chain(self) -> _ChainExpectations:
        return _ChainExpectations(self.trace)

    def response_answers_request(self) -> None:
        """The Response's InResponseTo (and the assertion's) equal the AuthnRequest's ID."""
        request_id = self.trace.authn_request.id
        self.saml_response.in_response_to.equals(request_id)
        self.saml_response._assertion_value(
            "SubjectConfirmationData InResponseTo", lambda a: a.subject_in_response_to
        ).equals(request_id)


def expect(trace: Trace) -> TraceExpectations:
    return TraceExpectations(trace)


def _query(trace: Trace, getter: Callable[[Trace], TraceHop]) -> TraceHop:
    try:
        return getter(trace)
    except TraceQueryError as exc:
        raise ExpectationFailed(str(exc)) from None


def _relay_state(h: TraceHop) -> str | None:
    binding = h.saml
    return None if binding is None else binding.relay_state


def _holds(container: object, item: object) -> bool:
    """``item in container`` for the containers an observed value can be (text, list, mapping, set)."""
    if isinstance(container, str):
        return isinstance(item, str) and item in container
    if isinstance(container, (Sequence, Mapping, Collection)):
        return item in container
    return False


def _strip_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _step(h: TraceHop) -> str:
    return f"{h.hop.method} {_strip_query(h.hop.url)}"
