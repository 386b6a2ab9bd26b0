"""Authorization codes and refresh tokens the Entra-like IdP has handed out.

A code is single-use (a second redemption is AADSTS54005) and short-lived
(AADSTS70008 after ten minutes, RFC 6749 §4.1.2 recommends at most ten); it
remembers what the token request must repeat: client, redirect URI, PKCE
challenge (RFC 7636 §4.4) and the platform of the redirect URI (SPA codes
need PKCE, AADSTS9002325).
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from sso_harness.mocks.entra.flow import SignedIn
from sso_harness.mocks.entra.scopes import ScopeRequest

__all__ = ["AuthorizationCode", "RefreshGrant", "GrantStore", "CODE_LIFETIME"]

CODE_LIFETIME = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class AuthorizationCode:
    code: str
    client_id: str
    tenant_id: str
    redirect_uri: str
    platform: str
    scope: ScopeRequest
    signed_in: SignedIn
    issued_at: dt.datetime
    nonce: str | None = None
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    redeemed: bool = False


@dataclass(frozen=True)
class RefreshGrant:
    token: str
    client_id: str
    tenant_id: str
    scope: ScopeRequest
    signed_in: SignedIn


class GrantStore:
    def __init__(self) -> None:
        self._codes: dict[str, AuthorizationCode] = {}
        self._refresh: dict[str, RefreshGrant] = {}
        self._lock = threading.Lock()

    def issue_code(self, build: Callable[[str], AuthorizationCode]) -> AuthorizationCode:
        """Store and return ``build(code value)``: every field but the fresh code value is the caller's."""
        # Entra's codes are long opaque strings; the prefix only makes them recognisable in traces.
        code = build("1.mock." + secrets.token_urlsafe(48))
        with self._lock:
            self._codes[code.code] = code
        return code

    def find_code(self, value: str) -> AuthorizationCode | None:
        with self._lock:
            return self._codes.get(value)

    def redeem(self, code: AuthorizationCode) -> bool:
        """Mark ``code`` used; False when someone redeemed it first."""
        with self._lock:
            current = self._codes.get(code.code)
            if current is None or current.redeemed:
                return False
            self._codes[code.code] = replace(current, redeemed=True)
            return True

    def issue_refresh(self, client_id: str, tenant_id: str, scope: ScopeRequest, signed_in: SignedIn) -> RefreshGrant:
        grant = RefreshGrant("1.mock-rt." + secrets.token_urlsafe(64), client_id, tenant_id, scope, signed_in)
        with self._lock:
            self._refresh[grant.token] = grant
        return grant

    def find_refresh(self, token: str) -> RefreshGrant | None:
        with self._lock:
            return self._refresh.get(token)

    def revoke_refresh(self, token: str) -> None:
        with self._lock:
            self._refresh.pop(token, None)

    def clear(self) -> None:
        with self._lock:
            self._codes.clear()
            self._refresh.clear()
