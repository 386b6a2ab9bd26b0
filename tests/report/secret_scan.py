"""Search text for a secret in every form it could leak: raw, URL-encoded, base64."""

from __future__ import annotations

import base64
from urllib.parse import quote, quote_plus


def encodings(secret: str) -> set[str]:
    """Forms of ``secret`` to look for; base64 at all three alignments (edge characters dropped)."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret)}
    raw = secret.encode()
    for pad in range(3):
        for enc in (base64.b64encode, base64.urlsafe_b64encode):
            text = enc(b"x" * pad + raw).decode().rstrip("=")
            skip = {0: 0, 1: 2, 2: 3}[pad]
            core = text[skip:-2] if len(text) > skip + 4 else text
            if len(core) >= 8:
                forms.add(core)
    return forms


def leaks(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if any(form in text for form in encodings(s))]
