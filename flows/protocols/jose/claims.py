"""JWT claim checks for ID tokens and access tokens (RFC 7519 §4.1, OIDC Core §3.1.3.7).

Only the checks the caller asks for are made: each field of
:class:`JwtExpectations` left as None skips its check, and the time claims
are checked only when an evaluation time ``now`` is given (the clock is
always injected, never read here).  Every failure is one plain sentence
that names the claim, what it holds and what was expected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sso_harness.protocols.jose.oidc_hash import half_hash

__all__ = ["DEFAULT_SKEW", "ClaimCheck", "JwtExpectations", "check_claims", "numeric_date"]

DEFAULT_SKEW = timedelta(seconds=300)
_TENANT_PLACEHOLDER = "{tenantid}"


@dataclass(frozen=True)
class JwtExpectations:
    """What the relying party expects of a token.

    ``issuer`` may contain Entra's ``{tenantid}`` placeholder (multi-tenant
    discovery documents publish it); it is filled from the token's ``tid``.
    ``audience`` defaults to ``client_id``.  ``access_token``/``code`` are
    the values delivered alongside an ID token, for ``at_hash``/``c_hash``.
    ``require_exp`` makes a missing ``exp`` a problem when ``now`` is given.
    """

    issuer: str | None = None
    client_id: str | None = None
    audience: str | tuple[str, ...] | None = None
    nonce: str | None = None
    access_token: str | None = None
    code: str | None = None
    require_exp: bool = True

    def accepted_audiences(self) -> tuple[str, ...]:
        if isinstance(self.audience, str):
            return (self.audience,)
        if self.audience:
            return tuple(self.audience)
        return (self.client_id,) if self.client_id else ()


@dataclass(frozen=True)
class ClaimCheck:
    """Problems found, notes worth showing, and the names of the checks made."""

    problems: tuple[str, ...]
    notes: tuple[str, ...]
    checked: tuple[str, ...]


def numeric_date(value: Any) -> datetime | None:
    """A NumericDate (RFC 7519 §2: seconds since the epoch) as aware UTC; None if not one."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return repr(value) if isinstance(value, str) else str(value)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.checked: list[str] = []


def _times(
    claims: Mapping[str, Any], expected: JwtExpectations, now: datetime, skew: timedelta, out: _Collector
) -> None:
    at = f"the evaluation time {_iso(now)} (skew {int(skew.total_seconds())} s)"
    for name in ("exp", "nbf", "iat"):
        out.checked.append(name)
        if name not in claims:
            if name == "exp" and expected.require_exp:
                out.problems.append("exp is missing: the token never expires")
            continue
        moment = numeric_date(claims[name])
        if moment is None:
            out.problems.append(f"{name} is {_show(claims[name])}, not a NumericDate (seconds since 1970)")
        elif name == "exp" and now >= moment + skew:
            out.problems.append(f"the token expired at {_iso(moment)} (exp), before {at}")
        elif name == "nbf" and moment > now + skew:
            out.problems.append(f"the token is not valid before {_iso(moment)} (nbf), after {at}")
        elif name == "iat" and moment > now + skew:
            out.problems.append(f"iat {_iso(moment)} is in the future of {at}")


def _issuer(claims: Mapping[str, Any], expected: str, out: _Collector) -> None:
    out.checked.append("iss")
    tid = claims.get("tid")
    if _TENANT_PLACEHOLDER in expected and isinstance(tid, str):
        expected = expected.replace(_TENANT_PLACEHOLDER, tid)
    iss = claims.get("iss")
    if iss is None:
        out.problems.append(f"iss is missing; the expected issuer is {expected!r}")
    elif iss != expected:
        out.problems.append(f"iss is {_show(iss)} but the expected issuer is {expected!r}")


def _audience(claims: Mapping[str, Any], expected: JwtExpectations, out: _Collector) -> None:
    accepted = expected.accepted_audiences()
    aud = claims.get("aud")
    if accepted:
        out.checked.append("aud")
        who = (
            f"the client is {expected.client_id!r}"
            if not expected.audience
            else ("the expected audience is " + " or ".join(repr(a) for a in accepted))
        )
        values = aud if isinstance(aud, list) else [aud]
        if aud is None:
            out.problems.append(f"aud is missing but {who}")
        elif not any(isinstance(v, str) and v in accepted for v in values):
            out.problems.append(f"aud is {_show(aud)} but {who}")
    if expected.client_id is None:
        return
    out.checked.append("azp")
    azp = claims.get("azp")
    several = isinstance(aud, list) and len(aud) > 1
    if azp is None and several:
        out.problems.append(
            f"aud has several values {_show(aud)} but azp is missing; OIDC Core §3.1.3.7 then requires azp "
            f"to name the client {expected.client_id!r}"
        )
    elif azp is not None and azp != expected.client_id:
        out.problems.append(f"azp is {_show(azp)} but the client is {expected.client_id!r}")


def _nonce(claims: Mapping[str, Any], nonce: str, out: _Collector) -> None:
    out.checked.append("nonce")
    value = claims.get("nonce")
    if value is None:
        out.problems.append(f"nonce is missing but the authorization request sent {nonce!r}")
    elif value != nonce:
        out.problems.append(f"nonce is {_show(value)} but the authorization request sent {nonce!r}")


def _bound_hash(
    claims: Mapping[str, Any], alg: str, name: str, value: str, what: str, section: str, out: _Collector
) -> None:
    claim = claims.get(name)
    if claim is None:
        out.notes.append(
            f"{name} is absent, so the {what} is not bound to this ID token ({section} makes it optional here)"
        )
        return
    out.checked.append(name)
    wanted = half_hash(value, alg)
    if wanted is None:
        out.problems.append(f"{name} cannot be checked: alg {alg!r} defines no hash")
    elif claim != wanted:
        out.problems.append(f"{name} is {_show(claim)} but the {what} hashes to {wanted!r} ({section})")


def check_claims(
    header: Mapping[str, Any],
    claims: Mapping[str, Any],
    expected: JwtExpectations | None,
    *,
    now: datetime | None = None,
    skew: timedelta = DEFAULT_SKEW,
) -> ClaimCheck:
    """Check ``claims`` against ``expected`` at ``now`` (aware; naive means UTC)."""
    out = _Collector()
    expected = expected or JwtExpectations()
    if now is not None:
        now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
        _times(claims, expected, now, skew, out)
    else:
        out.notes.append("exp, nbf and iat were not checked: no evaluation time (now=) was given")
    if expected.issuer is not None:
        _issuer(claims, expected.issuer, out)
    _audience(claims, expected, out)
    if expected.nonce is not None:
        _nonce(claims, expected.nonce, out)
    alg = str(header.get("alg"))
    if expected.access_token is not None:
        _bound_hash(claims, alg, "at_hash", expected.access_token, "access token", "OIDC Core §3.1.3.6", out)
    if expected.code is not None:
        _bound_hash(claims, alg, "c_hash", expected.code, "authorization code", "OIDC Core §3.3.2.11", out)
    return ClaimCheck(tuple(out.problems), tuple(out.notes), tuple(out.checked))
