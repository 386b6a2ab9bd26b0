"""Reading one plaintext ``saml:Assertion`` element (SAML core §2.3.3–§2.7).

Only direct children are consulted at every level (Subject, Conditions,
statements), so an element smuggled deeper — e.g. a second Subject inside
an Advice or an extension — can never shadow the real one.

:func:`read_conditions_and_attributes` is the part SAML 1.1 and SAML 2.0
assertions share (the Conditions window, audiences and attribute values);
the WS-Federation SAML 1.1 reader uses it too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from lxml import etree

from sso_harness.protocols.saml.messages import Assertion
from sso_harness.protocols.saml.names import children, first_child, full_text, saml, trimmed_text
from sso_harness.protocols.saml.subject import NameIDReading, read_name_id
from sso_harness.protocols.saml.timeutil import parse_instant

__all__ = ["ConditionsAndAttributes", "read_assertion", "read_conditions_and_attributes", "read_name_id"]

_BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"


class ConditionsAndAttributes(NamedTuple):
    """What an Assertion's Conditions and AttributeStatements say, in the
    shape both :class:`Assertion` and the SAML 1.1 assertion report."""

    not_before: datetime | None
    not_on_or_after: datetime | None
    audiences: tuple[str, ...]
    attributes: dict[str, tuple[str, ...]]


def read_conditions_and_attributes(
    element: etree._Element,
    *,
    tag: Callable[[str], str],
    audience_restriction: str,
    attribute_key: Callable[[etree._Element], str],
) -> ConditionsAndAttributes:
    """Read the Conditions window, the audiences and the attributes of one
    Assertion, consulting direct children only.

    ``tag`` makes a Clark tag in the assertion's namespace (SAML 2.0 or 1.x);
    ``audience_restriction`` is the local name of the Conditions child that
    holds ``Audience`` elements (``AudienceRestriction`` in 2.0,
    ``AudienceRestrictionCondition`` in 1.1); ``attribute_key`` names an
    ``Attribute`` element.  Audiences are whitespace-trimmed, in document
    order.  Attribute values are read in full (comments cannot truncate them),
    in document order, and repeated Attributes with the same key are merged.
    Raises :class:`DecodeError` only for an unparseable ``NotBefore`` or
    ``NotOnOrAfter`` (checked in that order), naming the attribute.
    """
    conditions = first_child(element, tag("Conditions"))
    not_before = parse_instant(
        None if conditions is None else conditions.get("NotBefore"), where="Assertion/Conditions@NotBefore"
    )
    not_on_or_after = parse_instant(
        None if conditions is None else conditions.get("NotOnOrAfter"), where="Assertion/Conditions@NotOnOrAfter"
    )
    audiences = tuple(
        trimmed_text(audience) or ""
        for restriction in children(conditions, tag(audience_restriction))
        for audience in children(restriction, tag("Audience"))
    )
    collected: dict[str, list[str]] = {}
    for statement in children(element, tag("AttributeStatement")):
        for attribute in children(statement, tag("Attribute")):
            values = collected.setdefault(attribute_key(attribute), [])
            values.extend(full_text(value) or "" for value in children(attribute, tag("AttributeValue")))
    attributes = {key: tuple(values) for key, values in collected.items()}
    return ConditionsAndAttributes(not_before, not_on_or_after, audiences, attributes)


def _confirmation_data(subject: etree._Element | None) -> etree._Element | None:
    confirmations = children(subject, saml("SubjectConfirmation"))
    bearer = [c for c in confirmations if c.get("Method") == _BEARER]
    candidates = bearer or confirmations
    return first_child(candidates[0], saml("SubjectConfirmationData")) if candidates else None


def _attribute_name(attribute: etree._Element) -> str:
    return attribute.get("Name") or ""


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
    authn = first_child(element, saml("AuthnStatement"))
    context = first_child(first_child(authn, saml("AuthnContext")), saml("AuthnContextClassRef"))
    # Timestamps are parsed in the schema's element order (IssueInstant,
    # Subject, Conditions, AuthnStatement): with several bad ones, the first is
    # the one reported.
    issue_instant = parse_instant(element.get("IssueInstant"), where="Assertion@IssueInstant")
    subject_not_on_or_after = parse_instant(
        None if data is None else data.get("NotOnOrAfter"),
        where="Assertion/Subject/SubjectConfirmation/SubjectConfirmationData@NotOnOrAfter",
    )
    shared = read_conditions_and_attributes(
        element, tag=saml, audience_restriction="AudienceRestriction", attribute_key=_attribute_name
    )
    return Assertion(
        id=element.get("ID"),
        issue_instant=issue_instant,
        issuer=trimmed_text(first_child(element, saml("Issuer"))),
        name_id=identifier.name_id,
        recipient=None if data is None else data.get("Recipient"),
        subject_not_on_or_after=subject_not_on_or_after,
        subject_in_response_to=None if data is None else data.get("InResponseTo"),
        not_before=shared.not_before,
        not_on_or_after=shared.not_on_or_after,
        audiences=shared.audiences,
        attributes=shared.attributes,
        authn_instant=parse_instant(
            None if authn is None else authn.get("AuthnInstant"), where="Assertion/AuthnStatement@AuthnInstant"
        ),
        session_index=None if authn is None else authn.get("SessionIndex"),
        authn_context_class_ref=trimmed_text(context),
        signed=signed,
        name_id_encrypted=identifier.encrypted,
    )
