"""``parse_saml``: XML text → decoded SAML message with a trust verdict.

Trust rule (the defence against XML signature wrapping, "XSW"): the SP-side
view of a Response is its root element plus its *first direct-child*
Assertion.  The message is ``trusted`` only if a valid signature by a
supplied certificate covers one of exactly those elements — checked by
element identity, never by ID string or position, so a signed element moved
elsewhere in the tree cannot lend its signature to forged content.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from cryptography import x509
from lxml import etree

from flows.protocols.errors import DecodeError
from flows.protocols.safexml import parse_xml
from flows.protocols.saml.checks import signature_errors, time_errors
from flows.protocols.saml.model import OtherSamlMessage, Response, SamlMessage, Status
from flows.protocols.saml.names import children, first_child, full_text, saml, samlp, trimmed_text
from flows.protocols.saml.parse_assertion import read_assertion
from flows.protocols.saml.parse_request import read_authn_request
from flows.protocols.saml.timeutil import parse_instant
from flows.protocols.xmldsig_verify import SignatureCheck, verify_signatures

__all__ = ["parse_saml"]

_OTHER_KINDS = {
    samlp("LogoutRequest"): "saml.logout_request",
    samlp("LogoutResponse"): "saml.logout_response",
}


def _status(root: etree._Element) -> Status | None:
    status = first_child(root, samlp("Status"))
    if status is None:
        return None
    code = first_child(status, samlp("StatusCode"))
    sub_codes: list[str] = []
    nested = first_child(code, samlp("StatusCode"))
    while nested is not None:  # depth is bounded by libxml2's nesting limit
        sub_codes.append(nested.get("Value") or "")
        nested = first_child(nested, samlp("StatusCode"))
    message = full_text(first_child(status, samlp("StatusMessage")))
    return Status(
        code=None if code is None else code.get("Value"),
        sub_codes=tuple(sub_codes),
        message=None if message is None else message.strip(),
    )


def _covered(element: etree._Element | None, checks: Sequence[SignatureCheck]) -> bool:
    return element is not None and any(check.valid and check.element is element for check in checks)


def _response(root: etree._Element, certs: tuple[x509.Certificate, ...], now: datetime | None) -> Response:
    checks = verify_signatures(root, certs)
    direct = children(root, saml("Assertion"))
    reported = direct[0] if direct else None
    assertions = tuple(read_assertion(element, signed=_covered(element, checks)) for element in direct)
    trusted = _covered(root, checks) or _covered(reported, checks)
    status = _status(root)
    errors = signature_errors(checks, [root] if reported is None else [root, reported])
    if status is None:
        errors.append("Response has no Status element")
    if now is not None:
        for assertion in assertions:
            errors += time_errors(assertion, now)
    if certs and not trusted:
        errors.append(
            "Response is not trusted: no valid signature by a trusted certificate covers "
            "the Response or its reported assertion"
        )
    return Response(
        id=root.get("ID"),
        issue_instant=parse_instant(root.get("IssueInstant"), where="Response@IssueInstant"),
        issuer=trimmed_text(first_child(root, saml("Issuer"))),
        destination=root.get("Destination"),
        in_response_to=root.get("InResponseTo"),
        status=status,
        assertions=assertions,
        encrypted=next(root.iter(saml("EncryptedAssertion")), None) is not None,
        signatures=tuple(checks),
        trusted=trusted,
        errors=tuple(errors),
    )


def _normalise_now(now: datetime | None) -> datetime | None:
    if now is None:
        return None
    if not isinstance(now, datetime):
        raise DecodeError(f"evaluation time must be a datetime, got {type(now).__name__}", where="now")
    # A naive evaluation time is taken as UTC, like SAML's own timestamps.
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def parse_saml(
    xml: bytes | str,
    *,
    trusted_certs: Sequence[x509.Certificate] = (),
    now: datetime | None = None,
) -> SamlMessage:
    """Decode a SAML 2.0 protocol message.

    Returns :class:`Response`, :class:`AuthnRequest` or
    :class:`OtherSamlMessage` (LogoutRequest/LogoutResponse/anything else).
    Signatures are verified against ``trusted_certs`` only.  When ``now`` is
    given, assertion time-window problems are added to ``Response.errors``.
    Encrypted assertions are detected, not decrypted.  Total: raises only
    :class:`DecodeError`.
    """
    root = parse_xml(xml, where="XML")
    certs = tuple(trusted_certs)
    when = _normalise_now(now)
    if root.tag == samlp("Response"):
        return _response(root, certs, when)
    if root.tag == samlp("AuthnRequest"):
        return read_authn_request(root, verify_signatures(root, certs))
    return OtherSamlMessage(
        kind=_OTHER_KINDS.get(root.tag, "saml.unknown"),
        id=root.get("ID"),
        issuer=trimmed_text(first_child(root, saml("Issuer"))),
        destination=root.get("Destination"),
        root_name=str(root.tag),
    )
