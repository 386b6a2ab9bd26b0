"""XML-DSig for SAML: one import point for verification, signing and keys.

Implementation lives in small modules:

* :mod:`sso_harness.protocols.xml.dsig.verify` — :func:`verify_signatures`
* :mod:`sso_harness.protocols.xml.dsig.sign` — :func:`sign_template`,
  :func:`sign_element`, :func:`sign_statement_xml`
* :mod:`sso_harness.protocols.xml.dsig.keys` — certificates and raw key operations
* :mod:`sso_harness.protocols.xml.dsig.reference` / :mod:`sso_harness.protocols.xml.dsig.c14n` —
  the Reference pipeline and canonicalisation shared by both directions
* :mod:`sso_harness.protocols.xml.dsig.algorithms` — algorithm URIs
"""

from __future__ import annotations

from sso_harness.protocols.xml.dsig.algorithms import (
    C14N,
    C14N_WITH_COMMENTS,
    DS_NS,
    ECDSA_SHA1,
    ECDSA_SHA224,
    ECDSA_SHA256,
    ECDSA_SHA384,
    ECDSA_SHA512,
    ENVELOPED,
    EXC_C14N,
    EXC_C14N_NS,
    EXC_C14N_WITH_COMMENTS,
    RSA_PSS_SHA256,
    RSA_PSS_SHA384,
    RSA_PSS_SHA512,
    RSA_SHA1,
    RSA_SHA224,
    RSA_SHA256,
    RSA_SHA384,
    RSA_SHA512,
    SHA1,
    SHA224,
    SHA256,
    SHA384,
    SHA512,
)
from sso_harness.protocols.xml.dsig.keys import (
    PrivateKey,
    certificate_from_keyinfo_text,
    certificate_sha256,
    load_certificates,
    load_private_key,
)
from sso_harness.protocols.xml.dsig.sign import sign_element, sign_statement_xml, sign_template
from sso_harness.protocols.xml.dsig.verify import SignatureCheck, verify_signatures

__all__ = [
    "C14N",
    "C14N_WITH_COMMENTS",
    "DS_NS",
    "ECDSA_SHA1",
    "ECDSA_SHA224",
    "ECDSA_SHA256",
    "ECDSA_SHA384",
    "ECDSA_SHA512",
    "ENVELOPED",
    "EXC_C14N",
    "EXC_C14N_NS",
    "EXC_C14N_WITH_COMMENTS",
    "RSA_PSS_SHA256",
    "RSA_PSS_SHA384",
    "RSA_PSS_SHA512",
    "RSA_SHA1",
    "RSA_SHA224",
    "RSA_SHA256",
    "RSA_SHA384",
    "RSA_SHA512",
    "SHA1",
    "SHA224",
    "SHA256",
    "SHA384",
    "SHA512",
    "PrivateKey",
    "SignatureCheck",
    "certificate_from_keyinfo_text",
    "certificate_sha256",
    "load_certificates",
    "load_private_key",
    "sign_element",
    "sign_statement_xml",
    "sign_template",
    "verify_signatures",
]
