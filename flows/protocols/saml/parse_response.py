"""Reading ``samlp:Response`` (SAML core §3.3.3), decrypting its assertions.

Trust rule (the defence against XML signature wrapping, "XSW"): the SP-side
view of a Response is its root element plus its *first readable
direct-child* assertion.  The message is ``trusted`` only if a valid
signature by a supplied certificate covers one of exactly those elements —
checked by element identity, never by ID string or position.

Encrypted assertions (SAML core §2.3.4, §6.2): the Response signature is
verified on the document as received, still encrypted.  Each direct
``EncryptedAssertion`` is then decrypted with the SP keys into its own
small document, and signatures inside it are verified there — so an inner
signature can only vouch for what was encrypted together with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.problems import (
    SAML_DECRYPTION_FAILED,
    SAML_NOT_TRUSTED,
    SAML_STATUS_MISSING,
    SAML_TOO_MANY_ENCRYPTED,
    Problem,
)
from sso_harness.protocols.saml.checks import signature_errors, time_errors
from sso_harness.protocols.saml.header import read_header
from sso_harness.protocols.saml.messages import Assertion, Response
from sso_harness.protocols.saml.names import first_child, saml
from sso_harness.protocols.saml.options import DecodeOptions
from sso_harness.protocols.saml.parse_assertion import read_assertion
from sso_harness.protocols.saml.signatures import SignatureReport, assess, verify_document
from sso_harness.protocols.saml.status import read_status
from sso_harness.protocols.saml.subject import read_identifier
from sso_harness.protocols.xml.dsig.verify import SignatureCheck
from sso_harness.protocols.xml.enc.decrypt import decrypt_element

__all__ = ["MAX_DECRYPTED_ASSERTIONS", "read_response"]

# Each decryption costs an RSA private-key operation; real Responses carry one.
MAX_DECRYPTED_ASSERTIONS = 4
NO_SP_KEY = "EncryptedAssertion not decrypted: no SP private key supplied (sp_keys)"

Readable = tuple[etree._Element, Sequence[SignatureCheck]]


def covered(element: etree._Element | None, checks: Sequence[SignatureCheck]) -> bool:
    """A valid check whose referenced element *is* ``element``."""
    return element is not None and any(check.valid and check.element is element for check in checks)


def _readable(
    root: etree._Element, outer: Sequence[SignatureReport], options: DecodeOptions, errors: list[Problem]
) -> tuple[list[Readable], int]:
    found: list[Readable] = []
    decrypted = attempts = 0
    for child in root:
        if child.tag == saml("Assertion"):
            found.append((child, outer))
        elif child.tag == saml("EncryptedAssertion") and options.sp_keys:
            attempts += 1
            if attempts > MAX_DECRYPTED_ASSERTIONS:
                errors.append(Problem(
                    SAML_TOO_MANY_ENCRYPTED,
                    f"EncryptedAssertion: more than {MAX_DECRYPTED_ASSERTIONS}; the rest were not decrypted",
                ))
                break
            try:
                element = decrypt_element(child, options.sp_keys, where="EncryptedAssertion")
            except DecodeError as problem:
                errors.append(Problem(SAML_DECRYPTION_FAILED, str(problem)))
                continue
            if element.tag != saml("Assertion"):
                errors.append(Problem(
                    SAML_DECRYPTION_FAILED,
                    f"EncryptedAssertion: decrypted element is {etree.QName(element).localname!r}",
                ))
                continue
            found.append((element, verify_document(element, options.trusted_certs)))
            decrypted += 1
    return found, decrypted


def _assertion(element: etree._Element, checks: Sequence[SignatureCheck], options: DecodeOptions,
               errors: list[Problem], warnings: list[str]) -> Assertion:
    subject = first_child(element, saml("Subject"))
    identifier = read_identifier(subject, options.sp_keys, where="Assertion/Subject/EncryptedID")
    if identifier.problem:
        errors.append(Problem(SAML_DECRYPTION_FAILED, identifier.problem))
    if identifier.needs_key:
        warnings.append("EncryptedID not decrypted: no SP private key supplied (sp_keys)")
    return read_assertion(element, signed=covered(element, checks), identifier=identifier)


def read_response(root: etree._Element, options: DecodeOptions) -> Response:
    """Flatten a Response root; DecodeError only for unparseable timestamps."""
    outer = verify_document(root, options.trusted_certs)
    errors: list[Problem] = []
    warnings: list[str] = []
    readable, decrypted = _readable(root, outer, options, errors)
    assertions = tuple(_assertion(element, checks, options, errors, warnings) for element, checks in readable)
    reported, reported_checks = readable[0] if readable else (None, ())
    trusted = covered(root, outer) or covered(reported, reported_checks)
    checks: list[SignatureCheck] = list(outer)
    for element, element_checks in readable:
        if element_checks is not outer:
            checks += element_checks
    status = read_status(root)
    errors[:0] = signature_errors(checks, [root] if reported is None else [root, reported])
    if status is None:
        errors.append(Problem(SAML_STATUS_MISSING, "Response has no Status element"))
    if options.now is not None:
        for assertion in assertions:
            errors += time_errors(assertion, options.now)
    if options.trusted_certs and not trusted:
        errors.append(Problem(
            SAML_NOT_TRUSTED,
            "Response is not trusted: no valid signature by a trusted certificate covers "
            "the Response or its reported assertion",
        ))
    direct_encrypted = root.findall(saml("EncryptedAssertion"))
    if direct_encrypted and not options.sp_keys:
        warnings.append(NO_SP_KEY)
    findings = assess(checks, options.trusted_certs, options.now, options.cert_horizon)
    return Response(
        **read_header(root, "Response"),
        in_response_to=root.get("InResponseTo"),
        status=status,
        assertions=assertions,
        encrypted=next(root.iter(saml("EncryptedAssertion")), None) is not None,
        signatures=tuple(checks),
        trusted=trusted,
        problems=tuple(dict.fromkeys(errors)),
        decrypted=bool(direct_encrypted) and decrypted == len(direct_encrypted),
        warnings=tuple(dict.fromkeys([*findings.warnings, *warnings])),
        certificates=findings.certificates,
    )
