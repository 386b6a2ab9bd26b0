"""Linking the messages of one OAuth 2.0 / OIDC round trip and checking they agree.

Given decoded messages in trace order, each authorization request is paired
with its authorization response (by ``state``; failing that, by the
response arriving at the request's ``redirect_uri``), the response's
``code`` with the token request that redeems it, and that with the next
token response.  Then the cross-message rules are checked: ``state``
returned unchanged (RFC 6749 §4.1.2, §10.12), ``nonce`` echoed in the ID
token (OIDC Core §3.1.3.7 item 11), PKCE verifier matching the challenge
(RFC 7636 §4.6), ``redirect_uri`` identical in both requests (RFC 6749
§4.1.3).  Pure: no I/O, nothing raised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from sso_harness.protocols.jose.compact import Jwt
from sso_harness.protocols.jose.oidc_hash import half_hash
from sso_harness.protocols.oauth.authorize import AuthorizeRequest
from sso_harness.protocols.oauth.callback import AuthorizeResponse
from sso_harness.protocols.oauth.pkce import check_pkce
from sso_harness.protocols.oauth.redirect import callback_matches
from sso_harness.protocols.oauth.token_request import TokenRequest
from sso_harness.protocols.oauth.token_response import TokenResponse
from sso_harness.protocols.problems import (
    OAUTH_CLIENT_ID_DIFFERS,
    OAUTH_ERROR_RESPONSE,
    OAUTH_NO_CALLBACK,
    OAUTH_PKCE_MISMATCH,
    OAUTH_PKCE_UNREQUESTED,
    OAUTH_PKCE_VERIFIER_MISSING,
    OAUTH_REDIRECT_MISMATCH,
    OAUTH_REDIRECT_URI_DIFFERS,
    OAUTH_RESPONSE_MODE_MISMATCH,
    OAUTH_STATE_MISMATCH,
    OAUTH_STATE_MISSING,
    OAUTH_TOKEN_ERROR,
    OIDC_HASH_MISMATCH,
    OIDC_NONCE_MISMATCH,
    OIDC_NONCE_MISSING,
    Problem,
)

__all__ = ["INVISIBLE_EXCHANGE", "OAuthExchange", "correlate_oauth"]

INVISIBLE_EXCHANGE = (
    "token exchange not seen: a code was issued but no token request was recorded. A confidential client "
    "redeems the code from its server, straight to the token endpoint, so a browser proxy never sees that call"
)


@dataclass(frozen=True)
class OAuthExchange:
    """One round trip: the indexes of its messages (None when not seen), problems (coded,
    see :mod:`sso_harness.protocols.problems`) and notes (what could not be seen, in words)."""

    authorize_index: int | None
    callback_index: int | None
    token_request_index: int | None
    token_response_index: int | None
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


M = TypeVar("M")


class _Pool(Generic[M]):
    """Messages of one type in trace order, each claimed by one exchange at most."""

    def __init__(self, items: Iterable[tuple[int, object]], kind: type[M]) -> None:
        self.items: list[tuple[int, M]] = [(i, m) for i, m in items if isinstance(m, kind)]
        self.used: set[int] = set()

    def take(self, after: int, accept: Callable[[M], bool] = lambda _m: True) -> tuple[int, M] | None:
        """Claim the first unclaimed message at index ``after`` or later that ``accept`` likes."""
        for position, (index, message) in enumerate(self.items):
            if position in self.used or index < after or not accept(message):
                continue
            self.used.add(position)
            return index, message
        return None

    def take_all(self) -> list[tuple[int, M]]:
        """Claim and return every message still unclaimed."""
        rest = [item for position, item in enumerate(self.items) if position not in self.used]
        self.used.update(range(len(self.items)))
        return rest


def _first_line(text: str | None) -> str:
    return (text or "").replace("\r", "").split("\n", 1)[0].strip()


def _error_sentence(where: str, error: str | None, description: str | None) -> str:
    detail = _first_line(description)
    return f"the {where} is an error: {error}" + (f" — {detail}" if detail else "")


def _check_callback(req: AuthorizeRequest, cb: AuthorizeResponse, problems: list[Problem], notes: list[str]) -> None:
    if req.state is None:
        notes.append("the authorization request sent no state, so the response cannot be tied to it")
    elif cb.state is None:
        problems.append(Problem(
            OAUTH_STATE_MISSING, f"state was sent as {req.state!r} but the authorization response carries none"
        ))
    elif cb.state != req.state:
        problems.append(Problem(
            OAUTH_STATE_MISMATCH, f"state changed: the request sent {req.state!r}, the response returned {cb.state!r}"
        ))
    if (
        req.redirect_uri is not None
        and cb.redirect_url is not None
        and not callback_matches(cb.redirect_url, req.redirect_uri)
    ):
        problems.append(Problem(
            OAUTH_REDIRECT_MISMATCH,
            f"the response was delivered to {cb.redirect_url!r}, not to the redirect_uri {req.redirect_uri!r}",
        ))
    if req.response_mode is not None and cb.response_mode != req.response_mode:
        problems.append(Problem(
            OAUTH_RESPONSE_MODE_MISMATCH,
            f"the request asked for response_mode {req.response_mode} but the response came by {cb.response_mode}",
        ))
    if cb.error is not None:
        problems.append(Problem(OAUTH_ERROR_RESPONSE, _error_sentence("authorization response", cb.error, cb.error_description)))
        notes += [f"{entry.label}: {entry.meaning}" for entry in cb.explanations]


def _check_nonce(req: AuthorizeRequest, jwt: Jwt, source: str, problems: list[Problem], notes: list[str]) -> None:
    nonce = jwt.claims.get("nonce")
    if req.nonce is None:
        if nonce is not None:
            notes.append(f"the ID token ({source}) has a nonce although the request sent none")
    elif nonce is None:
        problems.append(Problem(OIDC_NONCE_MISSING, f"the ID token ({source}) has no nonce but the request sent {req.nonce!r}"))
    elif nonce != req.nonce:
        problems.append(Problem(
            OIDC_NONCE_MISMATCH, f"nonce in the ID token ({source}) is {nonce!r} but the request sent {req.nonce!r}"
        ))


def _front_channel_hashes(cb: AuthorizeResponse) -> list[Problem]:
    """A front-channel ID token must bind the code and token delivered with it (OIDC Core §3.3.2.11, §3.2.2.10)."""
    jwt = cb.id_token_jwt
    if jwt is None:
        return []
    found: list[Problem] = []
    for claim, value, what in (("c_hash", cb.code, "code"), ("at_hash", cb.access_token, "access token")):
        stated = jwt.claims.get(claim)
        if value is not None and stated is not None and stated != half_hash(value, jwt.alg):
            found.append(Problem(
                OIDC_HASH_MISMATCH, f"{claim} in the front-channel ID token does not match the {what} delivered with it"
            ))
    return found


def _check_token_request(req: AuthorizeRequest, treq: TokenRequest, problems: list[Problem], notes: list[str]) -> None:
    if req.code_challenge is not None:
        if treq.code_verifier is None:
            problems.append(Problem(
                OAUTH_PKCE_VERIFIER_MISSING,
                "the authorization request sent a code_challenge but the token request has no code_verifier "
                "(RFC 7636 §4.5)",
            ))
        else:
            verdict = check_pkce(treq.code_verifier, req.code_challenge, req.code_challenge_method)
            problems += [Problem(OAUTH_PKCE_MISMATCH, text) for text in verdict.problems]
            notes += verdict.warnings
    elif treq.code_verifier is not None:
        problems.append(Problem(
            OAUTH_PKCE_UNREQUESTED,
            "the token request sends a code_verifier but the authorization request had no code_challenge",
        ))
    if req.redirect_uri is not None and treq.redirect_uri != req.redirect_uri:
        sent = "none" if treq.redirect_uri is None else repr(treq.redirect_uri)
        problems.append(Problem(
            OAUTH_REDIRECT_URI_DIFFERS,
            f"redirect_uri differs: the authorization request sent {req.redirect_uri!r}, the token request "
            f"sent {sent} (RFC 6749 §4.1.3 requires the same value)",
        ))
    if req.client_id is not None and treq.client_id is not None and treq.client_id != req.client_id:
        problems.append(Problem(
            OAUTH_CLIENT_ID_DIFFERS,
            f"client_id differs: {req.client_id!r} in the authorization request, "
            f"{treq.client_id!r} in the token request",
        ))


def _exchange(
    a: tuple[int, AuthorizeRequest] | None,
    cb: tuple[int, AuthorizeResponse] | None,
    treqs: _Pool[TokenRequest],
    tresps: _Pool[TokenResponse],
) -> OAuthExchange:
    problems: list[Problem] = []
    notes: list[str] = []
    req = a[1] if a else None
    if req is not None and cb is None:
        problems.append(Problem(OAUTH_NO_CALLBACK, "no authorization response reached the redirect_uri after this request"))
    if req is not None and cb is not None:
        _check_callback(req, cb[1], problems, notes)
    if req is None and cb is not None:
        notes.append("no authorization request was seen for this response")
    treq = None
    if cb is not None and cb[1].code is not None:
        code = cb[1].code
        # From the authorization request on, not from the callback: hops are numbered as
        # they finish, and a client redeems the code while the browser's callback request
        # is still open, so a recorded token call comes *before* its callback.
        treq = treqs.take(a[0] if a is not None else 0, lambda m: m.code == code)
        if treq is None:
            notes.append(INVISIBLE_EXCHANGE)
    tresp = None if treq is None else tresps.take(treq[0])
    if req is not None and treq is not None:
        _check_token_request(req, treq[1], problems, notes)
    if treq is not None and tresp is None:
        notes.append("the token request was seen but not its response")
    body = None if tresp is None else tresp[1]
    if body is not None and body.error is not None:
        problems.append(Problem(OAUTH_TOKEN_ERROR, _error_sentence("token response", body.error, body.error_description)))
        notes += [f"{entry.label}: {entry.meaning}" for entry in body.explanations]
    if cb is not None:
        problems += _front_channel_hashes(cb[1])
    if req is not None:
        if cb is not None and cb[1].id_token_jwt is not None:
            _check_nonce(req, cb[1].id_token_jwt, "authorization response", problems, notes)
        if body is not None and body.id_token_jwt is not None:
            _check_nonce(req, body.id_token_jwt, "token response", problems, notes)
    return OAuthExchange(
        authorize_index=a[0] if a else None,
        callback_index=cb[0] if cb else None,
        token_request_index=treq[0] if treq else None,
        token_response_index=tresp[0] if tresp else None,
        problems=tuple(problems),
        notes=tuple(notes),
    )


def _base(url: str | None) -> str:
    return (url or "").split("?", 1)[0].split("#", 1)[0]


def _identity(req: AuthorizeRequest) -> tuple[str | None, ...]:
    return (req.client_id, req.redirect_uri, req.state, req.nonce, req.code_challenge, req.response_type)


def _fold_repeats(
    pending: list[tuple[int, AuthorizeRequest]], callback_indexes: list[int]
) -> tuple[list[tuple[int, AuthorizeRequest]], dict[int, list[int]]]:
    """Requests that only repeat an earlier one, and the earlier ones they belong to.

    A provider's sign-in pages often post back to the authorize URL with the
    original query (Entra's ``/oauth2/authorize``, an interaction step that
    resumes the request): the same client_id, redirect_uri, state, nonce,
    code_challenge and response_type, with no authorization response in
    between. That is the same request still being answered, not a new one
    waiting for its own callback. A repeat after a callback is a new request
    (a replay, a second sign-in) and stays separate.
    """
    kept: list[tuple[int, AuthorizeRequest]] = []
    repeats: dict[int, list[int]] = {}
    for index, req in pending:
        first = next((k for k in reversed(kept) if _identity(k[1]) == _identity(req)), None)
        answered_between = first is not None and any(first[0] < c < index for c in callback_indexes)
        if first is not None and not answered_between and req.client_id is not None:
            repeats.setdefault(first[0], []).append(index)
            continue
        kept.append((index, req))
    return kept, repeats


def _same_state(state: str) -> Callable[[AuthorizeResponse], bool]:
    return lambda response: response.state == state


def _delivered_to(redirect_uri: str) -> Callable[[AuthorizeResponse], bool]:
    return lambda response: callback_matches(response.redirect_url, redirect_uri)


def correlate_oauth(messages: Iterable[tuple[int, object]]) -> tuple[OAuthExchange, ...]:
    """Group ``(index, decoded message)`` pairs into round trips, in order of first index.

    Messages of other kinds are ignored.  Token requests not redeeming a
    seen code (refresh, client credentials, or a code whose response was
    not recorded) become exchanges of their own with a note.
    """
    items = sorted(messages, key=lambda item: item[0])
    requests = _Pool(items, AuthorizeRequest)
    callbacks = _Pool(items, AuthorizeResponse)
    treqs = _Pool(items, TokenRequest)
    tresps = _Pool(items, TokenResponse)
    exchanges: list[OAuthExchange] = []
    pending, repeats = _fold_repeats(requests.take_all(), [i for i, _ in callbacks.items])
    # Pass 1 pairs by state, so that pass 2's looser redirect_uri match cannot
    # steal a response that carries another request's state.
    paired: list[tuple[int, AuthorizeResponse] | None] = []
    for index, req in pending:
        paired.append(None if req.state is None else callbacks.take(index + 1, _same_state(req.state)))
    for (index, req), cb in zip(pending, paired, strict=True):
        if cb is None and req.redirect_uri is not None:
            cb = callbacks.take(index + 1, _delivered_to(req.redirect_uri))
        exchange = _exchange((index, req), cb, treqs, tresps)
        if repeats.get(index):
            again = ", ".join(f"#{i}" for i in repeats[index])
            exchange = replace(exchange, notes=exchange.notes + (
                f"the authorization request is repeated at {again} with the same parameters: the provider's own "
                "sign-in steps returning to its authorize URL, part of this exchange",))
        exchanges.append(exchange)
    endpoints = {_base(req.endpoint) for _, req in pending if req.endpoint}
    for cb in callbacks.take_all():
        if _base(cb[1].redirect_url) in endpoints:
            # A form posted to the authorization endpoint (a sign-in or verification-code step of the
            # provider, ``code=123456``) is the provider's own page: an endpoint is never a redirect_uri.
            continue
        exchanges.append(_exchange(None, cb, treqs, tresps))
    for treq in treqs.take_all():
        tresp = tresps.take(treq[0])
        grant = treq[1].grant_type
        note = (
            f"grant_type={grant}: no authorization request is involved"
            if grant != "authorization_code"
            else "this token request redeems a code whose authorization response was not recorded"
        )
        exchanges.append(OAuthExchange(None, None, treq[0], tresp[0] if tresp else None, notes=(note,)))
    return tuple(sorted(exchanges, key=_first_index))


def _first_index(exchange: OAuthExchange) -> int:
    indexes = (
        exchange.authorize_index,
        exchange.callback_index,
        exchange.token_request_index,
        exchange.token_response_index,
    )
    return min(i for i in indexes if i is not None)
