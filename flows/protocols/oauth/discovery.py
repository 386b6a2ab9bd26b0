"""OpenID Provider configuration documents (OIDC Discovery 1.0 §3, §4).

Beyond the fields, the check that matters is §4.3: the ``issuer`` in the
document must be identical to the issuer URL the document was fetched
under (``issuer + "/.well-known/openid-configuration"``, §4.1; RFC 8414
§3.1 puts the well-known segment before the path instead).  Otherwise an
attacker's document could impersonate another issuer.  Entra deviates in
two documented ways, reported as warnings with an explanation: multi-tenant
documents publish a ``{tenantid}`` template issuer, and the v1.0 document
names the ``sts.windows.net`` issuer of v1.0 tokens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import urlsplit

from sso_harness.protocols.jose.jsonobj import parse_json_object, string_member
from sso_harness.protocols.oauth.entra import ENTRA_HOSTS

__all__ = ["Discovery", "decode_discovery", "expected_discovery_urls"]

_REQUIRED = (
    "issuer",
    "authorization_endpoint",
    "jwks_uri",
    "response_types_supported",
    "subject_types_supported",
    "id_token_signing_alg_values_supported",
)
_LISTS = (
    "response_types_supported",
    "response_modes_supported",
    "grant_types_supported",
    "subject_types_supported",
    "id_token_signing_alg_values_supported",
    "token_endpoint_auth_methods_supported",
    "code_challenge_methods_supported",
    "scopes_supported",
    "claims_supported",
)
_WELL_KNOWN = "/.well-known/openid-configuration"


@dataclass(frozen=True, kw_only=True)
class Discovery:
    """A discovery document; kind ``oidc.discovery``.

    ``issuer_matches`` is None when ``fetched_from`` was not given, else
    whether §4.3 holds.  ``document`` keeps every member as published.
    """

    kind: ClassVar[str] = "oidc.discovery"

    issuer: str | None
    authorization_endpoint: str | None
    token_endpoint: str | None
    userinfo_endpoint: str | None
    jwks_uri: str | None
    end_session_endpoint: str | None
    device_authorization_endpoint: str | None
    response_types_supported: tuple[str, ...] = ()
    response_modes_supported: tuple[str, ...] = ()
    grant_types_supported: tuple[str, ...] = ()
    subject_types_supported: tuple[str, ...] = ()
    id_token_signing_alg_values_supported: tuple[str, ...] = ()
    token_endpoint_auth_methods_supported: tuple[str, ...] = ()
    code_challenge_methods_supported: tuple[str, ...] = ()
    scopes_supported: tuple[str, ...] = ()
    claims_supported: tuple[str, ...] = ()
    fetched_from: str | None = None
    issuer_matches: bool | None = None
    document: dict[str, Any] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def expected_discovery_urls(issuer: str) -> tuple[str, ...]:
    """Where a document for ``issuer`` may be fetched: OIDC Discovery §4.1, then RFC 8414 §3.1."""
    base = issuer.rstrip("/")
    try:
        parts = urlsplit(issuer)
    except ValueError:
        return (base + _WELL_KNOWN,)
    path = parts.path.rstrip("/")
    rfc8414 = f"{parts.scheme}://{parts.netloc}/.well-known/openid-configuration{path}"
    return (base + _WELL_KNOWN, rfc8414)


def _strings(doc: Mapping[str, Any], name: str, errors: list[str]) -> tuple[str, ...]:
    value = doc.get(name)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(f"{name} must be an array of strings (OIDC Discovery §3)")
        return ()
    return tuple(value)


def _issuer_syntax(issuer: str, errors: list[str]) -> None:
    try:
        parts = urlsplit(issuer)
    except ValueError:
        errors.append(f"issuer {issuer[:80]!r} is not a URL")
        return
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        errors.append(f"issuer {issuer!r} must be an https URL (OIDC Discovery §3)")
    if parts.query or parts.fragment:
        errors.append("issuer must not have a query or fragment (OIDC Discovery §3)")


def _match_issuer(issuer: str, fetched_from: str, warnings: list[str], errors: list[str]) -> bool:
    fetched = fetched_from.split("?", 1)[0].split("#", 1)[0]
    if fetched in expected_discovery_urls(issuer):
        return True
    try:
        host = (urlsplit(fetched).hostname or "").lower()
    except ValueError:
        host = ""
    if host in ENTRA_HOSTS and "{tenantid}" in issuer:
        warnings.append(
            f"issuer {issuer!r} is Entra's multi-tenant template, not the URL it was fetched from; validate each "
            "token's iss against the template filled with its own tid"
        )
    elif host in ENTRA_HOSTS and issuer.startswith("https://sts.windows.net/"):
        warnings.append(
            f"issuer {issuer!r} differs from {fetched!r}: Entra's v1.0 document names the issuer of v1.0 tokens "
            "(sts.windows.net) rather than its own location"
        )
    else:
        errors.append(
            f"issuer {issuer!r} does not match the URL the document was fetched from ({fetched!r}); "
            "OIDC Discovery §4.3 requires them to be identical"
        )
    return False


def decode_discovery(body: str | bytes | Mapping[str, Any], *, fetched_from: str | None = None) -> Discovery:
    """Decode and check a discovery document; ``fetched_from`` is the URL it came from."""
    doc = dict(body) if isinstance(body, Mapping) else parse_json_object(body, where="discovery")
    errors = [f"{name} is missing (required by OIDC Discovery §3)" for name in _REQUIRED if doc.get(name) is None]
    warnings: list[str] = []
    lists = {name: _strings(doc, name, errors) for name in _LISTS}
    issuer = string_member(doc, "issuer", errors)
    token_endpoint = string_member(doc, "token_endpoint", errors)
    if token_endpoint is None and set(lists["response_types_supported"]) - {"id_token", "id_token token"}:
        errors.append("token_endpoint is missing; only implicit-only providers may omit it (OIDC Discovery §3)")
    algs = lists["id_token_signing_alg_values_supported"]
    if "none" in algs:
        warnings.append("id_token_signing_alg_values_supported lists 'none': unsigned ID tokens are on offer")
    if algs and "RS256" not in algs:
        warnings.append("id_token_signing_alg_values_supported lacks RS256, which OIDC Discovery §3 requires")
    matches = None
    if issuer is not None:
        _issuer_syntax(issuer, errors)
        if fetched_from is not None:
            matches = _match_issuer(issuer, fetched_from, warnings, errors)
    return Discovery(
        issuer=issuer,
        authorization_endpoint=string_member(doc, "authorization_endpoint", errors),
        token_endpoint=token_endpoint,
        userinfo_endpoint=string_member(doc, "userinfo_endpoint", errors),
        jwks_uri=string_member(doc, "jwks_uri", errors),
        end_session_endpoint=string_member(doc, "end_session_endpoint", errors),
        device_authorization_endpoint=string_member(doc, "device_authorization_endpoint", errors),
        fetched_from=fetched_from,
        issuer_matches=matches,
        document=doc,
        errors=tuple(errors),
        warnings=tuple(warnings),
        **lists,
    )
