"""A protocol message found on a hop, whatever its protocol.

The trace keeps these instead of protocol-specific fields, so adding a
protocol means adding a decoder (and its message type to :data:`Payload`),
not changing the trace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from sso_harness.protocols.jose import Jwks, Jwt
from sso_harness.protocols.oauth import (
    AuthorizeRequest,
    AuthorizeResponse,
    Discovery,
    TokenRequest,
    TokenResponse,
    UserInfo,
)
from sso_harness.protocols.saml import SamlBindingMessage
from sso_harness.protocols.wsfed import WsFedMessage, WsFedSignInResponse

__all__ = [
    "OAUTH_TYPES",
    "Decoded",
    "DecodedMessage",
    "OAuthPayload",
    "Payload",
    "Protocol",
    "PROTOCOLS",
    "carried_id_token",
    "carried_xml",
]

Protocol = Literal["saml", "wsfed", "oauth", "oidc", "jose"]
"""The protocols a decoded message can belong to (a closed set)."""

PROTOCOLS: tuple[Protocol, ...] = ("saml", "wsfed", "oauth", "oidc", "jose")

OAuthPayload = AuthorizeRequest | AuthorizeResponse | TokenRequest | TokenResponse | UserInfo | Discovery | Jwks
"""What the OAuth 2.0 / OIDC hop decoder finds (JWK Sets count: they are fetched by OIDC clients)."""

OAUTH_TYPES = (AuthorizeRequest, AuthorizeResponse, TokenRequest, TokenResponse, UserInfo, Discovery, Jwks)
"""The classes of :data:`OAuthPayload`, for ``isinstance``."""

Payload = SamlBindingMessage | WsFedMessage | OAuthPayload
"""Every message type a hop decoder produces."""

M = TypeVar("M", SamlBindingMessage, WsFedMessage, OAuthPayload)

_BADGES: dict[Protocol, str] = {"saml": "SAML", "wsfed": "WS-Fed", "oauth": "OAuth", "oidc": "OIDC", "jose": "JWT"}


@dataclass(frozen=True)
class Decoded(Generic[M]):
    """One decoded message of type ``M``. ``message`` is the decoder's own value; ``source`` says where on the hop it was found
    ("request query", "request form", "response body", "Location header"); ``view`` is the
    decoder's JSON view of ``message``. ``truncated`` says why the message may be incomplete
    (its body was cut by the recorder's limit); empty when it was read from complete input."""

    protocol: Protocol
    kind: str
    message: M
    source: str
    view: Callable[[M], dict[str, Any]]
    truncated: str = ""

    def to_json(self) -> dict[str, Any]:
        """The decoder's JSON view (secrets already reduced to presence/fingerprint there),
        with ``truncated`` (the reason) added when the message was read from a cut body."""
        view = self.view(self.message)
        return {**view, "truncated": self.truncated} if self.truncated else view

    @property
    def badge(self) -> str:
        return _BADGES[self.protocol]


DecodedMessage = Decoded[SamlBindingMessage] | Decoded[WsFedMessage] | Decoded[OAuthPayload]
"""A decoded message of any protocol, as hops keep them; ``.message`` is a :data:`Payload`,
told apart with ``isinstance``."""


def carried_id_token(message: Payload) -> Jwt | None:
    """The decoded ID token an authorization response or token response carries, if any."""
    if isinstance(message, (AuthorizeResponse, TokenResponse)):
        return message.id_token_jwt
    return None


def carried_xml(message: Payload) -> bytes | None:
    """The XML as it travelled: a SAML message's, or a WS-Federation sign-in response's ``wresult``."""
    if isinstance(message, SamlBindingMessage):
        return message.xml
    if isinstance(message, WsFedSignInResponse):
        return message.wresult
    return None
