"""The ``error`` codes of OAuth 2.0 and OpenID Connect, as data.

Sources of the codes: RFC 6749 §4.1.2.1 (authorization endpoint) and §5.2
(token endpoint), OpenID Connect Core 1.0 §3.1.2.6 (authentication errors),
RFC 8628 §3.5 (device authorization grant).  ``invalid_resource`` is an
Entra ID extension (resource not found), listed because Entra sends it.
``meaning`` and ``fix`` are written for a tester reading a failed run.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

__all__ = ["OAUTH_ERRORS", "ErrorEndpoint", "OAuthErrorEntry", "lookup_oauth_error"]

ErrorEndpoint = Literal["authorization", "token", "both", "device"]


@dataclass(frozen=True)
class OAuthErrorEntry:
    """One registered ``error`` value: where it is returned, which spec
    defines it, what it means and what usually fixes it."""

    code: str
    endpoint: ErrorEndpoint
    spec: str
    meaning: str
    fix: str


def _e(code: str, endpoint: ErrorEndpoint, spec: str, meaning: str, fix: str) -> OAuthErrorEntry:
    return OAuthErrorEntry(code, endpoint, spec, meaning, fix)


_ENTRIES: tuple[OAuthErrorEntry, ...] = (
    _e(
        "invalid_request",
        "both",
        "RFC 6749 §4.1.2.1, §5.2",
        "The request is malformed: a required parameter is missing, a value is not allowed, or a parameter "
        "appears twice.",
        "Read error_description for the parameter at fault and compare the request with the spec.",
    ),
    _e(
        "unauthorized_client",
        "both",
        "RFC 6749 §4.1.2.1, §5.2",
        "This client is not allowed to use the requested response type or grant type (or, at Entra, the "
        "client_id is unknown in the tenant).",
        "Enable the flow for the client registration, or use the grant it is registered for.",
    ),
    _e(
        "access_denied",
        "authorization",
        "RFC 6749 §4.1.2.1",
        "The user or the authorization server refused the request (consent declined, user not assigned, policy).",
        "Check the user's consent and assignment; the description usually names the reason.",
    ),
    _e(
        "unsupported_response_type",
        "authorization",
        "RFC 6749 §4.1.2.1",
        "The server does not issue the requested response_type with this endpoint or client.",
        "Use a response_type listed in the discovery document and enabled for the client.",
    ),
    _e(
        "invalid_scope",
        "both",
        "RFC 6749 §4.1.2.1, §5.2",
        "A requested scope is unknown, malformed, or beyond what the client or grant may ask for.",
        "Request only scopes the server defines and the client registration allows.",
    ),
    _e(
        "server_error",
        "authorization",
        "RFC 6749 §4.1.2.1",
        "The authorization server hit an internal error (sent as a redirect because HTTP 500 cannot reach the client).",
        "Retry later; if it persists, report it to the provider with the trace or correlation ID.",
    ),
    _e(
        "temporarily_unavailable",
        "authorization",
        "RFC 6749 §4.1.2.1",
        "The authorization server is overloaded or under maintenance.",
        "Retry after a delay.",
    ),
    _e(
        "invalid_client",
        "token",
        "RFC 6749 §5.2",
        "Client authentication failed: unknown client, wrong or expired secret, bad assertion, or an "
        "authentication method the client is not registered for.",
        "Check client_id and the credential (the secret's value, not its ID) and the auth method used.",
    ),
    _e(
        "invalid_grant",
        "token",
        "RFC 6749 §5.2",
        "The code, refresh token or other grant is invalid, expired, revoked, already used, issued to another "
        "client, or its redirect_uri / PKCE verifier does not match.",
        "Get a fresh grant, redeem codes once, and send the same redirect_uri and the right code_verifier.",
    ),
    _e(
        "unsupported_grant_type",
        "token",
        "RFC 6749 §5.2",
        "The server does not support the grant_type sent.",
        "Use a grant type from the discovery document's grant_types_supported.",
    ),
    _e(
        "interaction_required",
        "authorization",
        "OIDC Core §3.1.2.6",
        "The request was silent (prompt=none) but the server needs the user to do something: MFA, a policy "
        "step, or choosing an account.",
        "Repeat the request interactively, without prompt=none.",
    ),
    _e(
        "login_required",
        "authorization",
        "OIDC Core §3.1.2.6",
        "The request was silent (prompt=none) and the user is not signed in.",
        "Repeat the request interactively so the user can sign in.",
    ),
    _e(
        "account_selection_required",
        "authorization",
        "OIDC Core §3.1.2.6",
        "The request was silent but several sessions exist and the user must choose one.",
        "Send login_hint for the intended account, or repeat the request interactively.",
    ),
    _e(
        "consent_required",
        "authorization",
        "OIDC Core §3.1.2.6",
        "The request was silent but the user (or an admin) has not consented to the requested scopes.",
        "Obtain consent interactively (prompt=consent) or grant admin consent.",
    ),
    _e(
        "invalid_request_uri",
        "authorization",
        "OIDC Core §3.1.2.6",
        "The request_uri cannot be fetched or what it returns is invalid.",
        "Make the request_uri reachable by the server and serve a valid request object there.",
    ),
    _e(
        "invalid_request_object",
        "authorization",
        "OIDC Core §3.1.2.6",
        "The request parameter carries a request object (JWT) that is invalid.",
        "Check the request object's signature, audience and claims.",
    ),
    _e(
        "request_not_supported",
        "authorization",
        "OIDC Core §3.1.2.6",
        "The server does not accept request objects passed by value (the request parameter).",
        "Send plain query parameters instead.",
    ),
    _e(
        "request_uri_not_supported",
        "authorization",
        "OIDC Core §3.1.2.6",
        "The server does not accept request objects passed by reference (request_uri).",
        "Send plain query parameters, or a request object by value if that is supported.",
    ),
    _e(
        "registration_not_supported",
        "authorization",
        "OIDC Core §3.1.2.6",
        "The server does not accept the registration parameter.",
        "Register the client beforehand and drop the parameter.",
    ),
    _e(
        "authorization_pending",
        "device",
        "RFC 8628 §3.5",
        "The user has not yet completed the device-code sign-in; polling should continue.",
        "Keep polling at the given interval until another answer arrives.",
    ),
    _e(
        "slow_down",
        "device",
        "RFC 8628 §3.5",
        "The device is polling the token endpoint too often.",
        "Add 5 seconds to the polling interval, as RFC 8628 requires.",
    ),
    _e(
        "expired_token",
        "device",
        "RFC 8628 §3.5",
        "The device_code expired before the user finished signing in.",
        "Start a new device authorization request.",
    ),
    _e(
        "invalid_resource",
        "both",
        "Entra ID extension",
        "The resource or scope prefix names an application that does not exist in the tenant.",
        "Fix the resource identifier or provision the API's service principal in the tenant.",
    ),
)

_BY_CODE = MappingProxyType({entry.code: entry for entry in _ENTRIES})
OAUTH_ERRORS: tuple[OAuthErrorEntry, ...] = _ENTRIES


def lookup_oauth_error(code: str | None) -> OAuthErrorEntry | None:
    """The entry for an ``error`` value (exact, case-sensitive as on the wire), or None."""
    if not isinstance(code, str):
        return None
    return _BY_CODE.get(code.strip())
