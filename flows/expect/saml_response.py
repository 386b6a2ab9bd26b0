"""Expectations on the trace's last SAML Response: its values, its trust, its validity window."""

from __future__ import annotations

from collections.abc import Callable

from sso_harness.expect.codes import (
    EXPECT_AUDIENCE, EXPECT_CLAIMS, EXPECT_CORRELATION, EXPECT_IDP_ERROR, EXPECT_MISSING, EXPECT_NAME_ID,
    EXPECT_RECIPIENT, EXPECT_TIME, EXPECT_TRUST,
)
from sso_harness.expect.failure import fail
from sso_harness.expect.lookup import query
from sso_harness.expect.subject import Subject
from sso_harness.protocols.problems import TIME_WINDOW_CODES
from sso_harness.protocols.saml import Assertion
from sso_harness.trace.trace import Trace

__all__ = ["SamlResponseExpectations"]


class SamlResponseExpectations:
    """The last SAML Response of the trace (``expect.missing`` when there is none)."""

    def __init__(self, trace: Trace) -> None:
        self._trace = trace
        self._hop = query(trace, lambda t: t.saml_response_hop)
        self._response = trace.saml_response
        self._assertion = self._response.assertion

    def _subject(self, what: str, actual: object, code: str) -> Subject:
        return Subject(f"SAML Response {what}", actual, self._hop.label, self._trace, code)

    def assertion_value(self, what: str, getter: Callable[[Assertion], object], code: str) -> Subject:
        """A value of the reported assertion; ``expect.missing`` when the Response carries no readable one."""
        if self._assertion is None:
            raise fail(f"SAML Response {what}", self._hop.label, "an assertion", None, self._trace,
                       "the Response carries no readable assertion" + (" (it is encrypted)" if self._response.encrypted else ""),
                       code=EXPECT_MISSING)
        return self._subject(what, getter(self._assertion), code)

    @property
    def name_id(self) -> Subject:
        return self.assertion_value("NameID", lambda a: a.name_id.value if a.name_id else None, EXPECT_NAME_ID)

    @property
    def name_id_format(self) -> Subject:
        return self.assertion_value("NameID Format", lambda a: a.name_id.format if a.name_id else None, EXPECT_NAME_ID)

    @property
    def audience(self) -> Subject:
        """The single Audience; a list when there are several."""
        return self.assertion_value("Audience", lambda a: a.audiences[0] if len(a.audiences) == 1 else list(a.audiences),
                                    EXPECT_AUDIENCE)

    @property
    def recipient(self) -> Subject:
        return self.assertion_value("SubjectConfirmationData Recipient", lambda a: a.recipient, EXPECT_RECIPIENT)

    @property
    def destination(self) -> Subject:
        return self._subject("Destination", self._response.destination, EXPECT_RECIPIENT)

    @property
    def issuer(self) -> Subject:
        return self._subject("Issuer", self._response.issuer, EXPECT_TRUST)

    @property
    def in_response_to(self) -> Subject:
        return self._subject("InResponseTo", self._response.in_response_to, EXPECT_CORRELATION)

    @property
    def status(self) -> Subject:
        """The top-level StatusCode (None when the Response has no Status)."""
        status = self._response.status
        return self._subject("Status", None if status is None else status.code, EXPECT_IDP_ERROR)

    @property
    def attributes(self) -> Subject:
        return self.assertion_value("attributes", lambda a: {k: list(v) for k, v in a.attributes.items()}, EXPECT_CLAIMS)

    def attribute(self, name: str) -> Subject:
        """The attribute's values as a list (``None`` when absent)."""
        return self.assertion_value(
            f"attribute {name}", lambda a: list(a.attributes[name]) if name in a.attributes else None, EXPECT_CLAIMS
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
        raise fail("SAML Response trust", self._hop.label, "trusted", "not trusted", self._trace, note, code=EXPECT_TRUST)

    def is_valid_at(self, what: str = "now") -> None:
        """No time-window problem (codes in :data:`~sso_harness.protocols.problems.TIME_WINDOW_CODES`)
        was reported at the trace's evaluation time."""
        problems = [p for p in self._response.problems if p.code in TIME_WINDOW_CODES]
        if problems:
            raise fail(f"SAML Response validity ({what})", self._hop.label, "within its validity window",
                       problems[0].message, self._trace, code=EXPECT_TIME)
