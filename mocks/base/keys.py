"""Signing material for the mocks, generated per run.

Keys never live in the repository: each fleet start makes fresh RSA keys and
self-signed certificates, and writes PEM files (mode 0600 for keys) only to a
temp directory, because pysaml2's configuration wants file paths. A
:class:`~sso_harness.mocks.base.key_pool.KeyPool` can hand a ring keys that
were generated ahead of time (each used once), which makes a start cheaper.

Every key written or loaded here is remembered by its file
(:func:`key_for_file`), so code that is handed only the path (pysaml2's
signing backend) does not parse and check the PEM again.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from sso_harness.mocks.base.key_pool import KeyPool

__all__ = ["KeyAndCert", "KeyPair", "new_rsa_key", "self_signed", "make_keypair", "load_keypair", "key_for_file", "KeyRing"]

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
    common_name: str, *, now: dt.datetime | None = None, valid_days: int = 365 * 3, bits: int = 2048,
    key: rsa.RSAPrivateKey | None = None,
) -> KeyAndCert:
    """A self-signed certificate naming ``common_name``, valid from a day before ``now``, for ``key``
    (default: a fresh RSA key of ``bits``), and that key."""
    now = now or dt.datetime.now(dt.timezone.utc)
    key = key or new_rsa_key(bits)
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
    key: rsa.RSAPrivateKey | None = None,
) -> KeyPair:
    """Generate a key pair (or certify ``key``, made earlier); ``now`` fixes the validity window for determinism.

    Files are ``<stem>.key.pem`` and ``<stem>.cert.pem`` in ``directory``;
    ``stem`` defaults to the common name.
    """
    key, cert = self_signed(common_name, now=now, valid_days=valid_days, bits=bits, key=key)
    directory.mkdir(parents=True, exist_ok=True)
    stem = (stem or common_name).replace(" ", "_").replace("/", "_")
    key_file = directory / f"{stem}.key.pem"
    cert_file = directory / f"{stem}.cert.pem"
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    os.chmod(key_file, 0o600)
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _remember(key_file, key)
    return KeyPair(key=key, cert=cert, key_file=key_file, cert_file=cert_file)


def load_keypair(key_file: Path, cert_file: Path) -> KeyPair:
    """Load an RSA key and certificate written by :func:`make_keypair`."""
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{key_file}: the mocks sign with RSA keys")
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    _remember(key_file, key)
    return KeyPair(key=key, cert=cert, key_file=key_file, cert_file=cert_file)


# The keys written or loaded here, by resolved file path, with the file's mtime then (a file rewritten
# since is read afresh); bounded, newest kept (a test run starts many fleets).
_KNOWN: OrderedDict[str, tuple[int, rsa.RSAPrivateKey]] = OrderedDict()
_KNOWN_MAX = 256
_KNOWN_LOCK = threading.Lock()


def _remember(key_file: Path, key: rsa.RSAPrivateKey) -> None:
    path = key_file.resolve()
    with _KNOWN_LOCK:
        _KNOWN[str(path)] = (path.stat().st_mtime_ns, key)
        _KNOWN.move_to_end(str(path))
        while len(_KNOWN) > _KNOWN_MAX:
            _KNOWN.popitem(last=False)


def key_for_file(key_file: str | Path) -> rsa.RSAPrivateKey | None:
    """The key this module wrote to or loaded from ``key_file``, if it still knows it and the file
    has not changed since; None otherwise.

    Parsing a PEM RSA key runs OpenSSL's consistency check, as costly as
    generating one; whoever holds only the path can ask here first.
    """
    path = Path(key_file).resolve()
    with _KNOWN_LOCK:
        known = _KNOWN.get(str(path))
    if known is None:
        return None
    try:
        return known[1] if path.stat().st_mtime_ns == known[0] else None
    except OSError:
        return None


class KeyRing:
    """Named key pairs, made on first use and kept for the ring's life.

    With ``persist=True`` a pair already on disk (``<prefix><name>.key.pem``
    and ``.cert.pem``) is loaded instead of generated, so certificates stay
    the same across restarts (config ``keys_dir``) or test runs (fixed
    test-only keys for golden files). With ``create=False`` only pairs on
    disk are used; a missing one is a ``LookupError``, not a new file. With
    a ``pool``, a new pair's key comes from it when it has one (made ahead
    of time); :attr:`made` counts the new pairs, so the owner knows how many
    keys to put back in the pool (:meth:`refill_pool`) for the next start.
    """

    def __init__(
        self, directory: Path, *, persist: bool = False, prefix: str = "", now: dt.datetime | None = None, create: bool = True,
        pool: KeyPool | None = None,
    ) -> None:
        self.directory = directory
        self.persist = persist or not create
        self.create = create
        self.prefix = prefix
        self.now = now
        self.pool = pool
        self.made = 0
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
        key = self.pool.take() if self.pool is not None else None
        self.made += 1
        return make_keypair(common_name, self.directory, now=self.now, stem=stem, key=key)

    def refill_pool(self) -> int:
        """Generate, into the pool, as many keys as this ring made (up to the pool's size); how many."""
        if self.pool is None or not self.made:
            return 0
        made, self.made = self.made, 0
        return self.pool.fill(min(self.pool.size, self.pool.count() + made))
