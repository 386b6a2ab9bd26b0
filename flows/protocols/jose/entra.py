"""Telling Entra ID v1.0 tokens from v2.0 tokens by their claims.

Entra issues two token formats (entra.md §2 "Token claims"):

* v1.0 — ``ver: "1.0"``, ``iss`` = ``https://sts.windows.net/{tid}/``; access
  tokens name the client in ``appid`` and the user in ``upn``/``unique_name``.
* v2.0 — ``ver: "2.0"``, ``iss`` = ``https://login.microsoftonline.com/{tid}/v2.0``;
  access tokens name the client in ``azp``, the user in ``preferred_username``.

An access token's format is chosen by the *resource* application's manifest
(``requestedAccessTokenVersion``), not by the endpoint that was called, so a
v2 endpoint can legitimately hand out a v1.0 access token.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

__all__ = ["EntraTokenVersion", "entra_token_version"]

_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_V1_ISSUER = re.compile(rf"https://sts\.windows\.net/(?P<tid>{_GUID})/")
_V2_ISSUER = re.compile(rf"https://login\.microsoftonline\.com/(?P<tid>{_GUID})/v2\.0")


class EntraTokenVersion(NamedTuple):
    """``version`` is ``"1.0"``, ``"2.0"`` or None (not an Entra token); ``note`` explains."""

    version: Literal["1.0", "2.0"] | None
    note: str


def _token_role(claims: Mapping[str, Any]) -> str:
    if any(name in claims for name in ("scp", "appid", "appidacr", "azpacr")):
        return "access token"
    if any(name in claims for name in ("nonce", "at_hash", "c_hash")):
        return "ID token"
    return "token"


def entra_token_version(claims: Mapping[str, Any]) -> EntraTokenVersion:
    """Recognise an Entra token's format from its claims (pure; no signature check)."""
    iss = claims.get("iss")
    iss_text = iss if isinstance(iss, str) else ""
    v1, v2 = _V1_ISSUER.fullmatch(iss_text), _V2_ISSUER.fullmatch(iss_text)
    if v1 is None and v2 is None:
        return EntraTokenVersion(
            None,
            f"not an Entra ID token: iss {iss!r} has neither the sts.windows.net nor the "
            "login.microsoftonline.com/{tid}/v2.0 form",
        )
    from_iss: Literal["1.0", "2.0"] = "1.0" if v1 is not None else "2.0"
    ver = claims.get("ver")
    version: Literal["1.0", "2.0"] = ver if ver in ("1.0", "2.0") else from_iss
    role = _token_role(claims)
    notes = [f"Entra v{version} {role}"]
    if ver not in ("1.0", "2.0"):
        notes.append(f"no usable ver claim ({ver!r}); the version was inferred from the iss form")
    elif ver != from_iss:
        notes.append(f"ver says {ver} but iss has the v{from_iss} form")
    match = v1 or v2
    tenant = match.group("tid") if match is not None else ""
    if isinstance(claims.get("tid"), str) and claims["tid"].lower() != tenant.lower():
        notes.append(f"tid {claims['tid']!r} differs from the tenant in iss ({tenant})")
    if version == "1.0":
        notes.append("the client is named by appid and the user by upn/unique_name")
        if role == "access token":
            notes.append(
                "an access token's version follows the resource app's requestedAccessTokenVersion, "
                "not the endpoint that issued it"
            )
    else:
        notes.append("the client is named by azp and the user by preferred_username")
    return EntraTokenVersion(version, "; ".join(notes))
