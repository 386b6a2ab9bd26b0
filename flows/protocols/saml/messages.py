"""Decoded SAML 2.0 messages as immutable values (SAML core §2, §3).

These are *reports* of what a message says, not authorisation decisions:
unsigned or untrusted content is still decoded and shown, and
:attr:`Response.trusted` / :attr:`Assertion.signed` say whether a trusted
signature covers it.  All timestamps are timezone-aware UTC datetimes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from sso_harness.protocols.certinfo import CertificateInfo
from sso_harness.protocols.problems import HasProblems, Problem
from sso_harness.protocols.saml.artifact import SamlArtifact
from sso_harness.protocols.saml.names import STATUS_SUCCESS
from sso_harness.protocols.saml.status_catalogue import StatusEntry, lookup_status
from sso_harness.protocols.xml.dsig.verify import SignatureCheck

__all__ = [
    "Assertion",
    "AuthnRequest",
    "LogoutRequest",
    "LogoutResponse",
    "MessageHeader",
    "NameID",
    "NameIDPolicy",
    "OtherSamlMessage",
    "Response",
    "SamlArtifact",
    "SamlMessage",
    "Status",
    "StatusResponseHeader",
]


@dataclass(frozen=True)
class NameID:
    """``saml:NameID`` (SAML core §2.2.3); ``value`` is the full text content."""

    value: str
    format: str | None = None
    name_qualifier: str | None = None
    sp_name_qualifier: str | None = None


_AADSTS = re.compile(r"\bAADSTS(\d{1,9})\b")


@dataclass(frozen=True)
class Status:
    """``samlp:Status`` (SAML core §3.2.2.1): top-level code, nested sub-codes
    (outermost first, the whole chain in order) and the optional
    StatusMessage."""

    code: str | None
    sub_codes: tuple[str, ...] = ()
    message: str | None = None

    @property
    def ok(self) -> bool:
        """True iff the top-level code is ``...:status:Success``."""
        return self.code == STATUS_SUCCESS

    @property
    def entries(self) -> tuple[StatusEntry, ...]:
        """Catalogue entries (SAML core §3.2.2.2) for the code and each
        sub-code that is a standard SAML 2.0 code, in chain order."""
        found = (lookup_status(code) for code in (self.code, *self.sub_codes))
        return tuple(entry for entry in found if entry is not None)

    @property
    def aadsts_codes(self) -> tuple[int, ...]:
        """Entra ID ``AADSTSnnnnn`` error numbers found in StatusMessage, in
        order of appearance, without repeats."""
        numbers = (int(n) for n in _AADSTS.findall(self.message or ""))
        return tuple(dict.fromkeys(numbers))

    def explain(self) -> str:
        """Plain-words lines: each known code with its meaning and fix."""
        lines = [f"{e.name}: {e.meaning} Fix: {e.fix}" for e in self.entries]
        unknown = [c for c in (self.code, *self.sub_codes) if c and lookup_status(c) is None]
        lines += [f"{code}: not a SAML 2.0 status code (vendor-specific)" for code in unknown]
        return "\n".join(lines)


@dataclass(frozen=True)
class NameIDPolicy:
    """``samlp:NameIDPolicy`` of an AuthnRequest (SAML core §3.4.1.1)."""

    format: str | None = None
    allow_create: bool | None = None
    sp_name_qualifier: str | None = None


@dataclass(frozen=True)
class MessageHeader:
    """The attributes every SAML protocol message opens with, requests
    (RequestAbstractType, SAML core §3.2.1) and responses (StatusResponseType,
    §3.2.2) alike: ``ID``, ``IssueInstant``, ``Issuer`` and ``Destination``.
    The message classes extend it, so these are always their first fields."""

    id: str | None
    issue_instant: datetime | None
    issuer: str | None
    destination: str | None


@dataclass(frozen=True)
class StatusResponseHeader(MessageHeader):
    """:class:`MessageHeader` plus what a StatusResponseType adds (SAML core
    §3.2.2): ``InResponseTo`` and ``Status``, next in field order."""

    in_response_to: str | None
    status: Status | None


@dataclass(frozen=True)
class AuthnRequest(MessageHeader, HasProblems):
    """``samlp:AuthnRequest`` (SAML core §3.4.1).

    ``trusted`` is True when a valid signature by a supplied certificate
    covers the request element itself (POST binding; Redirect-binding query
    signatures are not evaluated here).  ``problems`` names each embedded
    signature that does not verify.
    """

    kind: ClassVar[str] = "saml.authn_request"

    acs_url: str | None
    protocol_binding: str | None
    name_id_policy: NameIDPolicy | None
    force_authn: bool | None
    is_passive: bool | None
    signatures: tuple[SignatureCheck, ...] = ()
    trusted: bool = False
    warnings: tuple[str, ...] = ()
    certificates: tuple[CertificateInfo, ...] = ()
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Assertion:
    """``saml:Assertion`` (SAML core §2.3.3), flattened to what tests assert on.

    Subject confirmation fields come from the first bearer
    SubjectConfirmation (SAML profiles §4.1.4.2), falling back to the first
    one.  ``attributes`` maps ``Attribute/@Name`` to all its values in
    document order (repeated Attribute elements are merged).  ``signed`` is
    True only when a valid, trusted signature covers this very element.
    ``name_id_encrypted`` says the Subject carried an ``EncryptedID`` (whose
    NameID is in ``name_id`` when an SP key decrypted it).
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
    name_id_encrypted: bool = False


