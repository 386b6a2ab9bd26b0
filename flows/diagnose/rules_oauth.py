"""OAuth 2.0 / OIDC rules: state, PKCE, redirect_uri.

Requests and answers are paired by :func:`sso_harness.protocols.oauth.correlate_oauth`
(by ``state``, then by the redirect URI they reached). Then:
``state`` must come back unchanged (RFC 6749 §4.1.2, §10.12); PKCE
(RFC 7636) is required for public and single-page clients, and Entra says
so with AADSTS9002325; ``redirect_uri`` must be registered and identical in
the authorization and token requests (RFC 6749 §3.1.2, §4.1.3).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from sso_harness.diagnose.evidence import Evidence
from sso_harness.diagnose.finding import Finding
from sso_harness.diagnose.urls import same_url
from sso_harness.protocols.catalogues import find_codes
from sso_harness.protocols.oauth import correlate_oauth
from sso_harness.protocols.oauth.authorize import AuthorizeRequest
from sso_harness.protocols.oauth.callback import AuthorizeResponse
from sso_harness.protocols.oauth.error import OAuthErrorFields
from sso_harness.protocols.oauth.token_request import TokenRequest
from sso_harness.protocols.oauth.token_response import TokenResponse

__all__ = ["state", "pkce", "redirect_uri"]

PKCE_REQUIRED = 9002325
INVALID_REPLY_TO = 50011
_PKCE_WORDS = ("code_challenge", "pkce", "proof key")
T = TypeVar("T")


@dataclass(frozen=True)
class _RoundTrip:
    authorize: tuple[int, AuthorizeRequest] | None
    callback: tuple[int, AuthorizeResponse] | None
    token_request: tuple[int, TokenRequest] | None
    token_response: tuple[int, TokenResponse] | None


def _round_trips(ev: Evidence) -> list[_RoundTrip]:
    items = [(h.hop.index, m) for h, m in ev.oauth()]
    by_index: dict[tuple[int, type[object]], object] = {}
    for index, message in items:
        by_index.setdefault((index, type(message)), message)

    def pick(index: int | None, kind: type[T]) -> tuple[int, T] | None:
        found = None if index is None else by_index.get((index, kind))
        return (index, found) if index is not None and isinstance(found, kind) else None

    return [
        _RoundTrip(pick(x.authorize_index, AuthorizeRequest), pick(x.callback_index, AuthorizeResponse),
                   pick(x.token_request_index, TokenRequest), pick(x.token_response_index, TokenResponse))
        for x in correlate_oauth(items)
    ]


def state(ev: Evidence) -> Iterator[Finding]:
    for rt in _round_trips(ev):
        if rt.authorize is None or rt.callback is None:
            continue
        (ai, req), (ci, cb) = rt.authorize, rt.callback
        if req.state is None:
            if req.client_id and "code" in req.response_types:
                yield Finding(
                    "state", "warning", ai, ev.label(ai),
                    "The authorization request sends no state, so the client cannot tie the answer to its own request "
                    "(login CSRF, RFC 6749 §10.12).",
                    "Send an unguessable state with every authorization request and compare it on the callback.",
                )
            continue
        if cb.state is None:
            yield Finding(
                "state", "error", ci, ev.label(ci),
                f"state was lost: the authorization request ({ev.label(ai)}) sent state {req.state!r}, "
                "but the answer at the redirect URI carries none; a client that checks state refuses it.",
                "The authorization server must return state unchanged (RFC 6749 §4.1.2); look for a proxy or a "
                "redirect in between that drops query parameters.",
            )
        elif cb.state != req.state:
            yield Finding(
                "state", "error", ci, ev.label(ci),
                f"state changed: the authorization request ({ev.label(ai)}) sent {req.state!r}, the answer "
                f"returned {cb.state!r}; the client refuses it as a possible forgery.",
                "Make sure the answer comes from the same authorization request (no second tab or restarted flow) "
                "and that nothing between rewrites the callback URL.",
            )


def _says_pkce(message: OAuthErrorFields) -> bool:
    if PKCE_REQUIRED in message.error_codes:
        return True
    # No code says "PKCE required" outside Entra; other servers say it in the description.
    text = (message.error_description or "").lower()
    return message.error == "invalid_request" and any(w in text for w in _PKCE_WORDS)


def pkce(ev: Evidence) -> Iterator[Finding]:
    for rt in _round_trips(ev):
        req = rt.authorize[1] if rt.authorize else None
        for part in (rt.callback, rt.token_response):
            if part is not None and _says_pkce(part[1]) and (req is None or req.code_challenge is None):
                where = f"the authorization request ({ev.label(rt.authorize[0])})" if rt.authorize else "the authorization request"
                yield Finding(
                    "pkce", "error", part[0], ev.label(part[0]),
                    f"The server requires PKCE, but {where} sent no code_challenge"
                    + (" and the token request no code_verifier." if rt.token_request and rt.token_request[1].code_verifier is None else "."),
                    "Send code_challenge with code_challenge_method=S256 in the authorization request and the matching "
                    "code_verifier in the token request (RFC 7636 §4.3, §4.5); single-page and public clients must.",
                )
                break
        else:
            if rt.authorize is not None and rt.authorize[1].code_challenge is not None \
                    and rt.token_request is not None and rt.token_request[1].code_verifier is None:
                ti = rt.token_request[0]
                yield Finding(
                    "pkce", "error", ti, ev.label(ti),
                    f"The authorization request ({ev.label(rt.authorize[0])}) sent a code_challenge, "
                    "but the token request sends no code_verifier; the server will refuse the code.",
                    "Send the code_verifier that produced the challenge with the token request (RFC 7636 §4.5).",
                )
            elif req is not None and req.code_challenge is None and rt.token_request is not None \
                    and rt.token_request[1].client_auth_method == "none" and rt.token_request[1].grant_type == "authorization_code":
                ti = rt.token_request[0]
                yield Finding(
                    "pkce", "warning", ti, ev.label(ti),
                    "A public client (no client authentication) redeems a code without PKCE; an intercepted code "
                    "could be redeemed by anyone.",
                    "Use PKCE with S256 for every public client (RFC 7636; OAuth 2.0 Security BCP §2.1.1).",
                )


def redirect_uri(ev: Evidence) -> Iterator[Finding]:
    rts = _round_trips(ev)
    for rt in rts:
        if rt.authorize is None:
            continue
        ai, req = rt.authorize
        if rt.callback is not None and req.redirect_uri and rt.callback[1].redirect_url \
                and not same_url(rt.callback[1].redirect_url.split("?", 1)[0].split("#", 1)[0], req.redirect_uri.split("?", 1)[0]):
            ci = rt.callback[0]
            yield Finding(
                "redirect-uri", "error", ci, ev.label(ci),
                f"The answer was delivered to {rt.callback[1].redirect_url!r}, not to the redirect_uri "
                f"{req.redirect_uri!r} the client asked for ({ev.label(ai)}).",
                "Register and send one redirect URI, character for character (RFC 6749 §3.1.2).",
            )
        if rt.token_request is not None and req.redirect_uri and rt.token_request[1].redirect_uri != req.redirect_uri:
            ti, treq = rt.token_request
            sent = repr(treq.redirect_uri) if treq.redirect_uri else "none"
            yield Finding(
                "redirect-uri", "error", ti, ev.label(ti),
                f"redirect_uri differs: the authorization request ({ev.label(ai)}) sent {req.redirect_uri!r}, "
                f"the token request sends {sent}.",
                "Send exactly the same redirect_uri in the token request as in the authorization request "
                "(RFC 6749 §4.1.3).",
            )
        refused = rt.callback is None and _invalid_reply_to(ev, ai)
        if refused or _mismatch_error(rt):
            yield Finding(
                "redirect-uri", "error", ai, ev.label(ai),
                f"The redirect_uri {req.redirect_uri!r} sent by client {req.client_id!r} is not one registered "
                "for that application, so the server refused to send the user back.",
                f"Add {req.redirect_uri!r} to the app registration's redirect URIs exactly as sent (scheme, host, port, "
                "path, trailing slash), or make the client send a registered one.",
            )


def _invalid_reply_to(ev: Evidence, ai: int) -> bool:
    """AADSTS50011 on the page that answered the authorization request at hop ``ai`` (Entra's HTML error page)."""
    for page in ev.pages:
        h = ev.page_hop(page)
        if (h is None or h.hop.index >= ai) and INVALID_REPLY_TO in find_codes(page.text):
            return True
    return False


def _mismatch_error(rt: _RoundTrip) -> bool:
    for part in (rt.callback, rt.token_response):
        if part is None:
            continue
        message = part[1]
        if INVALID_REPLY_TO in message.error_codes or message.error == "redirect_uri_mismatch":
            return True
    return False
