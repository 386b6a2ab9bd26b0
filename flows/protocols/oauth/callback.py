"""Authorization responses: what comes back to the ``redirect_uri`` (RFC 6749 §4.1.2, §4.2.2).

Delivered in the redirect URL's query, its fragment, or as a form POST
(OAuth 2.0 Form Post Response Mode).  Success carries ``code`` and/or
tokens and ``state``; failure carries ``error`` and friends (RFC 6749
§4.1.2.1), to which Entra adds AADSTS codes and trace IDs in
``error_description``.  A front-channel ``id_token`` is decoded (not
verified) so its claims can be correlated with the request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import ClassVar

from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.jose.compact import Jwt, decode_jwt
from sso_harness.protocols.oauth.error import OAuthErrorFields, error_fields
from sso_harness.protocols.oauth.params import Params, params_from, parse_params, split_url, to_text

__all__ = ["AuthorizeResponse", "decode_authorize_response"]

_MARKERS = ("code", "error", "id_token", "access_token")
_KNOWN = (
    "code",
    "state",
    "id_token",
    "access_token",
    "token_type",
    "expires_in",
    "session_state",
    "iss",
    "scope",
    "error",
    "error_description",
    "error_uri",
    "error_codes",
    "trace_id",
    "correlation_id",
    "timestamp",
)


@dataclass(frozen=True, kw_only=True)
class AuthorizeResponse(OAuthErrorFields):
    """An authorization response; kind ``oauth.authorize_response``.

    ``redirect_url`` is where it was delivered (no query/fragment);
    ``response_mode`` is how (``query``, ``fragment``, ``form_post``).
    ``code`` and the tokens are credentials: views show fingerprints only.
    ``id_token_jwt`` is the decoded, unverified ID token.
    """

    kind: ClassVar[str] = "oauth.authorize_response"

    redirect_url: str | None
    response_mode: str
    code: str | None = field(default=None, repr=False)
    state: str | None = None
    id_token: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)
    token_type: str | None = None
    expires_in: int | None = None
    session_state: str | None = None
    iss: str | None = None
    scope: tuple[str, ...] = ()
    id_token_jwt: Jwt | None = None
    extra: dict[str, str] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _has_response(params: Params) -> bool:
    return any(params.get(name) is not None for name in _MARKERS)


def _expires_in(value: str | None, errors: list[str]) -> int | None:
    if value is None:
        return None
    if value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value)
    errors.append(f"expires_in must be an integer number of seconds, got {value[:40]!r}")
    return None


def _build(params: Params, redirect_url: str | None, mode: str) -> AuthorizeResponse:
    p = params
    if not _has_response(p):
        raise DecodeError("no code, error, id_token or access_token: not an authorization response", where="callback")
    errors = [f"parameter {name!r} appears more than once (RFC 6749 §3.1)" for name in p.repeated]
    warnings: list[str] = []
    if p.get("error") is not None and (p.get("code") or p.get("access_token") or p.get("id_token")):
        errors.append("the response carries both an error and a grant or token")
    if mode == "query" and (p.get("access_token") or p.get("id_token")):
        errors.append(
            "tokens were returned in the query string, where logs and Referer headers see them "
            "(Multiple Response Types §2.1)"
        )
    if p.get("state") is None and p.get("error") is None:
        warnings.append("no state in the response, so it cannot be tied to the request (RFC 6749 §4.1.2)")
    jwt = None
    id_token = p.get("id_token")
    if id_token:
        try:
            jwt = decode_jwt(id_token)
        except DecodeError as exc:
            errors.append(f"the id_token cannot be decoded: {exc}")
    return AuthorizeResponse(
        redirect_url=redirect_url,
        response_mode=mode,
        code=p.get("code"),
        state=p.get("state"),
        id_token=id_token,
        access_token=p.get("access_token"),
        token_type=p.get("token_type"),
        expires_in=_expires_in(p.get("expires_in"), errors),
        session_state=p.get("session_state"),
        iss=p.get("iss"),
        scope=tuple((p.get("scope") or "").split()),
        id_token_jwt=jwt,
        extra={k: v for k, v in p.values.items() if k not in _KNOWN},
        errors=tuple(errors),
        warnings=tuple(warnings),
        **error_fields(p.values),
    )


def decode_authorize_response(
    data: str | bytes | Mapping[str, object], *, redirect_url: str | None = None
) -> AuthorizeResponse:
    """Decode an authorization response.

    ``data`` is the redirect URL (parameters in its fragment or query —
    the fragment wins when both carry a response), a form-POST body or
    mapping (``form_post``; pass ``redirect_url`` = where it was posted), or
    a bare ``?query`` / ``#fragment``.  Raises :class:`DecodeError` when no
    ``code``, ``error``, ``id_token`` or ``access_token`` is present.
    """
    if isinstance(data, Mapping):
        return _build(params_from(data, where="callback"), redirect_url, "form_post")
    text = to_text(data, where="callback").strip()
    if "://" in text.split("?", 1)[0].split("#", 1)[0]:
        base, query, fragment = split_url(text, where="callback")
        if _has_response(fragment):
            response = _build(fragment, base, "fragment")
            if _has_response(query):
                return _with_warning(
                    response, "both the query and the fragment carry response parameters; the fragment was used"
                )
            return response
        return _build(query, base, "query")
    if text.startswith("#"):
        return _build(parse_params(text, where="callback#"), redirect_url, "fragment")
    if text.startswith("?"):
        return _build(parse_params(text, where="callback?"), redirect_url, "query")
    return _build(parse_params(text, where="callback"), redirect_url, "form_post")


def _with_warning(response: AuthorizeResponse, warning: str) -> AuthorizeResponse:
    return replace(response, warnings=(*response.warnings, warning))
