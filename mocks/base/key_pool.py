"""RSA keys generated ahead of time, each handed out once.

A 2048-bit RSA key costs 20-300 ms of CPU to generate (a random prime
search), and the full fleet needs nine: the largest part of its start after
importing pysaml2. A :class:`KeyPool` is a folder of private keys made
earlier, so a start only reads them:

* :meth:`KeyPool.take` moves one key out of the folder for good (an atomic
  rename, so two workers never get the same key) and deletes its file: keys
  stay fresh per fleet, only made earlier;
* :meth:`KeyPool.fill` tops the folder up (a fleet does it for the keys it
  took when it stops, so the next start finds them; ``python -m
  sso_harness.mocks.base.key_pool fill`` does it by hand);
* an empty, missing or unreadable pool is not an error: the caller
  generates on the spot, as without a pool.

Files are PKCS#8 PEM, mode 0600, in a mode-0700 folder. A key from the pool
is loaded without OpenSSL's RSA consistency check, which costs as much as
generating one: this code wrote the file, into a folder only its user reads.

The default folder is ``mock-key-pool`` in the tools folder
(:mod:`sso_harness.tools_dir`: ``.cache/tools`` in a checkout).
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sso_harness.tools_dir import tool_dir

__all__ = ["KeyPool", "POOL_TOOL", "default_pool"]

POOL_TOOL = "mock-key-pool"
_SUFFIX = ".key.pem"
_BITS = 2048


class KeyPool:
    """A folder of 2048-bit RSA private keys; ``size`` is how many :meth:`fill` keeps there by default."""

    def __init__(self, directory: Path, *, size: int = 24) -> None:
        self.directory = directory
        self.size = size

    def count(self) -> int:
        try:
            return sum(1 for p in self.directory.iterdir() if p.name.endswith(_SUFFIX))
        except OSError:
            return 0

    def take(self) -> rsa.RSAPrivateKey | None:
        """One key, removed from the pool; None when the pool has none to give."""
        try:
            names = sorted(p.name for p in self.directory.iterdir() if p.name.endswith(_SUFFIX))
        except OSError:
            return None
        for name in names:
            claimed = self.directory / f"{name}.{os.getpid()}-{secrets.token_hex(4)}.taken"
            try:
                os.rename(self.directory / name, claimed)  # atomic: whoever renames first owns the key
            except OSError:
                continue  # another worker took it
            try:
                key = serialization.load_pem_private_key(claimed.read_bytes(), password=None, unsafe_skip_rsa_key_validation=True)
            except (OSError, ValueError):
                key = None  # a damaged file: drop it, try the next
            finally:
                claimed.unlink(missing_ok=True)
            if isinstance(key, rsa.RSAPrivateKey) and key.key_size == _BITS:
                return key
        return None

    def fill(self, size: int | None = None) -> int:
        """Generate keys until the pool holds ``size`` (default :attr:`size`); how many were made.

        A folder that cannot be created or written makes this a no-op (0).
        """
        target = self.size if size is None else size
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            return 0
        made = 0
        while self.count() < target:
            key = rsa.generate_private_key(public_exponent=65537, key_size=_BITS)
            pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            stem = secrets.token_hex(8)
            partial = self.directory / f"{stem}.partial"
            try:
                # Created 0600 and renamed into place whole, so take() never reads half a file.
                fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as out:
                    out.write(pem)
                os.rename(partial, self.directory / f"{stem}{_SUFFIX}")
            except OSError:
                partial.unlink(missing_ok=True)
                return made
            made += 1
        return made


def default_pool() -> KeyPool:
    """The pool in the tools folder (``$SSO_HARNESS_TOOLS``, ``.cache/tools`` or the user's cache)."""
    return KeyPool(tool_dir(POOL_TOOL))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sso_harness.mocks.base.key_pool", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("fill", "count"))
    parser.add_argument("--size", type=int, default=None, help="keys to keep (default 24)")
    args = parser.parse_args(argv)
    pool = default_pool()
    if args.command == "fill":
        made = pool.fill(args.size)
        print(f"{pool.directory}: made {made}, holds {pool.count()}")
    else:
        print(pool.count())
    return 0


if __name__ == "__main__":
    sys.exit(main())
