"""Token requests to the token endpoint (RFC 6749 §4.1.3, §6; RFC 7636 §4.5; RFC 7523).

Besides the grant parameters, the decoder works out how the client
authenticated (RFC 6749 §2.3, OIDC Core §9): ``client_secret_basic``
(``Authorization: Basic``), ``client_secret_post`` (secret in the body),
``private_key_jwt`` / ``client_secret_jwt`` (a signed ``client_assertion``)
or ``none`` (a public client).  The client secret is never kept: only
whether it was present, its length and an 8-hex SHA-256 fingerprint — enough
for a test to tell the secret's *value* from its *ID* without either
appearing anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Literal
from urllib.parse import unquote_plus

from sso_harness.protocols.encoding import b64decode_lenient
from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.jose.compact import Jwt, decode_jwt
from sso_harness.protocols.oauth.entra import entra_endpoint
from sso_harness.protocols.oauth.params import (
    Params,
    header_value,
    params_from,
    parse_params,
    secret_print,
    to_text,
)
from sso_harness.protocols.oauth.pkce import verifier_problems

__all__ = ["ClientAuthMethod", "TokenRequest", "decode_token_request"]

ClientAuthMethod = Literal["client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt", "none"]
JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_KNOWN = (
    "grant_type",
    "code",
    "redirect_uri",
    "code_verifier",
    "refresh_token",
    "scope",
    "client_id",
    "client_secret",
    "client_assertion_type",
    "client_assertion",
    "resource",
    "device_code",
    "assertion",
    "requested_token_use",
)
# Never copied into ``extra``: credentials of other grants (ROPC, SAML bearer, token exchange).
_SECRET_EXTRAS = frozenset({"password", "subject_token", "actor_token"})


@dataclass(frozen=True, kw_only=True)
class TokenRequest:
    """A token request; kind ``oauth.token_request``.

    ``code``, ``code_verifier``, ``refresh_token``, ``device_code``,
    ``assertion`` and ``client_assertion`` are kept for correlation and
    verification but are credentials: views show fingerprints only.  The
    client secret itself is not kept at all.
    """

    kind: ClassVar[str] = "oauth.token_request"

    endpoint: str | None
    grant_type: str | None
    code: str | None = field(default=None, repr=False)
    redirect_uri: str | None = None
    code_verifier: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    scope: tuple[str, ...] = ()
    client_id: str | None = None
    client_auth_method: ClientAuthMethod = "none"
    client_secret_present: bool = False
    client_secret_fingerprint: str | None = None
    client_secret_length: int = 0
    client_secret_looks_like_guid: bool = False
    client_assertion_type: str | None = None
    client_assertion: str | None = field(default=None, repr=False)
    client_assertion_jwt: Jwt | None = None
    resource: str | None = None
    device_code: str | None = field(default=None, repr=False)
    assertion: str | None = field(default=None, repr=False)
    requested_token_use: str | None = None
    endpoint_version: str | None = None
    tenant: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _basic(header: str | None, errors: list[str]) -> tuple[str | None, str | None]:
    """``(client_id, secret)`` from ``Authorization: Basic`` (RFC 6749 §2.3.1: each form-urlencoded)."""
    if header is None or header[:6].lower() != "basic ":
        return None, None
    try:
        raw = b64decode_lenient(header[6:].strip(), where="Authorization")
        text = raw.decode("utf-8")
    except (DecodeError, UnicodeDecodeError):
        errors.append("the Authorization: Basic header is not base64 of UTF-8 text")
        return None, None
    if ":" not in text:
        errors.append("the Authorization: Basic credentials have no ':' between client_id and secret")
        return None, None
    client_id, secret = text.split(":", 1)
    return unquote_plus(client_id), unquote_plus(secret)


def _assertion(p: Params, errors: list[str]) -> tuple[Jwt | None, ClientAuthMethod | None]:
    assertion, kind = p.get("client_assertion"), p.get("client_assertion_type")
    if assertion is None:
        if kind is not None:
            errors.append("client_assertion_type is sent without a client_assertion (RFC 7521 §4.2)")
        return None, None
    if kind != JWT_BEARER_ASSERTION:
        errors.append(f"client_assertion_type must be {JWT_BEARER_ASSERTION!r} (RFC 7523 §2.2), got {kind!r}")
    try:
        jwt = decode_jwt(assertion)
    except DecodeError as exc:
        errors.append(f"the client_assertion cannot be decoded: {exc}")
        return None, "private_key_jwt"
    return jwt, "client_secret_jwt" if jwt.alg.startswith("HS") else "private_key_jwt"


def _grant_checks(p: Params, errors: list[str], warnings: list[str]) -> None:
    grant = p.get("grant_type")
    if grant is None:
        errors.append("grant_type is missing (RFC 6749 §4.1.3)")
    elif grant == "authorization_code":
        if not p.get("code"):
            errors.append("the authorization_code grant needs a code (RFC 6749 §4.1.3)")
        if p.get("redirect_uri") is None:
            warnings.append("no redirect_uri: required when the authorization request sent one (RFC 6749 §4.1.3)")
    elif grant == "refresh_token" and not p.get("refresh_token"):
        errors.append("the refresh_token grant needs a refresh_token (RFC 6749 §6)")
    elif grant == "password":
        warnings.append("the resource owner password grant must not be used (RFC 9700 §2.4)")
    verifier = p.get("code_verifier")
    if verifier is not None:
        errors += verifier_problems(verifier)


def _build(
    p: Params, headers: Mapping[str, str] | Iterable[tuple[str, str]] | None, endpoint: str | None
) -> TokenRequest:
    if p.get("grant_type") is None and p.get("code") is None and p.get("refresh_token") is None:
        raise DecodeError("no grant_type, code or refresh_token: not a token request", where="token_request")
    errors = [f"parameter {name!r} appears more than once (RFC 6749 §3.2)" for name in p.repeated]
    warnings: list[str] = []
    _grant_checks(p, errors, warnings)
    basic_id, basic_secret = _basic(header_value(headers, "authorization"), errors)
    post_secret = p.get("client_secret")
    jwt, assertion_method = _assertion(p, errors)
    methods: list[ClientAuthMethod] = []
    if basic_secret is not None:
        methods.append("client_secret_basic")
    if post_secret is not None:
        methods.append("client_secret_post")
    if assertion_method is not None:
        methods.append(assertion_method)
    if len(methods) > 1:
        errors.append(f"the client authenticates in more than one way ({', '.join(methods)}); RFC 6749 §2.3 allows one")
    client_id = p.get("client_id")
    if basic_id is not None and client_id is not None and basic_id != client_id:
        errors.append(f"client_id {client_id!r} in the body differs from {basic_id!r} in the Basic credentials")
    client_id = client_id if client_id is not None else basic_id
    if not methods and client_id is None:
        errors.append("a public client must send client_id (RFC 6749 §4.1.3)")
    secret = basic_secret if basic_secret is not None else post_secret
    printed = secret_print(secret)
    guid_like = secret is not None and _GUID.fullmatch(secret.strip()) is not None
    if guid_like:
        warnings.append(
            "the client secret has the shape of a GUID: Entra shows each secret's ID as a GUID beside its value; "
            "sending the ID instead of the value fails with AADSTS7000215"
        )
    entra = entra_endpoint(endpoint) if endpoint else None
    return TokenRequest(
        endpoint=endpoint,
        grant_type=p.get("grant_type"),
        code=p.get("code"),
        redirect_uri=p.get("redirect_uri"),
        code_verifier=p.get("code_verifier"),
        refresh_token=p.get("refresh_token"),
        scope=tuple((p.get("scope") or "").split()),
        client_id=client_id,
        client_auth_method=methods[0] if methods else "none",
        client_secret_present=printed.present,
        client_secret_fingerprint=printed.sha256_8,
        client_secret_length=printed.length,
        client_secret_looks_like_guid=guid_like,
        client_assertion_type=p.get("client_assertion_type"),
        client_assertion=p.get("client_assertion"),
        client_assertion_jwt=jwt,
        resource=p.get("resource"),
        device_code=p.get("device_code"),
        assertion=p.get("assertion"),
        requested_token_use=p.get("requested_token_use"),
        endpoint_version=None if entra is None else entra.version,
        tenant=None if entra is None else entra.tenant,
        extra={k: v for k, v in p.values.items() if k not in _KNOWN and k.lower() not in _SECRET_EXTRAS},
        errors=tuple(errors),
        warnings=tuple(warnings),
    )


def decode_token_request(
    body: str | bytes | Mapping[str, object],
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    *,
    endpoint: str | None = None,
) -> TokenRequest:
    """Decode a token request from its urlencoded body (or parsed form) and headers.

    ``endpoint`` is the URL it was sent to (recognises Entra's v1/v2 token
    endpoints).  Raises :class:`DecodeError` when the body has no
    ``grant_type``, ``code`` or ``refresh_token``, or cannot be parsed.
    """
    if isinstance(body, Mapping):
        params = params_from(body, where="token_request")
    else:
        params = parse_params(to_text(body, where="token_request"), where="token_request")
    return _build(params, headers, endpoint)
