"""Producing compact JWS tokens — for tests and mock identity providers only.

The harness never signs on behalf of a real party; this exists so mocks can
issue realistic ID tokens and tests can forge hostile ones with real
cryptography.  Output is deterministic for deterministic algorithms
(RS*, HS*, EdDSA); ES* and PS* signatures are randomised by nature.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sso_harness.protocols.errors import SigningError
from sso_harness.protocols.jose.algorithms import ALGORITHMS, AsymmetricPrivateKey, raw_sign
from sso_harness.protocols.jose.compact import b64url_encode

__all__ = ["sign_jwt"]


def _segment(value: Mapping[str, Any]) -> str:
    # Compact separators: what most issuers emit, and stable across runs.
    return b64url_encode(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def sign_jwt(
    claims: Mapping[str, Any],
    private_key: AsymmetricPrivateKey | bytes,
    alg: str,
    kid: str | None,
    headers: Mapping[str, Any] | None = None,
) -> str:
    """Sign ``claims`` as a compact JWS with ``alg`` (RFC 7515 §5.1).

    The header is ``{"alg", "typ": "JWT", "kid"}`` (``kid`` omitted when
    None) updated with ``headers`` — which may override anything, including
    ``alg``, so tests can build mismatched tokens; the signature is always
    computed with the ``alg`` argument.  ``private_key`` is an RSA/EC/Ed25519
    private key, or bytes for HS*.  Raises :class:`SigningError` for an
    unknown ``alg`` or a key that does not fit it.
    """
    algorithm = ALGORITHMS.get(alg)
    if algorithm is None:
        raise SigningError(f"cannot sign with alg {alg!r}; supported: {', '.join(ALGORITHMS)}")
    header: dict[str, Any] = {"alg": alg, "typ": "JWT"}
    if kid is not None:
        header["kid"] = kid
    header.update(headers or {})
    signing_input = f"{_segment(header)}.{_segment(claims)}"
    try:
        signature = raw_sign(algorithm, private_key, signing_input.encode("ascii"))
    except TypeError as exc:
        raise SigningError(str(exc)) from None
    return f"{signing_input}.{b64url_encode(signature)}"
