"""Reading ``wresult``: a WS-Trust RequestSecurityTokenResponse (RSTR).

WS-Trust 1.2 (``http://schemas.xmlsoap.org/ws/2005/02/trust``) sends a bare
``t:RequestSecurityTokenResponse``; WS-Trust 1.3
(``http://docs.oasis-open.org/ws-sx/ws-trust/200512``, §4.3) wraps it in a
``RequestSecurityTokenResponseCollection``.  Read from the RSTR:
``wsp:AppliesTo/wsa:EndpointReference/wsa:Address`` (WS-Policy 1.2 /
WS-Addressing, either version), ``t:Lifetime`` (``wsu:Created``,
``wsu:Expires``), ``t:TokenType`` and the token in
``t:RequestedSecurityToken``: a SAML 1.1 or SAML 2.0 Assertion, or an
encrypted one (``saml2:EncryptedAssertion`` or a bare ``xenc:EncryptedData``)
that the SP keys decrypt.

Trust: the token's own enveloped signature (SAML 1.1 references
``AssertionID``) must be valid, by a trusted certificate, and reference the
very element whose values are reported.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.xml.text import child_elements
from sso_harness.protocols.problems import (
    SAML_DECRYPTION_FAILED,
    SAML_NOT_BEFORE,
    SAML_NOT_ON_OR_AFTER,
    WSFED_NOT_TRUSTED,
    WSFED_TOKEN_COUNT,
    WSFED_UNSUPPORTED_TOKEN,
    Problem,
)
from sso_harness.protocols.saml.checks import signature_errors
from sso_harness.protocols.saml.messages import Assertion
from sso_harness.protocols.saml.names import first_child, saml, trimmed_text
from sso_harness.protocols.saml.options import DecodeOptions
from sso_harness.protocols.saml.parse_assertion import read_assertion
from sso_harness.protocols.saml.parse_response import covered
from sso_harness.protocols.saml.signatures import assess, verify_document
from sso_harness.protocols.saml.subject import read_identifier
from sso_harness.protocols.saml.timeutil import format_instant, parse_instant
from sso_harness.protocols.wsfed.messages import Saml11Assertion, WsFedSignInResponse
from sso_harness.protocols.wsfed.saml11 import read_saml11_assertion, saml11
from sso_harness.protocols.xml.dsig.verify import SignatureCheck
from sso_harness.protocols.xml.enc.decrypt import decrypt_element, xenc

__all__ = ["TRUST_12_NS", "TRUST_13_NS", "read_rstr"]

TRUST_12_NS = "http://schemas.xmlsoap.org/ws/2005/02/trust"
TRUST_13_NS = "http://docs.oasis-open.org/ws-sx/ws-trust/200512"
_TRUST = {TRUST_12_NS: "1.2", TRUST_13_NS: "1.3"}
_POLICY = ("http://schemas.xmlsoap.org/ws/2004/09/policy", "http://www.w3.org/ns/ws-policy")
_ADDRESSING = ("http://www.w3.org/2005/08/addressing", "http://schemas.xmlsoap.org/ws/2004/08/addressing")
_WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"


def _child(parent: etree._Element | None, namespaces: Sequence[str], local: str) -> etree._Element | None:
    if parent is None:
        return None
    for namespace in namespaces:
        found = parent.find(f"{{{namespace}}}{local}")
        if found is not None:
            return found
    return None


def _rstr(root: etree._Element) -> tuple[etree._Element, str]:
    namespace = etree.QName(root).namespace or ""
    version = _TRUST.get(namespace)
    local = etree.QName(root).localname
    if version is None or local not in ("RequestSecurityTokenResponse", "RequestSecurityTokenResponseCollection"):
        raise DecodeError(f"root element {root.tag!r} is not a WS-Trust RequestSecurityTokenResponse", where="wresult")
    if local == "RequestSecurityTokenResponse":
        return root, version
    responses = root.findall(f"{{{namespace}}}RequestSecurityTokenResponse")
    if len(responses) != 1:
        raise DecodeError(f"the collection holds {len(responses)} RSTRs, expected one", where="wresult")
    return responses[0], version


def _token_element(
    holder: etree._Element | None, options: DecodeOptions, errors: list[Problem]
) -> tuple[etree._Element | None, bool, bool]:
    """(token element, encrypted, decrypted)."""
    elements = [] if holder is None else child_elements(holder)
    if holder is None or len(elements) != 1:
        errors.append(Problem(WSFED_TOKEN_COUNT, f"RequestedSecurityToken holds {len(elements)} elements, expected one token"))
        return None, False, False
    token = elements[0]
    if token.tag not in (saml("EncryptedAssertion"), xenc("EncryptedData")):
        return token, False, False
    if not options.sp_keys:
        return None, True, False
    container = token if token.tag == saml("EncryptedAssertion") else holder
    try:
        return decrypt_element(container, options.sp_keys, where="RequestedSecurityToken"), True, True
    except DecodeError as problem:
        errors.append(Problem(SAML_DECRYPTION_FAILED, str(problem)))
        return None, True, False


def _read_token(
    token: etree._Element, checks: Sequence[SignatureCheck], options: DecodeOptions, errors: list[Problem], warnings: list[str]
) -> Assertion | Saml11Assertion | None:
    if token.tag == saml11("Assertion"):
        return read_saml11_assertion(token, signed=covered(token, checks))
    if token.tag == saml("Assertion"):
        identifier = read_identifier(first_child(token, saml("Subject")), options.sp_keys, where="EncryptedID")
        if identifier.problem:
            errors.append(Problem(SAML_DECRYPTION_FAILED, identifier.problem))
        if identifier.needs_key:
            warnings.append("EncryptedID not decrypted: no SP private key supplied (sp_keys)")
        return read_assertion(token, signed=covered(token, checks), identifier=identifier)
    errors.append(Problem(WSFED_UNSUPPORTED_TOKEN, f"unsupported token {token.tag!r} (expected a SAML 1.1 or SAML 2.0 Assertion)"))
    return None


def _time_errors(token: Assertion | Saml11Assertion, options: DecodeOptions) -> list[Problem]:
    now = options.now
    if now is None:
        return []
    found = []
    if token.not_before is not None and token.not_before > now:
        found.append(Problem(SAML_NOT_BEFORE, f"token Conditions NotBefore {format_instant(token.not_before)} is after "
                             f"the evaluation time {format_instant(now)} (not yet valid)"))
    if token.not_on_or_after is not None and token.not_on_or_after <= now:
        found.append(Problem(SAML_NOT_ON_OR_AFTER, f"token Conditions NotOnOrAfter {format_instant(token.not_on_or_after)} "
                             f"is not after the evaluation time {format_instant(now)} (expired)"))
    return found


def read_rstr(wa: str, wctx: str | None, wresult: bytes, root: etree._Element, options: DecodeOptions) -> WsFedSignInResponse:
    """Flatten a parsed ``wresult``; DecodeError for a non-RSTR root or bad timestamps."""
    rstr, version = _rstr(root)
    trust = (TRUST_12_NS if version == "1.2" else TRUST_13_NS,)
    errors: list[Problem] = []
    warnings: list[str] = []
    lifetime = _child(rstr, trust, "Lifetime")
    reference = _child(_child(rstr, _POLICY, "AppliesTo"), _ADDRESSING, "EndpointReference")
    token_el, encrypted, decrypted = _token_element(_child(rstr, trust, "RequestedSecurityToken"), options, errors)
    if encrypted and not options.sp_keys:
        warnings.append("token is encrypted and not decrypted: no SP private key supplied (sp_keys)")
    checks = verify_document(root, options.trusted_certs)
    if token_el is not None and decrypted:
        checks += verify_document(token_el, options.trusted_certs)
    token = None if token_el is None else _read_token(token_el, checks, options, errors, warnings)
    trusted = token is not None and covered(token_el, checks)
    errors[:0] = signature_errors(checks, [] if token_el is None else [token_el], accepted_name="not the token")
    if token is not None:
        errors += _time_errors(token, options)
    if options.trusted_certs and not trusted:
        errors.append(Problem(
            WSFED_NOT_TRUSTED, "token is not trusted: no valid signature by a trusted certificate covers the reported token"
        ))
    findings = assess(checks, options.trusted_certs, options.now, options.cert_horizon)
    return WsFedSignInResponse(
        wa=wa,
        wctx=wctx,
        wresult=wresult,
        trust_version="1.2" if version == "1.2" else "1.3",
        applies_to=trimmed_text(_child(reference, _ADDRESSING, "Address")),
        created=parse_instant(trimmed_text(_child(lifetime, (_WSU,), "Created")), where="Lifetime/Created"),
        expires=parse_instant(trimmed_text(_child(lifetime, (_WSU,), "Expires")), where="Lifetime/Expires"),
        token_type=trimmed_text(_child(rstr, trust, "TokenType")),
        token=token,
        encrypted=encrypted,
        decrypted=decrypted,
        signatures=checks,
        trusted=trusted,
        problems=tuple(dict.fromkeys(errors)),
        warnings=tuple(dict.fromkeys([*findings.warnings, *warnings])),
        certificates=findings.certificates,
    )


