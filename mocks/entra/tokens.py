"""JWTs in Entra's shape: v2 ID tokens and v1 access tokens for Microsoft APIs.

Claims per entra.md §2: the v1 ID token has ``iss`` =
``https://sts.windows.net/<tid>/``, ``upn``, ``unique_name`` and ``amr``,
``ver: "1.0"``; the v2 ID token has ``aud`` = client ID, ``iss`` =
``<origin>/<tid>/v2.0``, ``tid``, ``oid``, a pairwise ``sub``,
``preferred_username`` (profile scope), ``nonce``, ``ver: "2.0"``; after
"Stay signed in? Yes" a ``signin_state: ["kmsi"]``. Access tokens for
Microsoft Graph and Exchange Online are v1 (the resource decides):
``aud`` = the resource URI, ``iss`` = ``https://sts.windows.net/<tid>/``,
``scp``, ``upn``, ``appid``, ``amr``. The header's ``kid`` (and ``x5t`` for
v1) is the certificate's SHA-1 thumbprint in base64url, as in the JWKS.

Faults apply here as they do to SAML: wrong key, ``alg: none`` (sign
nothing), shifted or expired times, another audience, dropped or altered
claims.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives import hashes

from sso_harness.protocols.jose import b64url_encode, sign_jwt
from sso_harness.mocks.entra.claims import sts_issuer
from sso_harness.mocks.entra.context import EntraContext
from sso_harness.mocks.entra.flow import SignedIn
from sso_harness.mocks.entra.tenant import EntraUser, Tenant
from sso_harness.mocks.entra.scopes import GRAPH, ScopeRequest
from sso_harness.mocks.base.keys import KeyPair
from sso_harness.mocks.base.faults import ResponseFaults

__all__ = ["TokenIssuer", "thumbprint", "LIFETIME"]

LIFETIME = dt.timedelta(seconds=3599)


def thumbprint(pair: KeyPair) -> str:
    """base64url SHA-1 of the DER certificate: Entra's ``kid`` and ``x5t``."""
    return b64url_encode(pair.cert.fingerprint(hashes.SHA1()))


