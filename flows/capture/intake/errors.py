"""Why a file could not be taken in as a trace: a stable code, the file, where in it, and what was expected.

Codes are ``intake.<what>``; code matches on them, never on the message.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "IntakeError", "EXPECTED", "UNREADABLE", "TOO_LARGE", "UNKNOWN_FORMAT", "MALFORMED", "UNSUPPORTED_VERSION", "EMPTY",
]

UNREADABLE: Final = "intake.unreadable"
"""The file cannot be opened or read."""
TOO_LARGE: Final = "intake.too_large"
"""The file (or a bundle's trace) is over the size limit."""
UNKNOWN_FORMAT: Final = "intake.unknown_format"
"""The content is none of the formats taken in (the extension is never consulted)."""
MALFORMED: Final = "intake.malformed"
"""The format was recognised, but a required part is missing or has the wrong type."""
UNSUPPORTED_VERSION: Final = "intake.unsupported_version"
"""An sso-harness trace of a schema version this release cannot read."""
EMPTY: Final = "intake.empty"
"""The file holds no HTTP exchange."""

EXPECTED: Final = (
    "a HAR (Chrome, Edge or Firefox devtools, with or without content), a SAML-tracer export, "
    "a mitmproxy flows file, an sso-harness trace.json or an sso-harness bundle (.zip)"
)


class IntakeError(ValueError):
    """``code`` is one of this module's constants; ``where`` names the part of the file (``log.entries[3].request``)."""

    def __init__(self, code: str, what: str, *, where: str | None = None, source: str | None = None) -> None:
        self.code, self.what, self.where, self.source = code, what, where, source
        place = ": ".join(p for p in (source, where) if p)
        super().__init__(f"{code}: {place + ': ' if place else ''}{what}")

    def with_source(self, source: str) -> "IntakeError":
        """The same error naming the file it came from."""
        return IntakeError(self.code, self.what, where=self.where, source=source)
