"""Algorithm identifiers for XML Encryption as SAML uses it.

URIs come from XML Encryption 1.0 §5 (``xmlenc#``) and XML Encryption 1.1
§5 (``xmlenc11#``).  Only what SAML IdPs actually emit is listed: AES-CBC and
AES-GCM for the data, RSA-OAEP and RSA PKCS#1 v1.5 for the key transport.
Anything else makes decryption fail with an "unsupported …" reason instead
of being guessed at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from cryptography.hazmat.primitives import hashes

__all__ = [
    "AES128_CBC",
    "AES128_GCM",
    "AES192_CBC",
    "AES192_GCM",
    "AES256_CBC",
    "AES256_GCM",
    "BLOCK_CIPHERS",
    "KEY_TRANSPORTS",
    "MGF1_SHA1",
    "MGF1_SHA224",
    "MGF1_SHA256",
    "MGF1_SHA384",
    "MGF1_SHA512",
    "MGFS",
    "OAEP_DIGESTS",
    "RSA_1_5",
    "RSA_OAEP",
    "RSA_OAEP_MGF1P",
    "TYPE_CONTENT",
    "TYPE_ELEMENT",
    "TYPE_ENCRYPTED_KEY",
    "XMLENC11_NS",
    "XMLENC_NS",
    "BlockCipher",
    "KeyTransport",
]

XMLENC_NS = "http://www.w3.org/2001/04/xmlenc#"
XMLENC11_NS = "http://www.w3.org/2009/xmlenc11#"

# EncryptedData/@Type (XML Encryption §3.5) and RetrievalMethod/@Type (§3.5.1).
TYPE_ELEMENT = XMLENC_NS + "Element"
TYPE_CONTENT = XMLENC_NS + "Content"
TYPE_ENCRYPTED_KEY = XMLENC_NS + "EncryptedKey"

# Block encryption (XML Encryption 1.0 §5.2, 1.1 §5.2.4).
AES128_CBC = XMLENC_NS + "aes128-cbc"
AES192_CBC = XMLENC_NS + "aes192-cbc"
AES256_CBC = XMLENC_NS + "aes256-cbc"
AES128_GCM = XMLENC11_NS + "aes128-gcm"
AES192_GCM = XMLENC11_NS + "aes192-gcm"
AES256_GCM = XMLENC11_NS + "aes256-gcm"

# Key transport (XML Encryption 1.0 §5.4, 1.1 §5.5.2).
RSA_1_5 = XMLENC_NS + "rsa-1_5"
RSA_OAEP_MGF1P = XMLENC_NS + "rsa-oaep-mgf1p"
RSA_OAEP = XMLENC11_NS + "rsa-oaep"

# Mask generation functions for xmlenc11#rsa-oaep (XML Encryption 1.1 §5.5.2).
MGF1_SHA1 = XMLENC11_NS + "mgf1sha1"
MGF1_SHA224 = XMLENC11_NS + "mgf1sha224"
MGF1_SHA256 = XMLENC11_NS + "mgf1sha256"
MGF1_SHA384 = XMLENC11_NS + "mgf1sha384"
MGF1_SHA512 = XMLENC11_NS + "mgf1sha512"


@dataclass(frozen=True)
class BlockCipher:
    """A data-encryption algorithm: AES in CBC or GCM mode with a key size.

    ``iv_bytes`` is the length of the IV prepended to the CipherValue
    (XML Encryption §5.2: 16 for CBC, 12 for GCM); GCM appends a 16-byte
    authentication tag.
    """

    uri: str
    mode: Literal["cbc", "gcm"]
    key_bytes: int

    @property
    def iv_bytes(self) -> int:
        return 16 if self.mode == "cbc" else 12

    @property
    def name(self) -> str:
        return self.uri.rpartition("#")[2]


@dataclass(frozen=True)
class KeyTransport:
    """A key-transport algorithm: RSA PKCS#1 v1.5 or one of the two OAEP URIs."""

    uri: str
    padding: Literal["pkcs1v15", "oaep"]

    @property
    def name(self) -> str:
        return self.uri.rpartition("#")[2]


BLOCK_CIPHERS: dict[str, BlockCipher] = {
    c.uri: c
    for c in (
        BlockCipher(AES128_CBC, "cbc", 16),
        BlockCipher(AES192_CBC, "cbc", 24),
        BlockCipher(AES256_CBC, "cbc", 32),
        BlockCipher(AES128_GCM, "gcm", 16),
        BlockCipher(AES192_GCM, "gcm", 24),
        BlockCipher(AES256_GCM, "gcm", 32),
    )
}

KEY_TRANSPORTS: dict[str, KeyTransport] = {
    t.uri: t
    for t in (
        KeyTransport(RSA_1_5, "pkcs1v15"),
        KeyTransport(RSA_OAEP_MGF1P, "oaep"),
        KeyTransport(RSA_OAEP, "oaep"),
    )
}

# DigestMethod inside an OAEP EncryptionMethod names the OAEP hash
# (XML Encryption §5.4.2); SHA-1 when absent.
OAEP_DIGESTS: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "http://www.w3.org/2000/09/xmldsig#sha1": hashes.SHA1,
    "http://www.w3.org/2001/04/xmldsig-more#sha224": hashes.SHA224,
    "http://www.w3.org/2001/04/xmlenc#sha256": hashes.SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#sha384": hashes.SHA384,
    "http://www.w3.org/2001/04/xmlenc#sha512": hashes.SHA512,
}

MGFS: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    MGF1_SHA1: hashes.SHA1,
    MGF1_SHA224: hashes.SHA224,
    MGF1_SHA256: hashes.SHA256,
    MGF1_SHA384: hashes.SHA384,
    MGF1_SHA512: hashes.SHA512,
}
