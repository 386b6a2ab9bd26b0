"""Reading ``samlp:LogoutRequest`` and ``samlp:LogoutResponse`` (SAML core §3.7).

Single logout travels over HTTP-Redirect (query signature, verified by the
binding layer) or HTTP-POST (enveloped signature, verified here).  Either
way ``trusted`` needs a valid trusted signature over the message element
itself.
"""

from __future__ import annotations

from lxml import etree

from sso_harness.protocols.problems import SAML_DECRYPTION_FAILED, SAML_STATUS_MISSING, Problem
from sso_harness.protocols.saml.checks import signature_errors
from sso_harness.protocols.saml.header import read_header
from sso_harness.protocols.saml.messages import LogoutRequest, LogoutResponse
from sso_harness.protocols.saml.names import children, samlp, trimmed_text
from sso_harness.protocols.saml.options import DecodeOptions
from sso_harness.protocols.saml.parse_response import covered
from sso_harness.protocols.saml.signatures import assess, verify_document
from sso_harness.protocols.saml.status import read_status
from sso_harness.protocols.saml.subject import read_identifier
from sso_harness.protocols.saml.timeutil import parse_instant

__all__ = ["read_logout_request", "read_logout_response"]


def read_logout_request(root: etree._Element, options: DecodeOptions) -> LogoutRequest:
    """Flatten a LogoutRequest (§3.7.1): the principal's NameID or EncryptedID
    (decrypted with the SP keys), every SessionIndex, NotOnOrAfter, Reason."""
    checks = verify_document(root, options.trusted_certs)
    identifier = read_identifier(root, options.sp_keys, where="LogoutRequest/EncryptedID")
    errors = signature_errors(checks, [root], accepted_name="not the LogoutRequest")
    warnings: list[str] = []
    if identifier.problem:
        errors.append(Problem(SAML_DECRYPTION_FAILED, identifier.problem))
    if identifier.needs_key:
        warnings.append("EncryptedID not decrypted: no SP private key supplied (sp_keys)")
    findings = assess(checks, options.trusted_certs, options.now, options.cert_horizon)
    return LogoutRequest(
        **read_header(root, "LogoutRequest"),
        name_id=identifier.name_id,
        name_id_encrypted=identifier.encrypted,
        session_indexes=tuple(trimmed_text(e) or "" for e in children(root, samlp("SessionIndex"))),
        not_on_or_after=parse_instant(root.get("NotOnOrAfter"), where="LogoutRequest@NotOnOrAfter"),
        reason=root.get("Reason"),
        signatures=checks,
        trusted=covered(root, checks),
        problems=tuple(errors),
        warnings=(*findings.warnings, *warnings),
        certificates=findings.certificates,
    )


def read_logout_response(root: etree._Element, options: DecodeOptions) -> LogoutResponse:
    """Flatten a LogoutResponse (§3.7.2): InResponseTo and Status."""
    checks = verify_document(root, options.trusted_certs)
    errors = signature_errors(checks, [root], accepted_name="not the LogoutResponse")
    status = read_status(root)
    if status is None:
        errors.append(Problem(SAML_STATUS_MISSING, "LogoutResponse has no Status element"))
    findings = assess(checks, options.trusted_certs, options.now, options.cert_horizon)
    return LogoutResponse(
        **read_header(root, "LogoutResponse"),
        in_response_to=root.get("InResponseTo"),
        status=status,
        signatures=checks,
        trusted=covered(root, checks),
        problems=tuple(errors),
        warnings=findings.warnings,
        certificates=findings.certificates,
    )
