"""One JSON-able dict per decoded OAuth/OIDC/JOSE message — the machine view.

Every view has ``kind``, ``claims``, ``claim_names``, ``header``, ``trusted``,
``errors`` and ``warnings`` (``null``/empty when not applicable), plus the
fields of its kind.  Secrets never appear in clear: authorization codes,
tokens, client assertions, code verifiers and client secrets are shown as
``{"present": true, "sha256_8": "…", "length": N}`` — enough to compare two
runs or tell two values apart, nothing to replay.  Decoded JWT claims (and
UserInfo claims) are shown only with ``reveal_claims=True``; otherwise only
their names.  Signatures are never shown.  ``trusted`` is ``null`` for
messages that carry no signature to judge.  The ``oauth.exchange`` view
adds ``problems``: ``[{code, message}]``, the same problems as ``errors``
with their stable codes (:mod:`sso_harness.protocols.problems`).
"""

from __future__ import annotations

from typing import Any

from sso_harness.protocols.catalogues.aadsts import AadstsEntry
from sso_harness.protocols.catalogues.oauth_errors import OAuthErrorEntry
from sso_harness.protocols.jose.compact import Jwt
from sso_harness.protocols.jose.entra import EntraTokenVersion
from sso_harness.protocols.jose.jwk import JwkInfo
from sso_harness.protocols.jose.jwks import Jwks
from sso_harness.protocols.jose.verdict import JwtVerdict
from sso_harness.protocols.oauth.authorize import AuthorizeRequest
from sso_harness.protocols.oauth.callback import AuthorizeResponse
from sso_harness.protocols.oauth.exchange import OAuthExchange
from sso_harness.protocols.oauth.discovery import Discovery
from sso_harness.protocols.oauth.error import OAuthErrorFields
from sso_harness.protocols.oauth.params import SecretPrint, secret_print
from sso_harness.protocols.oauth.token_request import TokenRequest
from sso_harness.protocols.oauth.token_response import TokenResponse
from sso_harness.protocols.oauth.userinfo import UserInfo
from sso_harness.protocols.problems import messages_of, problems_json

__all__ = ["OAuthView", "secret_view", "to_json"]

OAuthView = (
    AuthorizeRequest
    | AuthorizeResponse
    | TokenRequest
    | TokenResponse
    | UserInfo
    | Discovery
    | Jwks
    | Jwt
    | JwtVerdict
    | OAuthExchange
)


# Names whose values are credentials even when they turn up where they do not belong.
_SECRET_NAMES = frozenset(
    {
        "client_secret",
        "password",
        "code",
        "code_verifier",
        "access_token",
        "refresh_token",
        "id_token",
        "assertion",
        "client_assertion",
        "device_code",
        "subject_token",
        "actor_token",
    }
)


def _extra(values: dict[str, Any]) -> dict[str, Any]:
    return {k: secret_view(str(v)) if k.lower() in _SECRET_NAMES else v for k, v in values.items()}


def secret_view(value: str | SecretPrint | None) -> dict[str, Any]:
    """``{"present", "sha256_8", "length"}`` for a secret (or its precomputed print)."""
    printed = value if isinstance(value, SecretPrint) else secret_print(value)
    return {"present": printed.present, "sha256_8": printed.sha256_8, "length": printed.length}


def _base(kind: str, errors: tuple[str, ...] = (), warnings: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "kind": kind,
        "claims": None,
        "claim_names": [],
        "header": None,
        "trusted": None,
        "errors": list(errors),
        "warnings": list(warnings),
    }


def _claims(claims: dict[str, Any] | None, reveal: bool) -> dict[str, Any]:
    if claims is None:
        return {"claims": None, "claim_names": []}
    return {"claims": dict(claims) if reveal else None, "claim_names": sorted(claims)}


