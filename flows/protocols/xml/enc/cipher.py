"""Raw cipher operations for XML Encryption: key transport and block ciphers.

Both directions live here so the encryptor (tests, mock IdP) and the
decryptor share one definition of the octet layouts:

* CBC CipherValue = IV(16) || ciphertext, padded per XML Encryption §5.2.1:
  the last octet says how many padding octets there are (1–16); the other
  padding octets are arbitrary (ISO 10126), so they are *not* checked the
  PKCS#7 way — real IdPs (xmlsec, Shibboleth) fill them randomly.
* GCM CipherValue = IV(12) || ciphertext || tag(16) (XML Encryption 1.1
  §5.2.4), no associated data.
* RSA-OAEP: MGF1 with SHA-1 for ``rsa-oaep-mgf1p``; for ``xmlenc11#rsa-oaep``
  the MGF element chooses; the DigestMethod child names the OAEP hash
  (default SHA-1); an optional ``OAEPparams`` is the label (§5.4.2).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.xml.enc.algorithms import BlockCipher, KeyTransport

__all__ = ["TransportParams", "decrypt_block", "encrypt_block", "unwrap_key", "wrap_key"]

_GCM_TAG = 16


@dataclass(frozen=True)
class TransportParams:
    """Everything an EncryptedKey's EncryptionMethod says about unwrapping."""

    transport: KeyTransport
    digest: Callable[[], hashes.HashAlgorithm] = hashes.SHA1
    mgf_digest: Callable[[], hashes.HashAlgorithm] = hashes.SHA1
    label: bytes | None = None

    def padding(self) -> padding.AsymmetricPadding:
        if self.transport.padding == "pkcs1v15":
            return padding.PKCS1v15()
        return padding.OAEP(mgf=padding.MGF1(self.mgf_digest()), algorithm=self.digest(), label=self.label)


def unwrap_key(private_key: rsa.RSAPrivateKey, params: TransportParams, wrapped: bytes) -> bytes | None:
    """The transported key, or None when this private key does not open it.

    Never raises.  For PKCS#1 v1.5, OpenSSL's implicit rejection returns
    random octets instead of failing, so callers must check the key length
    and the data decryption too (which they do).
    """
    try:
        return private_key.decrypt(wrapped, params.padding())
    except (ValueError, TypeError):
        return None


def wrap_key(public_key: rsa.RSAPublicKey, params: TransportParams, key: bytes) -> bytes:
    """Encrypt ``key`` for ``public_key`` (the inverse of :func:`unwrap_key`)."""
    return public_key.encrypt(key, params.padding())


def decrypt_block(cipher: BlockCipher, key: bytes, data: bytes, *, where: str) -> bytes:
    """Decrypt a CipherValue; :class:`DecodeError` when it cannot be opened."""
    if len(key) != cipher.key_bytes:
        raise DecodeError(
            f"transported key is {len(key)} bytes, {cipher.name} needs {cipher.key_bytes}", where=where
        )
    if cipher.mode == "gcm":
        if len(data) < cipher.iv_bytes + _GCM_TAG:
            raise DecodeError(f"CipherValue too short for {cipher.name} ({len(data)} bytes)", where=where)
        try:
            return AESGCM(key).decrypt(data[: cipher.iv_bytes], data[cipher.iv_bytes :], None)
        except InvalidTag:
            raise DecodeError(f"{cipher.name} authentication tag does not match", where=where) from None
    body = data[cipher.iv_bytes :]
    if not body or len(body) % 16:
        raise DecodeError(
            f"CipherValue is not IV + whole AES blocks ({len(data)} bytes)", where=where
        )
    decryptor = Cipher(algorithms.AES(key), modes.CBC(data[: cipher.iv_bytes])).decryptor()
    plain = decryptor.update(body) + decryptor.finalize()
    count = plain[-1]
    if not 1 <= count <= 16:
        raise DecodeError(f"{cipher.name} padding is invalid (last octet {count})", where=where)
    return plain[:-count]


def encrypt_block(cipher: BlockCipher, key: bytes, plain: bytes, *, random: Callable[[int], bytes] = os.urandom) -> bytes:
    """Encrypt ``plain`` into CipherValue octets (IV first; tag last for GCM).

    ``random`` supplies the IV and the ISO 10126 padding octets.
    """
    iv = random(cipher.iv_bytes)
    if cipher.mode == "gcm":
        return iv + AESGCM(key).encrypt(iv, plain, None)
    count = 16 - len(plain) % 16
    padded = plain + random(count - 1) + bytes([count])
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return iv + encryptor.update(padded) + encryptor.finalize()
