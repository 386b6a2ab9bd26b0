"""XML-DSig for SAML: one import point for verification, signing and keys.

Implementation lives in small modules:

* :mod:`flows.protocols.xmldsig_verify` — :func:`verify_signatures`
* :mod:`flows.protocols.xmldsig_sign` — :func:`sign_template`,
  :func:`sign_element`, :func:`sign_statement_xml`
* :mod:`flows.protocols.xmldsig_keys` — certificates and raw key operations
* :mod:`flows.protocols.xmldsig_reference` / :mod:`flows.protocols.c14n` —
  the Reference pipeline and canonicalisation shared by both directions
* :mod:`flows.protocols.xmldsig_algorithms` — algorithm URIs
"""

from __future__ import annotations

from flows.protocols.xmldsig_algorithms import (
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
from flows.protocols.xmldsig_keys import (
    PrivateKey,
    certificate_from_keyinfo_text,
    certificate_sha256,
    load_certificates,
    load_private_key,
)
from flows.protocols.xmldsig_sign import sign_element, sign_statement_xml, sign_template
from flows.protocols.xmldsig_verify import SignatureCheck, verify_signatures

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