@dataclass(frozen=True)
class Response(StatusResponseHeader, HasProblems):
    """``samlp:Response`` (SAML core §3.3.3).

    ``assertions`` are the readable Assertions that are *direct children*
    of the Response, in order: plaintext ones, and EncryptedAssertions that
    a supplied SP key decrypted (XML Encryption; SAML core §2.3.4).  The
    first is the one reported (and the one a conforming SP would consume).
    ``trusted`` is True only when a valid trusted signature covers the
    Response element itself (verified on the still-encrypted document) or
    that very reported assertion (verified after decryption, inside the
    decrypted element).  ``encrypted`` says the Response carries an
    EncryptedAssertion; ``decrypted`` that every direct one was decrypted.
    ``problems`` lists signature, decryption and time problems (coded, see
    :mod:`sso_harness.protocols.problems`), ``errors`` their messages; ``warnings``
    weak algorithms, untrusted KeyInfo certificates and certificate expiry;
    ``certificates`` describes the trusted certificates that verified a
    signature, then those embedded in KeyInfo.
    """

    kind: ClassVar[str] = "saml.response"

    assertions: tuple[Assertion, ...]
    encrypted: bool
    signatures: tuple[SignatureCheck, ...]
    trusted: bool
    problems: tuple[Problem, ...] = field(default=())
    decrypted: bool = False
    warnings: tuple[str, ...] = ()
    certificates: tuple[CertificateInfo, ...] = ()

    @property
    def assertion(self) -> Assertion | None:
        """The reported assertion (first direct-child plaintext Assertion)."""
        return self.assertions[0] if self.assertions else None


@dataclass(frozen=True)
class LogoutRequest(MessageHeader, HasProblems):
    """``samlp:LogoutRequest`` (SAML core §3.7.1).

    ``name_id`` comes from NameID or, decrypted with a supplied SP key, from
    EncryptedID (``name_id_encrypted`` is then True).  ``session_indexes``
    keeps every SessionIndex in order.  ``trusted``: a valid trusted
    signature covers the request element (POST) — the binding layer also
    sets it when the Redirect query signature verifies.
    """

    kind: ClassVar[str] = "saml.logout_request"

    name_id: NameID | None
    name_id_encrypted: bool
    session_indexes: tuple[str, ...]
    not_on_or_after: datetime | None
    reason: str | None
    signatures: tuple[SignatureCheck, ...] = ()
    trusted: bool = False
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    certificates: tuple[CertificateInfo, ...] = ()


@dataclass(frozen=True)
class LogoutResponse(StatusResponseHeader, HasProblems):
    """``samlp:LogoutResponse`` (SAML core §3.7.2, a StatusResponseType)."""

    kind: ClassVar[str] = "saml.logout_response"

    signatures: tuple[SignatureCheck, ...] = ()
    trusted: bool = False
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    certificates: tuple[CertificateInfo, ...] = ()


@dataclass(frozen=True)
class OtherSamlMessage:
    """Any other root element, identified but not yet decoded in depth.

    ``kind`` is ``saml.artifact_resolve``, ``saml.artifact_response`` or
    ``saml.unknown``; ``root_name`` is the root's Clark-notation tag.
    """

    kind: str
    id: str | None
    issuer: str | None
    destination: str | None
    root_name: str


SamlMessage = AuthnRequest | Response | LogoutRequest | LogoutResponse | SamlArtifact | OtherSamlMessage
