"""JWS Compact Serialization (RFC 7515 §7.1) and JWTs carried in it (RFC 7519).

A compact JWS is ``BASE64URL(header) '.' BASE64URL(payload) '.'
BASE64URL(signature)``.  Decoding is lenient about representation (stray
``=`` padding, surrounding whitespace, a ``Bearer`` prefix) and strict about
content: the header and the claims must each be one JSON object, the header
must name its ``alg``.  Decoding never checks the signature — see
:func:`sso_harness.protocols.jose.verify_jwt`.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sso_harness.protocols.encoding import b64decode_lenient
from sso_harness.protocols.errors import DECODE_TOO_LARGE, DecodeError
from sso_harness.protocols.jose.jsonobj import parse_json_object

__all__ = ["MAX_TOKEN_LENGTH", "Jwt", "b64url_decode", "b64url_encode", "decode_jwt", "looks_like_jwt"]

MAX_TOKEN_LENGTH = 256 * 1024
_B64URL = re.compile(r"[A-Za-z0-9_\-]*=*")
# A JOSE header always starts with '{"' -> "eyJ" in base64url; three segments.
_JWT_SHAPE = re.compile(r"eyJ[A-Za-z0-9_\-]*=*\.[A-Za-z0-9_\-]*=*\.[A-Za-z0-9_\-]*=*")


def b64url_encode(data: bytes) -> str:
    """Unpadded base64url (RFC 7515 §2, "Base64url Encoding")."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(segment: str, *, where: str) -> bytes:
    """Decode one base64url segment; missing or present padding are both accepted.

    Only the URL-safe alphabet is allowed (RFC 7515 §2): a ``+`` or ``/``
    means the producer used standard base64, which is reported.
    """
    if not isinstance(segment, str):
        raise DecodeError(f"expected str, got {type(segment).__name__}", where=where)
    if _B64URL.fullmatch(segment) is None:
        bad = next((i for i, ch in enumerate(segment) if not (ch.isascii() and (ch.isalnum() or ch in "-_="))), None)
        if bad is None:
            raise DecodeError("padding inside base64url data", where=where, offset=segment.find("="))
        raise DecodeError("not base64url (RFC 7515 §2 alphabet)", where=where, offset=bad)
    if segment.rstrip("=") == "":
        return b""
    return b64decode_lenient(segment, where=where)


def looks_like_jwt(text: str) -> bool:
    """True when ``text`` (stripped) has the shape of a compact JWS with a JSON header."""
    return _JWT_SHAPE.fullmatch(text.strip()) is not None


@dataclass(frozen=True)
class Jwt:
    """A decoded, *unverified* compact JWS whose payload is a JWT claims set.

    ``token`` is the compact text itself — a bearer credential: views and
    reports show only its fingerprint.  ``signing_input`` is the ASCII
    ``header '.' payload`` the signature covers (RFC 7515 §5.1 step 5).
    """

    kind: ClassVar[str] = "jose.jwt"

    header: dict[str, Any]
    claims: dict[str, Any]
    signing_input: bytes
    signature: bytes
    token: str = field(repr=False)

    @property
    def alg(self) -> str:
        return str(self.header.get("alg"))

    @property
    def kid(self) -> str | None:
        kid = self.header.get("kid")
        return kid if isinstance(kid, str) else None

    @property
    def typ(self) -> str | None:
        typ = self.header.get("typ")
        return typ if isinstance(typ, str) else None


def _text(token: str | bytes) -> str:
    if isinstance(token, (bytes, bytearray, memoryview)):
        try:
            token = bytes(token).decode("ascii")
        except UnicodeDecodeError as exc:
            raise DecodeError("a compact JWT is ASCII only", where="jwt", offset=exc.start) from None
    if not isinstance(token, str):
        raise DecodeError(f"expected str or bytes, got {type(token).__name__}", where="jwt")
    text = token.strip()
    if text[:7].lower() == "bearer ":
        text = text[7:].strip()
    if len(text) > MAX_TOKEN_LENGTH:
        raise DecodeError(f"token longer than {MAX_TOKEN_LENGTH} characters", where="jwt", code=DECODE_TOO_LARGE)
    if not text:
        raise DecodeError("empty token", where="jwt")
    return text


def decode_jwt(token: str | bytes) -> Jwt:
    """Split, base64url-decode and JSON-parse a compact JWS carrying a JWT.

    Raises :class:`DecodeError` for: a wrong number of segments (5 means an
    encrypted JWE, RFC 7516 §7.1, which needs the recipient's key), bad
    base64url, a header or payload that is not a JSON object, a header
    without a string ``alg``, or an unencoded payload (``b64: false``,
    RFC 7797) which a JWT may not use.
    """
    text = _text(token)
    parts = text.split(".")
    if len(parts) == 5:
        raise DecodeError(
            "this is an encrypted JWT (JWE, RFC 7516: five segments); it can only be read with the recipient's key",
            where="jwt",
        )
    if len(parts) != 3:
        raise DecodeError(f"a compact JWS has 3 dot-separated segments, found {len(parts)}", where="jwt")
    header_b64, payload_b64, signature_b64 = parts
    if not header_b64:
        raise DecodeError("empty header segment", where="jwt/header")
    header = parse_json_object(b64url_decode(header_b64, where="jwt/header"), where="jwt/header")
    alg = header.get("alg")
    if not isinstance(alg, str) or not alg:
        raise DecodeError("the JOSE header has no 'alg' string (RFC 7515 §4.1.1)", where="jwt/header")
    if header.get("b64") is False:
        raise DecodeError("unencoded payloads (b64: false, RFC 7797) are not allowed in a JWT", where="jwt/header")
    payload = b64url_decode(payload_b64, where="jwt/payload")
    if not payload:
        raise DecodeError("empty payload: a JWT needs a claims object", where="jwt/payload")
    claims = parse_json_object(payload, where="jwt/payload")
    signature = b64url_decode(signature_b64, where="jwt/signature")
    signing_input = f"{header_b64}.{payload_b64}".encode("ascii")
    return Jwt(header=header, claims=claims, signing_input=signing_input, signature=signature, token=text)
