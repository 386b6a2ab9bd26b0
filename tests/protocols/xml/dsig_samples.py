"""The shared SAML samples as differential inputs, with the README's verification truth.

Read in place from ``/work/shared/samples/saml`` (or ``$SSO_HARNESS_SAMPLES``);
nothing is copied into the repository.  Each document is judged under the
certificate the README names (``certs/<name>.idp-cert.pem`` or the
``.embedded-cert.pem``); samples without one are judged under the test-only
trusted key, under which nothing verifies.  Encrypted samples also yield
their decrypted assertions as separate documents (README: "verify inner
Assertion signatures after decryption"), decrypted with the SP test keys in
``keys/``.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from lxml import etree

from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.xml.dsig.keys import load_certificates, load_private_key
from sso_harness.protocols.xml.enc.decrypt import decrypt_element

from .dsig_corpus import SAML

SAMPLES = Path(os.environ.get("SSO_HARNESS_SAMPLES", "/work/shared/samples/saml"))

#: README "signatures (element:result)" column: (element holding the Signature, VERIFIED?) per Signature.
TRUTH: dict[str, tuple[tuple[str, bool], ...]] = {
    "entra_2021_netsaml2_issue49": (("Response", True), ("Assertion", True)),
    "entra_saml2aws_aws_sanitised": (("Assertion", False),),
    "adfs_mintlab_plain": (("Assertion", False),),
    "adfs_mintlab_failed_status": (("Assertion", False),),
    "adfs_rubysaml_sha256": (("Assertion", True),),
    "adfs_python3saml": (("Assertion", False),),
    "okta_signed_response_encrypted_assertion": (("Response", True),),
    "okta_encrypted_signed_assertion": (),
    "okta_encrypted_signed_assertion#decrypted-1": (("Assertion", True),),
    "okta_encrypted_assertion_both_signed": (("Response", True),),
    "okta_encrypted_assertion_both_signed#decrypted-1": (("Assertion", True),),
    "onelogin_crewjam_2016": (("Response", True),),
    "onelogin_python3saml_response4": (("Assertion", True),),
    "simplesamlphp_feide_openidp_2008": (("Assertion", False),),
    "simplesamlphp_pysaml2_signed": (("Assertion", False),),
    "simplesamlphp_python3saml_signed_message": (("Response", True),),
    "simplesamlphp_python3saml_signed_msg_encrypted_assertion": (("Response", True),),
    "simplesamlphp_python3saml_federate": (("Response", False), ("Assertion", False)),
    "oracle_idm_opensaml": (("Response", False),),
}


@dataclass(frozen=True)
class Sample:
    """One sample document and the certificate to trust for it."""

    name: str
    document: bytes
    cert: x509.Certificate | None
    cert_file: Path | None
    negative: bool


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".xml.b64", ".xml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _certificate(stem: str) -> Path | None:
    for kind in ("idp-cert", "embedded-cert"):
        path = SAMPLES / "certs" / f"{stem}.{kind}.pem"
        if path.exists():
            return path
    return None


def _decrypted(stem: str, document: bytes) -> Iterator[tuple[str, bytes]]:
    key_file = SAMPLES / "keys" / f"{stem}.sp-key.pem"
    if not key_file.exists():
        return
    key = load_private_key(key_file.read_bytes())
    root = etree.fromstring(document)
    for number, container in enumerate(root.findall(f"{{{SAML}}}EncryptedAssertion"), start=1):
        try:
            element = decrypt_element(container, [key], where="EncryptedAssertion")
        except DecodeError:
            continue
        yield f"{stem}#decrypted-{number}", etree.tostring(element)


def samples() -> list[Sample]:
    """Every shared sample (positive and negative), plus decrypted assertions."""
    found: list[Sample] = []
    paths = sorted(SAMPLES.glob("*.xml*")) + sorted((SAMPLES / "negative").glob("*.xml*"))
    for path in paths:
        stem = _stem(path)
        raw = path.read_bytes()
        document = base64.b64decode(raw) if path.name.endswith(".b64") else raw
        cert_file = _certificate(stem)
        cert = None if cert_file is None else load_certificates(cert_file.read_bytes())[0]
        negative = path.parent.name == "negative"
        found.append(Sample(stem, document, cert, cert_file, negative))
        for name, inner in _decrypted(stem, document):
            found.append(Sample(name, inner, cert, cert_file, negative))
    return found
