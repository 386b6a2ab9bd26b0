"""OAuth 2.0 probes: the authorization request, its callback, the token exchange.

Messages are found by their decoded kind (RFC 6749 §4.1.1 authorization
request, §4.1.2 response, §4.1.3 token request, §5.1/§5.2 token response);
``to`` narrows to hops whose URL starts with a prefix. The token exchange is
a back-channel call: it is in the trace only when the client sends it
through the capture proxy (the emulations do). Tokens are never reported,
only whether they are present.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sso_harness.trace.decoded import DecodedMessage
from sso_harness.trace.trace import TraceHop
from sso_harness.apps.tutorials.errors import NotObserved
from sso_harness.apps.tutorials.observe import Observation, Probe, ProbeInput, need_trace, param

__all__ = ["OAUTH_PROBES"]

_KINDS = {
    "authorize": ("oauth.authorize_request", "authorization request"),
    "callback": ("oauth.authorize_response", "authorization response (callback)"),
    "token_request": ("oauth.token_request", "token request"),
    "token_response": ("oauth.token_response", "token response"),
}


def _found(inp: ProbeInput, part: str) -> list[tuple[TraceHop, DecodedMessage]]:
    kind = _KINDS[part][0]
    to = param(inp, "to")
    return [
        (h, m) for h in need_trace(inp).hops for m in h.messages
        if m.kind == kind and (not to or h.hop.url.startswith(str(to)))
    ]


def _field(part: str, read: Callable[[TraceHop, Any], Any]) -> Callable[[ProbeInput], Observation]:
    def probe(inp: ProbeInput) -> Observation:
        found = _found(inp, part)
        if not found:
            raise NotObserved(f"no OAuth {_KINDS[part][1]} was seen in this flow")
        hop, message = found[0] if param(inp, "which", "first") == "first" else found[-1]
        return Observation(read(hop, message.message), hop.label)

    return probe


def _present(part: str) -> Callable[[ProbeInput], Observation]:
    def probe(inp: ProbeInput) -> Observation:
        found = _found(inp, part)
        return Observation(bool(found), found[0][0].label if found else f"(no {_KINDS[part][1]} in the trace)")

    return probe


def _endpoint(hop: TraceHop, m: Any) -> str:
    return hop.hop.url.split("?", 1)[0].split("#", 1)[0]


def _probes(part: str, fields: dict[str, tuple[Callable[[TraceHop, Any], Any], str]]) -> list[Probe]:
    out = [Probe(f"oauth.{part}.present", _present(part), f"true when the flow shows the {_KINDS[part][1]}, else false")]
    out += [Probe(f"oauth.{part}.{name}", _field(part, read), about) for name, (read, about) in fields.items()]
    return out


_ERRORS: dict[str, tuple[Callable[[TraceHop, Any], Any], str]] = {
    "error": (lambda h, m: m.error, "the OAuth error code (e.g. invalid_client)"),
    "error_codes": (lambda h, m: list(m.error_codes), "the IdP's numeric error codes (a list)"),
}

OAUTH_PROBES: dict[str, Probe] = {
    p.name: p
    for p in (
        *_probes("authorize", {
            "endpoint": (_endpoint, "the authorization endpoint URL (without the query)"),
            "client_id": (lambda h, m: m.client_id, "client_id"),
            "redirect_uri": (lambda h, m: m.redirect_uri, "redirect_uri"),
            "scope": (lambda h, m: list(m.scope), "the requested scopes (a list)"),
            "response_type": (lambda h, m: m.response_type, "response_type"),
        }),
        *_probes("callback", {
            **_ERRORS,
            "code_present": (lambda h, m: m.code is not None, "whether an authorization code came back"),
        }),
        *_probes("token_request", {
            "endpoint": (_endpoint, "the token endpoint URL"),
            "grant_type": (lambda h, m: m.grant_type, "grant_type"),
            "client_id": (lambda h, m: getattr(m, "client_id", None), "client_id"),
            "back_channel": (lambda h, m: h.hop.back_channel, "true when sent server to server, not by the browser"),
        }),
        *_probes("token_response", {
            **_ERRORS,
            "status": (lambda h, m: m.status, "the HTTP status of the token endpoint's answer"),
            "scope": (lambda h, m: list(m.scope), "the granted scopes (a list)"),
            "access_token_present": (lambda h, m: m.access_token is not None, "whether an access token was issued"),
            "refresh_token_present": (lambda h, m: m.refresh_token is not None, "whether a refresh token was issued"),
            "id_token_present": (lambda h, m: m.id_token is not None, "whether an ID token was issued"),
        }),
    )
}
