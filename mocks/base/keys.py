"""Signing material for the mocks, generated per run.

Keys never live in the repository: each fleet start makes fresh RSA keys and
self-signed certificates, and writes PEM files (mode 0600 for keys) only to a
temp directory, because pysaml2's configuration wants file paths.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

__all__ = ["KeyAndCert", "KeyPair", "new_rsa_key", "self_signed", "make_keypair", "load_keypair", "KeyRing"]

KeyAndCert = tuple[rsa.RSAPrivateKey, x509.Certificate]
"""An RSA key and a certificate for it, held in memory only."""


@dataclass(frozen=True)
class KeyPair:
    """An RSA key and its self-signed certificate, with PEM files on disk."""

    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    key_file: Path
    cert_file: Path

    @property
    def cert_pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()

    @property
    def cert_b64(self) -> str:
        """The DER certificate as base64, as metadata and KeyInfo carry it."""
        return "".join(self.cert_pem.strip().splitlines()[1:-1])


def new_rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    """A fresh RSA private key (public exponent 65537)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def self_signed(
    common_name: str, *, now: dt.datetime | None = None, valid_days: int = 365 * 3, bits: int = 2048
) -> KeyAndCert:
    """A fresh RSA key and a self-signed certificate naming ``common_name``, valid from a day before ``now``."""
    now = now or dt.datetime.now(dt.timezone.utc)
    key = new_rsa_key(bits)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=valid_days))
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_keypair(
    common_name: str,
    directory: Path,
    *,
    now: dt.datetime | None = None,
    valid_days: int = 365 * 3,
    bits: int = 2048,
    stem: str | None = None,
) -> KeyPair:
    """Generate a key pair; ``now`` fixes the validity window for determinism.

    Files are ``<stem>.key.pem`` and ``<stem>.cert.pem`` in ``directory``;
    ``stem`` defaults to the common name.
    """
    key, cert = self_signed(common_name, now=now, valid_days=valid_days, bits=bits)
    directory.mkdir(parents=True, exist_ok=True)
    stem = (stem or common_name).replace(" ", "_").replace("/", "_")
    key_file = directory / f"{stem}.key.pem"
    cert_file = directory / f"{stem}.cert.pem"
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    os.chmod(key_file, 0o600)
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return KeyPair(key=key, cert=cert, key_file=key_file, cert_file=cert_file)


def load_keypair(key_file: Path, cert_file: Path) -> KeyPair:
    """Load an RSA key and certificate written by :func:`make_keypair`."""
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{key_file}: the mocks sign with RSA keys")
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    return KeyPair(key=key, cert=cert, key_file=key_file, cert_file=cert_file)


class KeyRing:
    """Named key pairs, made on first use and kept for the ring's life.

    With ``persist=True`` a pair already on disk (``<prefix><name>.key.pem``
    and ``.cert.pem``) is loaded instead of generated, so certificates stay
    the same across restarts (config ``keys_dir``) or test runs (fixed
    test-only keys for golden files). With ``create=False`` only pairs on
    disk are used; a missing one is a ``LookupError``, not a new file.
    """

    def __init__(
        self, directory: Path, *, persist: bool = False, prefix: str = "", now: dt.datetime | None = None, create: bool = True
    ) -> None:
        self.directory = directory
        self.persist = persist or not create
        self.create = create
        self.prefix = prefix
        self.now = now
        self._pairs: dict[str, KeyPair] = {}
        self._lock = threading.Lock()

    def get(self, name: str, common_name: str | None = None) -> KeyPair:
        with self._lock:
            pair = self._pairs.get(name)
            if pair is None:
                pair = self._pairs[name] = self._load_or_make(name, common_name or name)
            return pair

    def _load_or_make(self, name: str, common_name: str) -> KeyPair:
        stem = f"{self.prefix}{name}"
        key_file, cert_file = self.directory / f"{stem}.key.pem", self.directory / f"{stem}.cert.pem"
        if self.persist and key_file.exists() and cert_file.exists():
            return load_keypair(key_file, cert_file)
        if not self.create:
            raise LookupError(f"no key pair {stem!r} in {self.directory}")
        return make_keypair(common_name, self.directory, now=self.now, stem=stem)
