"""Build SAML 2.0 Responses in the shape Entra ID emits (SAML core §3.3.3).

Observed Entra serialisation: one line, no XML declaration, the ``samlp``
prefix only on protocol elements, and default namespaces for assertion
elements. Validity: NotBefore is IssueInstant minus 5 minutes and
NotOnOrAfter is IssueInstant plus 60 minutes. Clock and ID source are
parameters so signed output is reproducible in tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from lxml import etree

__all__ = [
    "SAMLP",
    "SAML",
    "SUCCESS",
    "PASSWORD_CLASS",
    "StatusSpec",
    "AssertionSpec",
    "ResponseSpec",
    "build_response",
    "default_namespace",
    "iso",
]

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
PASSWORD_CLASS = "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"

IdSource = Callable[[], str]


def iso(t: dt.datetime) -> str:
    """SAML's xs:dateTime in UTC with a Z and milliseconds, as Entra writes it."""
    t = t.astimezone(dt.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class StatusSpec:
    code: str = SUCCESS
    sub_code: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class AssertionSpec:
    issuer: str
    name_id: str
    name_id_format: str
    audience: str
    recipient: str
    in_response_to: str | None
    attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    authn_context: str = PASSWORD_CLASS
    not_before_offset: dt.timedelta = dt.timedelta(minutes=-5)
    lifetime: dt.timedelta = dt.timedelta(minutes=60)
    sp_name_qualifier: str | None = None
    """Echoed from the AuthnRequest's NameIDPolicy, as Entra does."""
    authn_instant: dt.datetime | None = None
    """When the user authenticated; defaults to the issue instant."""


@dataclass(frozen=True)
class ResponseSpec:
    issuer: str
    destination: str
    in_response_to: str | None
    issue_instant: dt.datetime
    status: StatusSpec = StatusSpec()
    assertion: AssertionSpec | None = None


def build_response(spec: ResponseSpec, new_id: IdSource) -> tuple[etree._Element, etree._Element | None]:
    """Return the unsigned ``(response, assertion)`` elements for ``spec``."""
    now = spec.issue_instant
    resp = etree.Element(f"{{{SAMLP}}}Response", nsmap={"samlp": SAMLP})
    resp.set("ID", new_id())
    resp.set("Version", "2.0")
    resp.set("IssueInstant", iso(now))
    resp.set("Destination", spec.destination)
    if spec.in_response_to:
        resp.set("InResponseTo", spec.in_response_to)
    _text(resp, "Issuer", spec.issuer, nsmap=default_namespace(SAML))
    _status(resp, spec.status)
    if spec.assertion is None:
        return resp, None
    return resp, _assertion(resp, spec.assertion, now, new_id)


def default_namespace(uri: str) -> Mapping[str, str]:
    """An ``nsmap`` that declares ``uri`` as the default namespace (``xmlns="uri"``)."""
    # lxml keys the default namespace with None; lxml-stubs type nsmap as Mapping[str, str], which cannot say so.
    return {None: uri}  # type: ignore[dict-item]  # see the comment above: a stub limitation, not a wrong key


def _text(parent: etree._Element, name: str, text: str, *, nsmap: Mapping[str, str] | None = None,
          **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{SAML}}}{name}", attrib=attrs, nsmap=nsmap)
    el.text = text
    return el


def _status(resp: etree._Element, status: StatusSpec) -> None:
    st = etree.SubElement(resp, f"{{{SAMLP}}}Status")
    code = etree.SubElement(st, f"{{{SAMLP}}}StatusCode", Value=status.code)
    if status.sub_code:
        etree.SubElement(code, f"{{{SAMLP}}}StatusCode", Value=status.sub_code)
    if status.message:
        etree.SubElement(st, f"{{{SAMLP}}}StatusMessage").text = status.message


def _assertion(resp: etree._Element, a: AssertionSpec, now: dt.datetime, new_id: IdSource) -> etree._Element:
    el = etree.SubElement(resp, f"{{{SAML}}}Assertion", nsmap=default_namespace(SAML))
    assertion_id = new_id()
    el.set("ID", assertion_id)
    el.set("IssueInstant", iso(now))
    el.set("Version", "2.0")
    _text(el, "Issuer", a.issuer)
    not_before, not_after = now + a.not_before_offset, now + a.lifetime

    subject = etree.SubElement(el, f"{{{SAML}}}Subject")
    name_id = _text(subject, "NameID", a.name_id, Format=a.name_id_format)
    if a.sp_name_qualifier:
        name_id.set("SPNameQualifier", a.sp_name_qualifier)
    conf = etree.SubElement(subject, f"{{{SAML}}}SubjectConfirmation", Method=BEARER)
    data = etree.SubElement(conf, f"{{{SAML}}}SubjectConfirmationData")
    if a.in_response_to:
        data.set("InResponseTo", a.in_response_to)
    data.set("NotOnOrAfter", iso(not_after))
    data.set("Recipient", a.recipient)

    cond = etree.SubElement(el, f"{{{SAML}}}Conditions", NotBefore=iso(not_before), NotOnOrAfter=iso(not_after))
    _text(etree.SubElement(cond, f"{{{SAML}}}AudienceRestriction"), "Audience", a.audience)

    if a.attributes:
        stmt = etree.SubElement(el, f"{{{SAML}}}AttributeStatement")
        for name, values in a.attributes.items():
            attr = etree.SubElement(stmt, f"{{{SAML}}}Attribute", Name=name)
            for value in values:
                _text(attr, "AttributeValue", value)

    authn_at = iso(a.authn_instant or now)
    authn = etree.SubElement(el, f"{{{SAML}}}AuthnStatement", AuthnInstant=authn_at, SessionIndex=assertion_id)
    _text(etree.SubElement(authn, f"{{{SAML}}}AuthnContext"), "AuthnContextClassRef", a.authn_context)
    return el
