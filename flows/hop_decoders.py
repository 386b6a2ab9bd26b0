"""Find and decode the protocol messages a recorded hop carries.

Each protocol contributes one small function ``(hop, context) -> messages``.
They are tried in turn on every hop; a ``DecodeError`` from one is kept on
the hop and the others still run, so one malformed message never hides the
rest of the trace. Any other exception is a decoder bug: it is converted to
a ``DecodeError`` naming the decoder, for the same reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509

from flows.capture.hop import Hop
from flows.decoded import DecodedMessage
from flows.protocols import DecodeError
from flows.protocols.saml import decode_post, decode_redirect
from flows.protocols.saml import to_json as saml_json

__all__ = ["DecodeContext", "HopDecoder", "DECODERS", "decode_messages"]


@dataclass(frozen=True)
class DecodeContext:
    """What decoders may use: trust anchors, decryption keys, and the evaluation time."""

    trusted_certs: Sequence[x509.Certificate] = ()
    sp_keys: Sequence[Any] = ()
    jwks: dict[str, Any] | None = None
    now: dt.datetime | None = None
    options: dict[str, Any] = field(default_factory=dict)


HopDecoder = Callable[[Hop, DecodeContext], list[DecodedMessage]]

SAML_PARAMETERS = ("SAMLRequest", "SAMLResponse")


def saml_messages(hop: Hop, ctx: DecodeContext) -> list[DecodedMessage]:
    """SAML over HTTP-Redirect (query of a GET) or HTTP-POST (form body)."""
    if hop.method == "GET" and any(p in hop.query for p in SAML_PARAMETERS):
        raw_query = hop.url.split("?", 1)[1].split("#", 1)[0]
        found = decode_redirect(raw_query, trusted_certs=ctx.trusted_certs, now=ctx.now)
        return [DecodedMessage("saml", found.kind, found, "request query", saml_json)]
    form = hop.form
    if any(p in form for p in SAML_PARAMETERS):
        found = decode_post(form, trusted_certs=ctx.trusted_certs, now=ctx.now)
        return [DecodedMessage("saml", found.kind, found, "request form", saml_json)]
    return []


DECODERS: list[HopDecoder] = [saml_messages]


def decode_messages(hop: Hop, ctx: DecodeContext) -> tuple[tuple[DecodedMessage, ...], tuple[DecodeError, ...]]:
    messages: list[DecodedMessage] = []
    errors: list[DecodeError] = []
    for decoder in DECODERS:
        try:
            messages.extend(decoder(hop, ctx))
        except DecodeError as exc:
            errors.append(exc)
        except Exception as exc:  # a decoder bug must not lose the trace
            errors.append(DecodeError(f"internal error in {decoder.__name__}: {type(exc).__name__}: {exc}", where=hop.label))
    return tuple(messages), tuple(errors)
