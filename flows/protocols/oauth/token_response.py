"""Token endpoint responses (RFC 6749 §5.1 success, §5.2 error; OIDC Core §3.1.3.3).

Success is a JSON object with ``access_token``, ``token_type``, usually
``expires_in``, and optionally ``refresh_token``, ``id_token`` and ``scope``;
Entra adds ``ext_expires_in``.  Errors are JSON with ``error`` and, at
Entra, ``error_codes``/``timestamp``/``trace_id``/``correlation_id``/
``error_uri`` (aadsts.md §1).  The ID token is decoded, and verified when a
JWKS is supplied; a JWT access token (Entra issues them) is decoded so its
format can be recognised, but only its audience can verify it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, ClassVar

from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.jose.claims import DEFAULT_SKEW, JwtExpectations
from sso_harness.protocols.jose.compact import Jwt, decode_jwt, looks_like_jwt
from sso_harness.protocols.jose.entra import EntraTokenVersion, entra_token_version
from sso_harness.protocols.jose.jsonobj import parse_json_object, string_member
from sso_harness.protocols.jose.jwks import Jwks
from sso_harness.protocols.jose.verdict import JwtVerdict, verify_jwt
from sso_harness.protocols.oauth.error import OAuthErrorFields, error_fields
from sso_harness.protocols.oauth.params import header_value

__all__ = ["TokenResponse", "decode_token_response"]

_SECRETS = ("access_token", "refresh_token", "id_token")
_KNOWN = (
    *_SECRETS,
    "token_type",
    "expires_in",
    "ext_expires_in",
    "scope",
    "error",
    "error_description",
    "error_uri",
    "error_codes",
    "timestamp",
    "trace_id",
    "correlation_id",
)
_TOKEN_TYPES = frozenset({"bearer", "dpop", "pop", "n_a"})


@dataclass(frozen=True, kw_only=True)
class TokenResponse(OAuthErrorFields):
    """A token response; kind ``oauth.token_response``.

    Tokens are kept for correlation but are credentials (views show
    fingerprints).  ``id_token_verdict`` is set when a JWKS was supplied.
    ``access_token_entra`` tells an Entra v1.0 from a v2.0 access token.
    """

    kind: ClassVar[str] = "oauth.token_response"

    status: int | None = None
    access_token: str | None = field(default=None, repr=False)
    token_type: str | None = None
    expires_in: int | None = None
    ext_expires_in: int | None = None
    refresh_token: str | None = field(default=None, repr=False)
    id_token: str | None = field(default=None, repr=False)
    scope: tuple[str, ...] = ()
    id_token_jwt: Jwt | None = None
    id_token_verdict: JwtVerdict | None = None
    access_token_jwt: Jwt | None = None
    access_token_entra: EntraTokenVersion | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def refresh_token_present(self) -> bool:
        return self.refresh_token is not None


def _seconds(doc: Mapping[str, Any], name: str, errors: list[str], warnings: list[str]) -> int | None:
    value = doc.get(name)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        warnings.append(f"{name} is a string ({value!r}); RFC 6749 §5.1 makes it a number (Entra v1.0 sends strings)")
        return int(value)
    errors.append(f"{name} is not a number of seconds: {str(value)[:40]!r}")
    return None


def _http_checks(
    doc: Mapping[str, Any], status: int | None, cache: str | None, errors: list[str], warnings: list[str]
) -> None:
    failed = doc.get("error") is not None
    if status is not None:
        if failed and status == 200:
            errors.append("an error body came with HTTP 200; RFC 6749 §5.2 requires 400 (or 401 for invalid_client)")
        elif not failed and status != 200:
            warnings.append(f"a success body came with HTTP {status}; RFC 6749 §5.1 uses 200")
    if not failed and cache is not None and "no-store" not in cache.lower():
        warnings.append("Cache-Control lacks no-store on a response carrying tokens (RFC 6749 §5.1)")


def _id_token(
    token: str,
    jwks: Jwks | Mapping[str, Any] | None,
    expected: JwtExpectations | None,
    access_token: str | None,
    now: datetime | None,
    skew: timedelta,
    errors: list[str],
) -> tuple[Jwt | None, JwtVerdict | None]:
    try:
        jwt = decode_jwt(token)
    except DecodeError as exc:
        errors.append(f"the id_token cannot be decoded: {exc}")
        return None, None
    if jwks is None:
        return jwt, None
    if expected is not None and expected.access_token is None and access_token is not None:
        expected = replace(expected, access_token=access_token)  # bind at_hash when the token is at hand
    verdict = verify_jwt(jwt, jwks, expected=expected, now=now, skew=skew)
    errors += [f"id_token: {problem}" for problem in verdict.problems]
    return jwt, verdict


def decode_token_response(
    body: str | bytes | Mapping[str, Any],
    *,
    status: int | None = None,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    jwks: Jwks | Mapping[str, Any] | None = None,
    expected: JwtExpectations | None = None,
    now: datetime | None = None,
    skew: timedelta = DEFAULT_SKEW,
) -> TokenResponse:
    """Decode a token endpoint response body (JSON).

    With ``jwks`` the ID token is verified (``expected``, ``now`` and
    ``skew`` as in :func:`~sso_harness.protocols.jose.verify_jwt`; the response's
    own access token is used for ``at_hash``) and its problems are listed in
    ``errors``.  ``status`` and ``headers`` enable the HTTP-level checks.
    Raises :class:`DecodeError` for non-JSON bodies and for objects with
    none of ``access_token``, ``id_token``, ``refresh_token``, ``error``.
    """
    doc = body if isinstance(body, Mapping) else parse_json_object(body, where="token_response")
    if not any(doc.get(name) is not None for name in (*_SECRETS, "error")):
        raise DecodeError(
            "no access_token, id_token, refresh_token or error: not a token response", where="token_response"
        )
    errors: list[str] = []
    warnings: list[str] = []
    access_token = string_member(doc, "access_token", errors)
    token_type = string_member(doc, "token_type", errors)
    if access_token is not None and token_type is None:
        errors.append("token_type is missing (RFC 6749 §5.1)")
    elif token_type is not None and token_type.lower() not in _TOKEN_TYPES:
        warnings.append(f"token_type {token_type!r} is not a registered type (Bearer, DPoP)")
    if doc.get("error") is None and access_token is None:
        errors.append("access_token is missing (RFC 6749 §5.1)")
    if doc.get("error_codes") is not None and not isinstance(doc.get("error_codes"), list):
        warnings.append("error_codes is not an array of integers")
    _http_checks(doc, status, header_value(headers, "cache-control"), errors, warnings)
    id_token = string_member(doc, "id_token", errors)
    id_jwt, verdict = (
        (None, None) if id_token is None else _id_token(id_token, jwks, expected, access_token, now, skew, errors)
    )
    access_jwt = None
    if access_token is not None and looks_like_jwt(access_token):
        try:
            access_jwt = decode_jwt(access_token)
        except DecodeError:
            access_jwt = None  # opaque to the client by design; nothing to report
    entra = entra_token_version(access_jwt.claims) if access_jwt is not None else None
    scope = string_member(doc, "scope", errors)
    return TokenResponse(
        status=status,
        access_token=access_token,
        token_type=token_type,
        expires_in=_seconds(doc, "expires_in", errors, warnings),
        ext_expires_in=_seconds(doc, "ext_expires_in", errors, warnings),
        refresh_token=string_member(doc, "refresh_token", errors),
        id_token=id_token,
        scope=tuple((scope or "").split()),
        id_token_jwt=id_jwt,
        id_token_verdict=verdict,
        access_token_jwt=access_jwt,
        access_token_entra=entra if entra is not None and entra.version is not None else None,
        extra={k: v for k, v in doc.items() if k not in _KNOWN},
        errors=tuple(errors),
        warnings=tuple(warnings),
        **error_fields(doc),
    )
