"""Algorithm identifiers for XML-DSig as used by SAML, and what they mean.

URIs come from XML-DSig 1.1 §6 and RFC 6931 ("Additional XML Security
URIs").  Only algorithms a SAML deployment plausibly uses are listed; any
other identifier makes a signature invalid with an "unsupported …" reason
rather than being guessed at.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from cryptography.hazmat.primitives import hashes

__all__ = [
    "C14N",
    "C14N_WITH_COMMENTS",
    "CANONICALIZATIONS",
    "DIGESTS",
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
    "SIGNATURE_METHODS",
    "CanonicalizationMode",
    "DigestAlgorithm",
    "SignatureMethod",
]

DS_NS = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N_NS = "http://www.w3.org/2001/10/xml-exc-c14n#"

# Transforms / canonicalisation (XML-DSig §6.5, §6.6).
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
C14N_WITH_COMMENTS = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXC_C14N_WITH_COMMENTS = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"

# Digests (XML-DSig §6.2, RFC 6931 §2.1).
SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"
SHA224 = "http://www.w3.org/2001/04/xmldsig-more#sha224"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
SHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384"
SHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"

# Signature methods (XML-DSig §6.4, RFC 6931 §2.3).
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
RSA_SHA224 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha224"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
RSA_SHA384 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
RSA_SHA512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
ECDSA_SHA1 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1"
ECDSA_SHA224 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224"
ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
ECDSA_SHA384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"
ECDSA_SHA512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"
RSA_PSS_SHA256 = "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1"
RSA_PSS_SHA384 = "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1"
RSA_PSS_SHA512 = "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1"


@dataclass(frozen=True)
class DigestAlgorithm:
    """A DigestMethod: ``new()`` returns a fresh hashlib object."""

    uri: str
    name: str
    new: Callable[[], hashlib._Hash]


@dataclass(frozen=True)
class SignatureMethod:
    """A SignatureMethod: key family, padding scheme and hash."""

    uri: str
    family: Literal["rsa", "rsa-pss", "ecdsa"]
    hash: Callable[[], hashes.HashAlgorithm]


@dataclass(frozen=True)
class CanonicalizationMode:
    """How lxml must serialise: exclusive or inclusive C14N 1.0, comments."""

    uri: str
    exclusive: bool
    with_comments: bool


DIGESTS: dict[str, DigestAlgorithm] = {
    d.uri: d
    for d in (
        DigestAlgorithm(SHA1, "sha1", hashlib.sha1),
        DigestAlgorithm(SHA224, "sha224", hashlib.sha224),
        DigestAlgorithm(SHA256, "sha256", hashlib.sha256),
        DigestAlgorithm(SHA384, "sha384", hashlib.sha384),
        DigestAlgorithm(SHA512, "sha512", hashlib.sha512),
    )
}

SIGNATURE_METHODS: dict[str, SignatureMethod] = {
    m.uri: m
    for m in (
        SignatureMethod(RSA_SHA1, "rsa", hashes.SHA1),
        SignatureMethod(RSA_SHA224, "rsa", hashes.SHA224),
        SignatureMethod(RSA_SHA256, "rsa", hashes.SHA256),
        SignatureMethod(RSA_SHA384, "rsa", hashes.SHA384),
        SignatureMethod(RSA_SHA512, "rsa", hashes.SHA512),
        SignatureMethod(ECDSA_SHA1, "ecdsa", hashes.SHA1),
        SignatureMethod(ECDSA_SHA224, "ecdsa", hashes.SHA224),
        SignatureMethod(ECDSA_SHA256, "ecdsa", hashes.SHA256),
        SignatureMethod(ECDSA_SHA384, "ecdsa", hashes.SHA384),
        SignatureMethod(ECDSA_SHA512, "ecdsa", hashes.SHA512),
        SignatureMethod(RSA_PSS_SHA256, "rsa-pss", hashes.SHA256),
        SignatureMethod(RSA_PSS_SHA384, "rsa-pss", hashes.SHA384),
        SignatureMethod(RSA_PSS_SHA512, "rsa-pss", hashes.SHA512),
    )
}

CANONICALIZATIONS: dict[str, CanonicalizationMode] = {
    c.uri: c
    for c in (
        CanonicalizationMode(C14N, exclusive=False, with_comments=False),
        CanonicalizationMode(C14N_WITH_COMMENTS, exclusive=False, with_comments=True),
        CanonicalizationMode(EXC_C14N, exclusive=True, with_comments=False),
        CanonicalizationMode(EXC_C14N_WITH_COMMENTS, exclusive=True, with_comments=True),
    )
}
