"""Search text for a secret in every form it could leak: raw, URL-encoded, base64.

Shared by the unit tests of the writers and by the end-to-end canary scan
(``e2e/secrets``), which needs to say which form it found (:func:`named_forms`).
"""

from __future__ import annotations

import base64
from urllib.parse import quote, quote_plus

__all__ = ["encodings", "named_forms", "leaks"]


def named_forms(secret: str) -> dict[str, str]:
    """Each form of ``secret`` to look for, mapped to its name (``raw``, ``url``, ``url+``, ``base64``, ``base64url``).

    Base64 is taken at all three byte alignments, since the secret may sit
    anywhere inside a larger encoded value (a Basic header, a cookie); the
    edge characters that depend on the neighbouring bytes are dropped. A form
    equal to an earlier one keeps the earlier name.
    """
    forms: dict[str, str] = {}
    for name, form in (("raw", secret), ("url", quote(secret, safe="")), ("url+", quote_plus(secret))):
        forms.setdefault(form, name)
    raw = secret.encode()
    for pad in range(3):
        for name, enc in (("base64", base64.b64encode), ("base64url", base64.urlsafe_b64encode)):
            text = enc(b"x" * pad + raw).decode().rstrip("=")
            skip = {0: 0, 1: 2, 2: 3}[pad]
            core = text[skip:-2] if len(text) > skip + 4 else text
            if len(core) >= 8:
                forms.setdefault(core, name)
    return forms


def encodings(secret: str) -> set[str]:
    """Forms of ``secret`` to look for; base64 at all three alignments (edge characters dropped)."""
    return set(named_forms(secret))


def leaks(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if any(form in text for form in encodings(s))]
