"""Reading one plaintext ``saml:Assertion`` element (SAML core §2.3.3–§2.7).

Only direct children are consulted at every level (Subject, Conditions,
statements), so an element smuggled deeper — e.g. a second Subject inside
an Advice or an extension — can never shadow the real one.
"""

from __future__ import annotations

from lxml import etree

from sso_harness.protocols.saml.messages import Assertion
from sso_harness.protocols.saml.names import children, first_child, full_text, saml, trimmed_text
from sso_harness.protocols.saml.subject import NameIDReading, read_name_id
from sso_harness.protocols.saml.timeutil import parse_instant

__all__ = ["read_assertion", "read_name_id"]

_BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"


def _confirmation_data(subject: etree._Element | None) -> etree._Element | None:
    confirmations = children(subject, saml("SubjectConfirmation"))
    bearer = [c for c in confirmations if c.get("Method") == _BEARER]
    candidates = bearer or confirmations
    return first_child(candidates[0], saml("SubjectConfirmationData")) if candidates else None


def _attributes(assertion: etree._Element) -> dict[str, tuple[str, ...]]:
    collected: dict[str, list[str]] = {}
    for statement in children(assertion, saml("AttributeStatement")):
        for attribute in children(statement, saml("Attribute")):
            name = attribute.get("Name") or ""
            values = collected.setdefault(name, [])
            values.extend(full_text(value) or "" for value in children(attribute, saml("AttributeValue")))
    return {name: tuple(values) for name, values in collected.items()}


def read_assertion(element: etree._Element, *, signed: bool, identifier: NameIDReading | None = None) -> Assertion:
    """Flatten an Assertion into :class:`Assertion`.

    ``signed`` is decided by the caller (identity check against verified
    signatures).  ``identifier`` is the Subject's NameID as the caller read
    it (see :func:`sso_harness.protocols.saml.subject.read_identifier`, which can
    decrypt an EncryptedID); by default the plain NameID is read.  Raises
    :class:`DecodeError` only for unparseable timestamps, naming the
    attribute.
    """
    subject = first_child(element, saml("Subject"))
    if identifier is None:
        plain = read_name_id(subject)
        encrypted = plain is None and first_child(subject, saml("EncryptedID")) is not None
        identifier = NameIDReading(plain, encrypted)
    data = _confirmation_data(subject)
    conditions = first_child(element, saml("Conditions"))
    authn = first_child(element, saml("AuthnStatement"))
    context = first_child(first_child(authn, saml("AuthnContext")), saml("AuthnContextClassRef"))
    audiences = tuple(
        trimmed_text(audience) or ""
        for restriction in children(conditions, saml("AudienceRestriction"))
        for audience in children(restriction, saml("Audience"))
    )
    return Assertion(
        id=element.get("ID"),
        issue_instant=parse_instant(element.get("IssueInstant"), where="Assertion@IssueInstant"),
        issuer=trimmed_text(first_child(element, saml("Issuer"))),
        name_id=identifier.name_id,
        recipient=None if data is None else data.get("Recipient"),
        subject_not_on_or_after=parse_instant(
            None if data is None else data.get("NotOnOrAfter"),
            where="Assertion/Subject/SubjectConfirmation/SubjectConfirmationData@NotOnOrAfter",
        ),
        subject_in_response_to=None if data is None else data.get("InResponseTo"),
        not_before=parse_instant(
            None if conditions is None else conditions.get("NotBefore"), where="Assertion/Conditions@NotBefore"
        ),
        not_on_or_after=parse_instant(
            None if conditions is None else conditions.get("NotOnOrAfter"), where="Assertion/Conditions@NotOnOrAfter"
        ),
        audiences=audiences,
        attributes=_attributes(element),
        authn_instant=parse_instant(
            None if authn is None else authn.get("AuthnInstant"), where="Assertion/AuthnStatement@AuthnInstant"
        ),
        session_index=None if authn is None else authn.get("SessionIndex"),
        authn_context_class_ref=trimmed_text(context),
        signed=signed,
        name_id_encrypted=identifier.encrypted,
    )
