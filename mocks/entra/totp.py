"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), as authenticator apps make them.

SHA-1, 30-second steps, 6 digits: the defaults every authenticator app
uses. The secret is base32 (RFC 4648 §6), as in ``otpauth://`` URIs.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import struct

__all__ = ["totp", "verify_totp"]

STEP = 30
DIGITS = 6


def _key(secret_b32: str) -> bytes:
    cleaned = secret_b32.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def _hotp(key: bytes, counter: int) -> str:
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F  # dynamic truncation, RFC 4226 §5.3
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def totp(secret_b32: str, at: dt.datetime) -> str:
    """The code an authenticator app shows at ``at``."""
    return _hotp(_key(secret_b32), int(at.timestamp()) // STEP)


def verify_totp(secret_b32: str, code: str, at: dt.datetime, *, window: int = 1) -> bool:
    """True when ``code`` is valid at ``at`` or up to ``window`` steps either side (RFC 6238 §5.2)."""
    code = code.strip()
    if len(code) != DIGITS or not code.isdigit():
        return False
    key, counter = _key(secret_b32), int(at.timestamp()) // STEP
    return any(hmac.compare_digest(_hotp(key, counter + d), code) for d in range(-window, window + 1))
