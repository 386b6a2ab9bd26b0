"""JWK Sets (RFC 7517 §5): decoding a published ``jwks_uri`` document.

A JWKS is reported, not judged: every key is kept (usable or not, see
:class:`~sso_harness.protocols.jose.jwk.JwkInfo`), and document-level problems go
to ``errors`` (it publishes private key material, it is not a key set) or
``warnings`` (repeated ``kid``, unusable keys).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from sso_harness.protocols.errors import DECODE_TOO_LARGE, DecodeError
from sso_harness.protocols.jose.jsonobj import parse_json_object
from sso_harness.protocols.jose.jwk import JwkInfo, parse_jwk

__all__ = ["MAX_KEYS", "HasJwksUri", "Jwks", "as_jwks", "decode_jwks", "select_jwks_uri"]

MAX_KEYS = 256


@dataclass(frozen=True)
class Jwks:
    """A decoded JWK Set; kind ``jose.jwks``."""

    kind: ClassVar[str] = "jose.jwks"

    keys: tuple[JwkInfo, ...]
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def kids(self) -> tuple[str, ...]:
        return tuple(k.kid for k in self.keys if k.kid is not None)


def decode_jwks(data: str | bytes | Mapping[str, Any]) -> Jwks:
    """Decode a JWKS from its JSON text or an already-parsed mapping.

    Raises :class:`DecodeError` when the input is not an object with a
    ``keys`` array (RFC 7517 §5.1) or has more than :data:`MAX_KEYS` keys.
    """
    document = data if isinstance(data, Mapping) else parse_json_object(data, where="jwks")
    keys = document.get("keys")
    if not isinstance(keys, list):
        raise DecodeError("a JWK Set needs a 'keys' array (RFC 7517 §5.1)", where="jwks")
    if len(keys) > MAX_KEYS:
        raise DecodeError(f"more than {MAX_KEYS} keys", where="jwks/keys", code=DECODE_TOO_LARGE)
    infos = tuple(parse_jwk(k) for k in keys)
    errors: list[str] = []
    warnings: list[str] = []
    for number, info in enumerate(infos):
        name = f"key {number} (kid {info.kid!r})" if info.kid else f"key {number}"
        if info.private:
            errors.append(f"{name} publishes private key material; anyone can now sign as this issuer")
        if info.problem:
            warnings.append(f"{name} cannot be used: {info.problem}")
    repeated = [kid for kid, count in Counter(info.kid for info in infos if info.kid).items() if count > 1]
    warnings += [f"kid {kid!r} is used by more than one key" for kid in repeated]
    if not infos:
        warnings.append("the key set is empty")
    return Jwks(keys=infos, errors=tuple(errors), warnings=tuple(warnings))


def as_jwks(jwks: Jwks | Mapping[str, Any] | str | bytes) -> Jwks:
    """Accept a parsed :class:`Jwks`, a JWKS dict, a single JWK dict, or JSON text."""
    if isinstance(jwks, Jwks):
        return jwks
    if isinstance(jwks, Mapping) and "keys" not in jwks and "kty" in jwks:
        return decode_jwks({"keys": [dict(jwks)]})
    return decode_jwks(jwks)


class HasJwksUri(Protocol):
    """Anything with a ``jwks_uri``: the decoded ``oidc.discovery`` message, for one."""

    @property
    def jwks_uri(self) -> str | None: ...


def select_jwks_uri(discovery: Mapping[str, Any] | HasJwksUri) -> str:
    """The ``jwks_uri`` of an OIDC discovery document (OIDC Discovery §3).

    Accepts the parsed JSON or any object with a ``jwks_uri`` attribute (the
    decoded ``oidc.discovery`` message).  Pure: fetching is
    :func:`sso_harness.protocols.jose.fetch.fetch_jwks`.  Raises
    :class:`DecodeError` when absent or not an https URL (loopback http is
    allowed for mocks).
    """
    value = discovery.get("jwks_uri") if isinstance(discovery, Mapping) else discovery.jwks_uri
    if not isinstance(value, str) or not value:
        raise DecodeError("the discovery document has no jwks_uri", where="jwks_uri")
    lowered = value.lower()
    loopback = lowered.startswith(("http://127.", "http://localhost", "http://[::1]"))
    if not lowered.startswith("https://") and not loopback:
        raise DecodeError(f"jwks_uri must be an https URL, got {value[:80]!r}", where="jwks_uri")
    return value