def _pairwise_sub(object_id: str, client_id: str) -> str:
    digest = hashlib.sha256(f"{object_id}|{client_id}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class TokenIssuer:
    def __init__(self, ctx: EntraContext) -> None:
        self.ctx = ctx

    def _opaque(self) -> str:
        # From the injected GUID source, so tokens are reproducible in tests.
        return self.ctx.new_guid().replace("-", "")[:22]

    def _times(self, faults: ResponseFaults) -> dict[str, int]:
        now = self.ctx.clock() + dt.timedelta(seconds=faults.clock_skew_seconds)
        if faults.expired:
            now -= dt.timedelta(hours=2)
        if faults.not_yet_valid:
            now += dt.timedelta(hours=2)
        start = int(now.timestamp())
        return {"iat": start, "nbf": start, "exp": start + int(LIFETIME.total_seconds())}

    def _finish(self, claims: dict[str, Any], tenant_id: str, faults: ResponseFaults, *, v1: bool) -> str:
        if faults.audience:
            claims["aud"] = faults.audience
        if faults.name_id:
            claims["sub"] = faults.name_id
        if faults.drop_attribute:
            claims.pop(faults.drop_attribute, None)
        if faults.alter_attribute:
            name, values = faults.alter_attribute
            claims[name] = values[0] if len(values) == 1 else list(values)
        # A wrong key still names the tenant's kid: the token claims a key it was not signed with.
        kid = thumbprint(self.ctx.tenant_key(tenant_id))
        pair = self.ctx.wrong_key if faults.wrong_key else self.ctx.tenant_key(tenant_id)
        if faults.sign_nothing:
            header = b64url_encode(json.dumps({"typ": "JWT", "alg": "none"}, separators=(",", ":")).encode())
            body = b64url_encode(json.dumps(claims, separators=(",", ":")).encode())
            return f"{header}.{body}."
        return sign_jwt(claims, pair.key, "RS256", kid, headers={"x5t": kid} if v1 else None)

    def id_token(
        self, tenant: Tenant, user: EntraUser, signed_in: SignedIn, client_id: str, scope: ScopeRequest, nonce: str | None, faults: ResponseFaults,
        *, groups: Mapping[str, Any] | None = None,
    ) -> str:
        """A v2 ID token; ``groups`` are the group claims when the app asks for them (:func:`~.claims.jwt_group_claims`)."""
        claims: dict[str, Any] = {
            "aud": client_id,
            "iss": self.ctx.issuer_v2(tenant.tenant_id),
            **self._times(faults),
        }
        if signed_in.identity_provider != sts_issuer(tenant.tenant_id):
            claims["idp"] = signed_in.identity_provider
        claims["name"] = user.display_name
        if nonce is not None:
            claims["nonce"] = nonce
        claims["oid"] = user.object_id
        if "profile" in scope.oidc:
            claims["preferred_username"] = user.upn
        if "email" in scope.oidc and user.mail:
            claims["email"] = user.mail
        claims["rh"] = "0.mock." + self._opaque()
        claims["sid"] = self.ctx.new_guid()
        if signed_in.kmsi:
            claims["signin_state"] = ["kmsi"]
        claims.update(groups or {})
        claims.update({"sub": _pairwise_sub(user.object_id, client_id), "tid": tenant.tenant_id, "uti": self._opaque(), "ver": "2.0"})
        return self._finish(claims, tenant.tenant_id, faults, v1=False)

    def id_token_v1(
        self, tenant: Tenant, user: EntraUser, signed_in: SignedIn, client_id: str, nonce: str | None, faults: ResponseFaults,
        *, groups: Mapping[str, Any] | None = None,
    ) -> str:
        """A v1 ID token (entra.md §2): ``iss`` = ``https://sts.windows.net/<tid>/``, ``upn`` and
        ``unique_name`` instead of ``preferred_username``, ``amr``, ``ver: "1.0"``, ``x5t`` in the header."""
        claims: dict[str, Any] = {"aud": client_id, "iss": sts_issuer(tenant.tenant_id), **self._times(faults)}
        claims["amr"] = list(signed_in.method.amr)
        if signed_in.identity_provider != sts_issuer(tenant.tenant_id):
            claims["idp"] = signed_in.identity_provider
        if user.is_guest and user.mail:
            claims["email"] = user.mail  # v1 names guests by their invited address
        if user.surname:
            claims["family_name"] = user.surname
        if user.given_name:
            claims["given_name"] = user.given_name
        claims["name"] = user.display_name
        if nonce is not None:
            claims["nonce"] = nonce
        claims["oid"] = user.object_id
        claims["rh"] = "0.mock." + self._opaque()
        if signed_in.kmsi:
            claims["signin_state"] = ["kmsi"]
        claims.update(groups or {})
        claims.update(
            {
                "sub": _pairwise_sub(user.object_id, client_id),
                "tid": tenant.tenant_id,
                "unique_name": user.upn,
                "upn": user.upn,
                "uti": self._opaque(),
                "ver": "1.0",
            }
        )
        return self._finish(claims, tenant.tenant_id, faults, v1=True)

    def access_token(
        self, tenant: Tenant, user: EntraUser | None, signed_in: SignedIn | None, client_id: str, app_name: str, scope: ScopeRequest, faults: ResponseFaults
    ) -> str:
        """A v1 access token for ``scope``'s resource (an app-only token when ``user`` is None)."""
        # Without a resource scope ("openid profile") Entra issues a Microsoft Graph token.
        resource = scope.resource or GRAPH
        names = [n for n in scope.names if n != ".default"] or sorted(scope.oidc - {"offline_access"})
        claims: dict[str, Any] = {
            "aud": resource.uri,
            "iss": sts_issuer(tenant.tenant_id),
            **self._times(faults),
        }
        if user is not None and signed_in is not None:
            claims.update(
                {
                    "acr": "1",
                    "amr": list(signed_in.method.amr),
                    "app_displayname": app_name,
                    "appid": client_id,
                    "appidacr": "1",
                    "family_name": user.surname,
                    "given_name": user.given_name,
                    "idtyp": "user",
                    "name": user.display_name,
                    "oid": user.object_id,
                    "scp": " ".join(names),
                    "sub": _pairwise_sub(user.object_id, resource.app_id),
                    "tid": tenant.tenant_id,
                    "unique_name": user.upn,
                    "upn": user.upn,
                }
            )
        else:
            claims.update({"app_displayname": app_name, "appid": client_id, "appidacr": "1", "idtyp": "app", "roles": [], "tid": tenant.tenant_id})
        claims.update({"uti": self._opaque(), "ver": "1.0"})
        return self._finish(claims, tenant.tenant_id, faults, v1=True)
