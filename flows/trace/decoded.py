"""A protocol message found on a hop, whatever its protocol.

The trace keeps these instead of protocol-specific fields, so adding a
protocol means adding a decoder, not changing the trace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["DecodedMessage", "Protocol"]

Protocol = str  # "saml" | "wsfed" | "oauth" | "oidc" | "jose"


@dataclass(frozen=True)
class DecodedMessage:
    """``message`` is the decoder's own value; ``source`` says where on the hop it was found
    ("request query", "request form", "response body", "Location header")."""

    protocol: Protocol
    kind: str
    message: Any
    source: str
    view: Callable[[Any], dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        """The decoder's JSON view (secrets already reduced to presence/fingerprint there)."""
        return self.view(self.message)

    @property
    def badge(self) -> str:
        return {"saml": "SAML", "wsfed": "WS-Fed", "oauth": "OAuth", "oidc": "OIDC", "jose": "JWT"}.get(self.protocol, self.protocol)
