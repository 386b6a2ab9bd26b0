"""Decoded SAML 2.0 messages as immutable values (SAML core §2, §3).

These are *reports* of what a message says, not authorisation decisions:
unsigned or untrusted content is still decoded and shown, and
:attr:`Response.trusted` / :attr:`Assertion.signed` say whether a trusted
signature covers it.  All timestamps are timezone-aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from flows.protocols.saml.names import STATUS_SUCCESS
from flows.protocols.xmldsig_verify import SignatureCheck

__all__ = [
    "Assertion",
    "AuthnRequest",
    "NameID",
    "NameIDPolicy",
    "OtherSamlMessage",
    "Response",
    "SamlMessage",
    "Status",
]


@dataclass(frozen=True)
class NameID:
    """``saml:NameID`` (SAML core §2.2.3); ``value`` is the full text content."""

    value: str
    format: str | None = None
    name_qualifier: str | None = None
    sp_name_qualifier: str | None = None


@dataclass(frozen=True)
class Status:
    """``samlp:Status`` (SAML core §3.2.2.1): top-level code, nested sub-codes
    (outermost first) and the optional StatusMessage."""

    code: str | None
    sub_codes: tuple[str, ...] = ()
    message: str | None = None

    @property
    def ok(self) -> bool:
        """True iff the top-level code is ``...:status:Success``."""
        return self.code == STATUS_SUCCESS


@dataclass(frozen=True)
class NameIDPolicy:
    """``samlp:NameIDPolicy`` of an AuthnRequest (SAML core §3.4.1.1)."""

    format: str | None = None
    allow_create: bool | None = None
    sp_name_qualifier: str | None = None


@dataclass(frozen=True)
class AuthnRequest:
    """``samlp:AuthnRequest`` (SAML core §3.4.1).

    ``trusted`` is True when a valid signature by a supplied certificate
    covers the request element itself (POST binding; Redirect-binding query
    signatures are not evaluated here).
    """

    kind: ClassVar[str] = "saml.authn_request"

    id: str | None
    issue_instant: datetime | None
    issuer: str | None
    destination: str | None
    acs_url: str | None
    protocol_binding: str | None
    name_id_policy: NameIDPolicy | None
    force_authn: bool | None
    is_passive: bool | None
    signatures: tuple[SignatureCheck, ...] = ()
    trusted: bool = False


@dataclass(frozen=True)
class Assertion:
    """``saml:Assertion`` (SAML core §2.3.3), flattened to what tests assert on.

    Subject confirmation fields come from the first bearer
    SubjectConfirmation (SAML profiles §4.1.4.2), falling back to the first
    one.  ``attributes`` maps ``Attribute/@Name`` to all its values in
    document order (repeated Attribute elements are merged).  ``signed`` is
    True only when a valid, trusted signature covers this very element.
    """

    id: str | None
    issue_instant: datetime | None
    issuer: str | None
    name_id: NameID | None
    recipient: str | None
    subject_not_on_or_after: datetime | None
    subject_in_response_to: str | None
    not_before: datetime | None
    not_on_or_after: datetime | None
    audiences: tuple[str, ...]
    attributes: dict[str, tuple[str, ...]]
    authn_instant: datetime | None
    session_index: str | None
    authn_context_class_ref: str | None
    signed: bool


@dataclass(frozen=True)
class Response:
    """``samlp:Response`` (SAML core §3.3.3).

    ``assertions`` are the plaintext Assertions that are *direct children*
    of the Response, in order; the first is the one reported (and the one a
    conforming SP would consume).  ``trusted`` is True only when a valid
    trusted signature covers the Response element itself or that very
    reported assertion.  ``errors`` lists signature and time problems in
    human-readable form.
    """

    kind: ClassVar[str] = "saml.response"

    id: str | None
    issue_instant: datetime | None
    issuer: str | None
    destination: str | None
    in_response_to: str | None
    status: Status | None
    assertions: tuple[Assertion, ...]
    encrypted: bool
    signatures: tuple[SignatureCheck, ...]
    trusted: bool
    errors: tuple[str, ...] = field(default=())

    @property
    def assertion(self) -> Assertion | None:
        """The reported assertion (first direct-child plaintext Assertion)."""
        return self.assertions[0] if self.assertions else None


@dataclass(frozen=True)
class OtherSamlMessage:
    """Any other root element, identified but not yet decoded in depth.

    ``kind`` is ``saml.logout_request``, ``saml.logout_response`` or
    ``saml.unknown``; ``root_name`` is the root's Clark-notation tag.
    """

    kind: str
    id: str | None
    issuer: str | None
    destination: str | None
    root_name: str


SamlMessage = AuthnRequest | Response | OtherSamlMessage
