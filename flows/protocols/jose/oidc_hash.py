"""``at_hash`` / ``c_hash`` / ``s_hash``: half-hashes binding tokens to an ID token.

OIDC Core §3.1.3.6 (``at_hash``) and §3.3.2.11 (``c_hash``): hash the ASCII
value with the hash of the ID token's ``alg`` (SHA-256 for ``*256``, …;
SHA-512 for EdDSA with Ed25519), keep the left-most half of the digest, and
base64url-encode it without padding.
"""

from __future__ import annotations

import hashlib

from sso_harness.protocols.jose.algorithms import ALGORITHMS
from sso_harness.protocols.jose.compact import b64url_encode

__all__ = ["half_hash"]


def half_hash(value: str, alg: str) -> str | None:
    """The half-hash of ``value`` for an ID token signed with ``alg``; None
    when ``alg`` has no defined hash (unknown algorithm or ``none``)."""
    algorithm = ALGORITHMS.get(alg)
    if algorithm is None:
        return None
    digest = hashlib.new(algorithm.hash_name.lower(), value.encode("ascii", "replace")).digest()
    return b64url_encode(digest[: len(digest) // 2])
