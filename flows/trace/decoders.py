"""Find and decode the protocol messages a recorded hop carries.

Each protocol contributes one small function ``(hop, context) -> messages``.
They are tried in turn on every hop; a ``DecodeError`` from one is kept on
the hop and the others still run, so one malformed message never hides the
rest of the trace. Any other exception is a decoder bug: it is converted to
a ``DecodeError`` naming the decoder (code ``decode.internal``), for the same reason.

A body the recorder cut is never read as complete: every message found in it
is marked ``truncated``, and a failure to decode it says the body was cut
(code ``decode.truncated``) before the decoder's own reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sso_harness.capture.hop import Hop
from sso_harness.trace.context import DecodeContext
from sso_harness.trace.decoded import Decoded, DecodedMessage
from sso_harness.protocols import DecodeError
from sso_harness.protocols.errors import DECODE_INTERNAL, DECODE_TRUNCATED
from sso_harness.protocols.saml import decode_post, decode_redirect
from sso_harness.protocols.saml import to_json as saml_json
from sso_harness.protocols.wsfed import decode_wsfed, wsfed_to_json
from sso_harness.trace.decoders_oauth import oauth_messages

__all__ = ["DecodeContext", "HopDecoder", "DECODERS", "decode_messages"]


HopDecoder = Callable[[Hop, DecodeContext], list[DecodedMessage]]

SAML_PARAMETERS = ("SAMLRequest", "SAMLResponse", "SAMLart")
WSFED_ACTIONS = ("wsignin1.0", "wsignout1.0", "wsignoutcleanup1.0")


def saml_messages(hop: Hop, ctx: DecodeContext) -> list[DecodedMessage]:
    """SAML over HTTP-Redirect or HTTP-Artifact (query of a GET) or HTTP-POST (form body)."""
    if hop.method == "GET" and any(p in hop.query for p in SAML_PARAMETERS):
        # The raw query octets: a Redirect signature covers them exactly as sent.
        raw_query = hop.url.split("?", 1)[1].split("#", 1)[0]
        found = decode_redirect(raw_query, **ctx.saml_kwargs)
        return [Decoded("saml", found.kind, found, "request query", saml_json)]
    form = hop.form
    if any(p in form for p in SAML_PARAMETERS):
        found = decode_post(form, **ctx.saml_kwargs)
        return [Decoded("saml", found.kind, found, "request form", saml_json)]
    return []


def wsfed_messages(hop: Hop, ctx: DecodeContext) -> list[DecodedMessage]:
    """WS-Federation passive requests (``wa=`` in the query) and sign-in responses (``wresult`` form)."""
    for source, params in (("request query", hop.query), ("request form", hop.form)):
        if params.get("wa") in WSFED_ACTIONS:
            found = decode_wsfed(params, **ctx.saml_kwargs)
            return [Decoded("wsfed", found.kind, found, source, wsfed_to_json)]
    return []


DECODERS: list[HopDecoder] = [saml_messages, wsfed_messages, oauth_messages]


# Where each body-borne source comes from, to tell which messages a cut body feeds.
_REQUEST_BODY_SOURCES = ("request form", "request body")
_RESPONSE_BODY_SOURCES = ("response body",)


def _cut(hop: Hop, source: str) -> str:
    """Why a message read from ``source`` on ``hop`` may be incomplete ("" when its input is whole)."""
    if hop.request_body_truncated and source in _REQUEST_BODY_SOURCES:
        return f"the request body was cut at {hop.body_limit} bytes by the recorder"
    if hop.response_body_truncated and source in _RESPONSE_BODY_SOURCES:
        return f"the response body was cut at {hop.body_limit} bytes by the recorder"
    return ""


def _truncated_error(hop: Hop, exc: DecodeError) -> DecodeError:
    """``exc`` restated when a cut body explains it: the cut is the real reason."""
    cut = hop.truncated
    if not cut or exc.code == DECODE_TRUNCATED:
        return exc
    reason = f"{' and '.join(cut)} by the recorder, so the message is incomplete ({exc.reason})"
    return DecodeError(reason, where=exc.where, offset=exc.offset, code=DECODE_TRUNCATED)


def decode_messages(hop: Hop, ctx: DecodeContext) -> tuple[tuple[DecodedMessage, ...], tuple[DecodeError, ...]]:
    """Every message each decoder finds on ``hop``, and the errors of those that failed (never raises)."""
    messages: list[DecodedMessage] = []
    errors: list[DecodeError] = []
    for decoder in DECODERS:
        try:
            found = decoder(hop, ctx)
        except DecodeError as exc:
            errors.append(_truncated_error(hop, exc))
            continue
        except Exception as exc:  # a decoder bug must not lose the trace
            reason = f"internal error in {decoder.__name__}: {type(exc).__name__}: {exc}"
            errors.append(DecodeError(reason, where=hop.label, code=DECODE_INTERNAL))
            continue
        messages.extend(replace(m, truncated=cut) if (cut := _cut(hop, m.source)) else m for m in found)
    return tuple(messages), tuple(errors)
