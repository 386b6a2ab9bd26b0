"""UserInfo responses (OIDC Core §5.3.2).

Usually a JSON object of claims; a provider may instead return a signed JWT
(``application/jwt``).  ``sub`` is always returned, and the relying party
must check it equals the ID token's ``sub`` before using anything else —
otherwise the answer may be about another user (token substitution).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.jose.compact import Jwt, decode_jwt, looks_like_jwt
from sso_harness.protocols.jose.jsonobj import parse_json_object
from sso_harness.protocols.oauth.params import to_text

__all__ = ["UserInfo", "decode_userinfo"]


@dataclass(frozen=True, kw_only=True)
class UserInfo:
    """A UserInfo response; kind ``oidc.userinfo``.  ``jwt`` is set when it came signed (unverified here)."""

    kind: ClassVar[str] = "oidc.userinfo"

    claims: dict[str, Any]
    sub: str | None
    jwt: Jwt | None = None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def decode_userinfo(body: str | bytes | Mapping[str, Any], *, expected_sub: str | None = None) -> UserInfo:
    """Decode a UserInfo body (JSON claims or a compact JWT).

    ``expected_sub`` is the ID token's ``sub``; a different ``sub`` is an
    error.  Raises :class:`DecodeError` when the body is neither.
    """
    jwt = None
    if isinstance(body, Mapping):
        claims = dict(body)
    else:
        text = to_text(body, where="userinfo").strip()
        if looks_like_jwt(text):
            jwt = decode_jwt(text)
            claims = jwt.claims
        else:
            claims = parse_json_object(text, where="userinfo")
    if "error" in claims and "sub" not in claims:
        raise DecodeError("this is an error body, not UserInfo claims (RFC 6750 §3.1)", where="userinfo")
    errors: list[str] = []
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        errors.append("sub is missing or not a string; OIDC Core §5.3.2 says it is always returned")
        sub = None
    elif expected_sub is not None and sub != expected_sub:
        errors.append(
            f"sub is {sub!r} but the ID token's sub is {expected_sub!r}; the response must not be used "
            "(OIDC Core §5.3.2)"
        )
    return UserInfo(claims=claims, sub=sub, jwt=jwt, errors=tuple(errors))
