"""Authorization requests (RFC 6749 §4.1.1/§4.2.1, OIDC Core §3.1.2.1).

Decoded from the authorize URL's query, or from a form body when the client
POSTs to the authorization endpoint (OIDC Core §3.1.2.1 allows both).  The
effective ``response_mode`` follows OAuth 2.0 Multiple Response Types §2.1
when the request does not name one: ``query`` for ``code`` and ``none``,
``fragment`` as soon as ``token`` or ``id_token`` is requested.  Entra's
endpoints are recognised and their version and tenant recorded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.oauth.entra import entra_endpoint
from sso_harness.protocols.oauth.params import Params, params_from, parse_params, split_url, to_text
from sso_harness.protocols.oauth.pkce import PLAIN_WARNING, challenge_syntax_problem
from sso_harness.protocols.oauth.redirect import redirect_uri_problems

__all__ = ["AuthorizeRequest", "decode_authorize_request", "default_response_mode"]

_KNOWN_PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "prompt",
    "login_hint",
    "domain_hint",
    "response_mode",
    "claims",
    "max_age",
    "resource",
)
_RESPONSE_TYPES = frozenset({"code", "token", "id_token", "none"})
_RESPONSE_MODES = frozenset({"query", "fragment", "form_post"})


@dataclass(frozen=True, kw_only=True)
class AuthorizeRequest:
    """An authorization request; kind ``oauth.authorize_request``.

    ``response_mode`` is the *effective* mode (named or derived);
    ``response_mode_explicit`` says which.  ``claims`` is the parsed OIDC
    claims request (Core §5.5) when it is valid JSON.  ``endpoint_version``
    and ``tenant`` are set for Entra endpoints.  ``extra`` keeps every other
    parameter.  ``errors`` break the spec; ``warnings`` are risky but legal.
    """

    kind: ClassVar[str] = "oauth.authorize_request"

    endpoint: str | None
    method: str
    response_type: str | None
    response_types: tuple[str, ...]
    client_id: str | None
    redirect_uri: str | None
    scope: tuple[str, ...]
    state: str | None
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    prompt: str | None
    login_hint: str | None
    domain_hint: str | None
    response_mode: str | None
    response_mode_explicit: bool
    claims: dict[str, Any] | None
    max_age: int | None
    resource: str | None
    endpoint_version: str | None = None
    tenant: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def default_response_mode(response_types: tuple[str, ...]) -> str | None:
    """Multiple Response Types §2.1: fragment when any token is returned in the front channel."""
    if not response_types:
        return None
    return "fragment" if {"token", "id_token"} & set(response_types) else "query"


def _max_age(value: str | None, errors: list[str]) -> int | None:
    if value is None:
        return None
    if value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value)
    errors.append(f"max_age must be a non-negative integer number of seconds, got {value[:40]!r}")
    return None


def _claims(value: str | None, errors: list[str]) -> dict[str, Any] | None:
    if value is None:
        return None
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        errors.append("claims is not valid JSON (OIDC Core §5.5)")
        return None
    if not isinstance(parsed, dict):
        errors.append("claims must be a JSON object (OIDC Core §5.5)")
        return None
    return parsed


def _response_checks(
    types: tuple[str, ...],
    mode: str | None,
    explicit: bool,
    p: Params,
    scope: tuple[str, ...],
    errors: list[str],
    warnings: list[str],
) -> None:
    unknown = [t for t in types if t not in _RESPONSE_TYPES]
    if unknown:
        warnings.append(f"response_type contains unregistered values: {', '.join(unknown)}")
    if "none" in types and len(types) > 1:
        errors.append("response_type 'none' cannot be combined with other values (Multiple Response Types §4)")
    if explicit and mode not in _RESPONSE_MODES:
        warnings.append(f"response_mode {mode!r} is not query, fragment or form_post")
    if mode == "query" and {"token", "id_token"} & set(types):
        errors.append(
            "response_mode=query must not carry tokens (Multiple Response Types §2.1); use fragment or form_post"
        )
    if "id_token" in types:
        if "openid" not in scope:
            warnings.append("response_type asks for an id_token but scope lacks 'openid' (OIDC Core §3.1.2.1)")
        if p.get("nonce") is None:
            errors.append(
                "an id_token is returned from the authorization endpoint but no nonce was sent (OIDC Core §3.2.2.1)"
            )


def _pkce_checks(types: tuple[str, ...], p: Params, errors: list[str], warnings: list[str]) -> None:
    challenge, method = p.get("code_challenge"), p.get("code_challenge_method")
    if challenge is None:
        if method is not None:
            errors.append("code_challenge_method is sent without a code_challenge (RFC 7636 §4.3)")
        elif "code" in types:
            warnings.append("no PKCE code_challenge: RFC 9700 §2.1.1 recommends PKCE for every code flow client")
        return
    if method is None:
        warnings.append(
            "code_challenge_method is absent, so the server assumes 'plain' (RFC 7636 §4.3); " + PLAIN_WARNING
        )
    elif method == "plain":
        warnings.append(PLAIN_WARNING)
    elif method != "S256":
        errors.append(f"code_challenge_method {method!r} is neither S256 nor plain (RFC 7636 §4.3)")
    problem = challenge_syntax_problem(challenge, method or "plain")
    if problem:
        errors.append(problem)


def _build(params: Params, endpoint: str | None, method: str) -> AuthorizeRequest:
    p = params
    if p.get("response_type") is None and p.get("client_id") is None:
        raise DecodeError("neither response_type nor client_id: not an OAuth authorization request", where="authorize")
    errors = [f"parameter {name!r} appears more than once (RFC 6749 §3.1)" for name in p.repeated]
    warnings: list[str] = []
    response_type = p.get("response_type")
    types = tuple(response_type.split()) if response_type else ()
    scope = tuple((p.get("scope") or "").split())
    for name in ("response_type", "client_id"):
        if not p.get(name):
            errors.append(f"{name} is missing (RFC 6749 §4.1.1)")
    named_mode = p.get("response_mode")
    mode = named_mode if named_mode is not None else default_response_mode(types)
    _response_checks(types, mode, named_mode is not None, p, scope, errors, warnings)
    _pkce_checks(types, p, errors, warnings)
    redirect_uri = p.get("redirect_uri")
    if redirect_uri is None:
        (errors if "openid" in scope else warnings).append(
            "redirect_uri is missing" + (" (required by OIDC Core §3.1.2.1)" if "openid" in scope else "")
        )
    else:
        errors += redirect_uri_problems(redirect_uri)
    if p.get("client_secret") is not None:
        errors.append(
            "client_secret is in the authorization request, which passes through the browser: the secret "
            "is exposed and must be rotated"
        )
    if p.get("state") is None:
        warnings.append("no state: nothing ties the callback to this browser session (RFC 6749 §10.12)")
    entra = entra_endpoint(endpoint) if endpoint else None
    if entra is not None and entra.version == "2.0" and p.get("resource") is not None:
        warnings.append("the Entra v2.0 endpoint takes scopes, not resource: ask for '<resource>/.default' in scope")
    return AuthorizeRequest(
        endpoint=endpoint,
        method=method,
        response_type=response_type,
        response_types=types,
        client_id=p.get("client_id"),
        redirect_uri=redirect_uri,
        scope=scope,
        state=p.get("state"),
        nonce=p.get("nonce"),
        code_challenge=p.get("code_challenge"),
        code_challenge_method=p.get("code_challenge_method"),
        prompt=p.get("prompt"),
        login_hint=p.get("login_hint"),
        domain_hint=p.get("domain_hint"),
        response_mode=mode,
        response_mode_explicit=named_mode is not None,
        claims=_claims(p.get("claims"), errors),
        max_age=_max_age(p.get("max_age"), errors),
        resource=p.get("resource"),
        endpoint_version=None if entra is None else entra.version,
        tenant=None if entra is None else entra.tenant,
        extra={k: v for k, v in p.values.items() if k not in _KNOWN_PARAMS},
        errors=tuple(errors),
        warnings=tuple(warnings),
    )


def decode_authorize_request(
    data: str | bytes | Mapping[str, object], *, endpoint: str | None = None
) -> AuthorizeRequest:
    """Decode an authorization request.

    ``data`` is the full authorize URL (parameters in its query), or the
    urlencoded body / parsed form of a POST to the authorization endpoint,
    in which case ``endpoint`` is the URL it was posted to.  Raises
    :class:`DecodeError` when the input carries neither ``response_type``
    nor ``client_id``, or cannot be parsed.
    """
    if isinstance(data, Mapping):
        return _build(params_from(data, where="authorize"), endpoint, "POST")
    text = to_text(data, where="authorize").strip()
    if "://" in text.split("?", 1)[0]:
        base, query, _fragment = split_url(text, where="authorize")
        return _build(query, base, "GET")
    return _build(parse_params(text, where="authorize"), endpoint, "POST")