def _catalogue(entry: OAuthErrorEntry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {
        "code": entry.code,
        "endpoint": entry.endpoint,
        "spec": entry.spec,
        "meaning": entry.meaning,
        "fix": entry.fix,
    }


def _explanation(entry: AadstsEntry) -> dict[str, Any]:
    return {"code": entry.code, "title": entry.title, "meaning": entry.meaning, "fix": entry.fix}


def _error_block(m: OAuthErrorFields) -> dict[str, Any]:
    return {
        "error": m.error,
        "error_description": m.error_description,
        "error_uri": m.error_uri,
        "error_codes": list(m.error_codes),
        "trace_id": m.trace_id,
        "correlation_id": m.correlation_id,
        "timestamp": m.timestamp,
        "catalogue": _catalogue(m.catalogue),
        "explanations": [_explanation(e) for e in m.explanations],
    }


def _entra(entra: EntraTokenVersion | None) -> dict[str, Any] | None:
    return None if entra is None else {"version": entra.version, "note": entra.note}


def _verdict(v: JwtVerdict, reveal: bool) -> dict[str, Any]:
    view = _base(v.kind, v.problems)
    view.update(_claims(v.claims, reveal))
    view.update(
        header=dict(v.header),
        trusted=v.trusted,
        signature_valid=v.signature_valid,
        kid=v.kid,
        algorithm=v.algorithm,
        notes=list(v.notes),
        checked=list(v.checked),
        entra=_entra(v.entra),
        token=secret_view(v.token or None),
    )
    return view


def _authorize_request(m: AuthorizeRequest) -> dict[str, Any]:
    view = _base(m.kind, m.errors, m.warnings)
    view.update(
        endpoint=m.endpoint,
        method=m.method,
        endpoint_version=m.endpoint_version,
        tenant=m.tenant,
        response_type=m.response_type,
        response_types=list(m.response_types),
        client_id=m.client_id,
        redirect_uri=m.redirect_uri,
        scope=list(m.scope),
        state=m.state,
        nonce=m.nonce,
        code_challenge=m.code_challenge,
        code_challenge_method=m.code_challenge_method,
        prompt=m.prompt,
        login_hint=m.login_hint,
        domain_hint=m.domain_hint,
        response_mode=m.response_mode,
        response_mode_explicit=m.response_mode_explicit,
        claims_request=m.claims,
        max_age=m.max_age,
        resource=m.resource,
        extra=_extra(m.extra),
    )
    return view


def _authorize_response(m: AuthorizeResponse, reveal: bool) -> dict[str, Any]:
    view = _base(m.kind, m.errors, m.warnings)
    jwt = m.id_token_jwt
    view.update(_claims(None if jwt is None else jwt.claims, reveal))
    view.update(
        header=None if jwt is None else dict(jwt.header),
        redirect_url=m.redirect_url,
        response_mode=m.response_mode,
        code=secret_view(m.code),
        state=m.state,
        id_token=secret_view(m.id_token),
        access_token=secret_view(m.access_token),
        token_type=m.token_type,
        expires_in=m.expires_in,
        session_state=m.session_state,
        iss=m.iss,
        scope=list(m.scope),
        **_error_block(m),
        extra=_extra(m.extra),
    )
    return view


def _token_request(m: TokenRequest, reveal: bool) -> dict[str, Any]:
    view = _base(m.kind, m.errors, m.warnings)
    assertion = m.client_assertion_jwt
    view.update(
        endpoint=m.endpoint,
        endpoint_version=m.endpoint_version,
        tenant=m.tenant,
        grant_type=m.grant_type,
        code=secret_view(m.code),
        redirect_uri=m.redirect_uri,
        code_verifier=secret_view(m.code_verifier),
        refresh_token=secret_view(m.refresh_token),
        scope=list(m.scope),
        client_id=m.client_id,
        client_auth_method=m.client_auth_method,
        client_secret={
            **secret_view(SecretPrint(m.client_secret_present, m.client_secret_fingerprint, m.client_secret_length)),
            "looks_like_guid": m.client_secret_looks_like_guid,
        },
        client_assertion_type=m.client_assertion_type,
        client_assertion=secret_view(m.client_assertion),
        client_assertion_header=None if assertion is None else dict(assertion.header),
        client_assertion_claims=None if assertion is None or not reveal else dict(assertion.claims),
        resource=m.resource,
        device_code=secret_view(m.device_code),
        assertion=secret_view(m.assertion),
        requested_token_use=m.requested_token_use,
        extra=_extra(m.extra),
    )
    return view


def _token_response(m: TokenResponse, reveal: bool) -> dict[str, Any]:
    view = _base(m.kind, m.errors, m.warnings)
    jwt, verdict, access = m.id_token_jwt, m.id_token_verdict, m.access_token_jwt
    view.update(_claims(None if jwt is None else jwt.claims, reveal))
    view.update(
        header=None if jwt is None else dict(jwt.header),
        trusted=None if verdict is None else verdict.trusted,
        status=m.status,
        access_token=secret_view(m.access_token),
        token_type=m.token_type,
        expires_in=m.expires_in,
        ext_expires_in=m.ext_expires_in,
        refresh_token=secret_view(m.refresh_token),
        id_token=secret_view(m.id_token),
        scope=list(m.scope),
        id_token_verdict=None
        if verdict is None
        else {
            "signature_valid": verdict.signature_valid,
            "kid": verdict.kid,
            "algorithm": verdict.algorithm,
            "trusted": verdict.trusted,
            "problems": list(verdict.problems),
            "notes": list(verdict.notes),
            "checked": list(verdict.checked),
        },
        access_token_header=None if access is None else dict(access.header),
        access_token_claims=None if access is None or not reveal else dict(access.claims),
        access_token_entra=_entra(m.access_token_entra),
        **_error_block(m),
        extra=_extra(m.extra),
    )
    return view


def _jwk(info: JwkInfo) -> dict[str, Any]:
    return {
        "kid": info.kid,
        "kty": info.kty,
        "alg": info.alg,
        "use": info.use,
        "crv": info.crv,
        "bits": info.bits,
        "x5t": info.x5t,
        "usable": info.usable,
        "private": info.private,
        "problem": info.problem,
    }


def _discovery(m: Discovery) -> dict[str, Any]:
    view = _base(m.kind, m.errors, m.warnings)
    view.update(
        issuer=m.issuer,
        fetched_from=m.fetched_from,
        issuer_matches=m.issuer_matches,
        authorization_endpoint=m.authorization_endpoint,
        token_endpoint=m.token_endpoint,
        userinfo_endpoint=m.userinfo_endpoint,
        jwks_uri=m.jwks_uri,
        end_session_endpoint=m.end_session_endpoint,
        device_authorization_endpoint=m.device_authorization_endpoint,
        response_types_supported=list(m.response_types_supported),
        response_modes_supported=list(m.response_modes_supported),
        grant_types_supported=list(m.grant_types_supported),
        id_token_signing_alg_values_supported=list(m.id_token_signing_alg_values_supported),
        token_endpoint_auth_methods_supported=list(m.token_endpoint_auth_methods_supported),
        code_challenge_methods_supported=list(m.code_challenge_methods_supported),
        scopes_supported=list(m.scopes_supported),
    )
    return view


def to_json(message: OAuthView, *, reveal_claims: bool = False) -> dict[str, Any]:
    """Flatten a decoded message to a ``json.dumps``-able dict with secrets fingerprinted.

    ``reveal_claims`` shows decoded JWT and UserInfo claims in full; without
    it only their names appear.  Raises ``TypeError`` for an unknown type.
    """
    if isinstance(message, JwtVerdict):
        return _verdict(message, reveal_claims)
    if isinstance(message, Jwt):
        view = _base(message.kind)
        view.update(_claims(message.claims, reveal_claims))
        view.update(header=dict(message.header), trusted=False, token=secret_view(message.token))
        return view
    if isinstance(message, AuthorizeRequest):
        return _authorize_request(message)
    if isinstance(message, AuthorizeResponse):
        return _authorize_response(message, reveal_claims)
    if isinstance(message, TokenRequest):
        return _token_request(message, reveal_claims)
    if isinstance(message, TokenResponse):
        return _token_response(message, reveal_claims)
    if isinstance(message, UserInfo):
        view = _base(message.kind, message.errors, message.warnings)
        view.update(_claims(message.claims, reveal_claims))
        view.update(
            sub=message.sub,
            signed=message.jwt is not None,
            header=None if message.jwt is None else dict(message.jwt.header),
        )
        return view
    if isinstance(message, Discovery):
        return _discovery(message)
    if isinstance(message, Jwks):
        view = _base(message.kind, message.errors, message.warnings)
        view["keys"] = [_jwk(k) for k in message.keys]
        return view
    if isinstance(message, OAuthExchange):
        view = _base("oauth.exchange", messages_of(message.problems))
        view.update(
            problems=problems_json(message.problems),
            authorize_index=message.authorize_index,
            callback_index=message.callback_index,
            token_request_index=message.token_request_index,
            token_response_index=message.token_response_index,
            notes=list(message.notes),
        )
        return view
    raise TypeError(f"no JSON view for {type(message).__name__}")
