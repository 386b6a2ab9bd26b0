"""Time-based one-time passwords (RFC 6238, over HOTP of RFC 4226).

Authenticator apps use SHA-1, 30-second steps and 6 digits; so do Entra's
software OATH tokens. The clock is a parameter so tests are exact.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

__all__ = ["totp", "hotp"]


def hotp(key: bytes, counter: int, digits: int = 6) -> str:
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F  # dynamic truncation, RFC 4226 §5.3
    code = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(code % 10**digits).zfill(digits)


def totp(secret_base32: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The code for ``secret_base32`` (spaces and lower case tolerated) at ``at`` (epoch seconds)."""
    cleaned = secret_base32.replace(" ", "").upper()
    key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    moment = time.time() if at is None else at
    return hotp(key, int(moment // step), digits)
