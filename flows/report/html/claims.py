"""The claims table: what the SP (or client) was told about the user.

From the last SAML Response (NameID and attributes, already masked in PII
mode by the message views) and the last ID token (OIDC Core §2). ID-token
claims are read from the decoded token; in PII mode every claim that is
not a protocol field is masked with the run's HMAC token.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import Any

from sso_harness.report.html.messages import protocol_badge
from sso_harness.report.html.rows import HopRow
from sso_harness.report.redact import Redactor
from sso_harness.trace.decoded import carried_id_token
from sso_harness.trace.trace import Trace

__all__ = ["claim_rows", "render_claims", "TECHNICAL_CLAIMS"]

TECHNICAL_CLAIMS = frozenset({"iss", "aud", "exp", "iat", "nbf", "auth_time", "ver", "tid", "azp", "nonce", "amr", "acr",
                              "at_hash", "c_hash", "idp", "aio", "uti", "rh", "sid", "typ", "appid", "appidacr", "scp"})
_TIMES = {"exp", "iat", "nbf", "auth_time"}


def claim_rows(trace: Trace, rows: Sequence[HopRow], redactor: Redactor) -> list[tuple[str, list[str], str]]:
    """(claim, values, where from), SAML first then OIDC."""
    out: list[tuple[str, list[str], str]] = []
    for row in reversed(rows):
        view = next((m for m in row.messages if m.get("kind") in ("saml.response", "wsfed.signin_response")
                     and ((m.get("decoded") or {}).get("name_id") or (m.get("decoded") or {}).get("attributes"))), None)
        if view is None:
            continue
        d = view["decoded"]
        where = f"{'SAML Response' if view['kind'] == 'saml.response' else 'WS-Fed token'} at #{row.index}"
        if d.get("name_id"):
            fmt = (d["name_id"].get("format") or "").rsplit(":", 1)[-1]
            out.append((f"NameID ({fmt or 'no format'})", [str(d["name_id"].get("value"))], where))
        for name, values in (d.get("attributes") or {}).items():
            out.append((name, [str(v) for v in values], where))
        break
    for h in reversed(trace.hops):
        jwt = next((token for m in h.messages if (token := carried_id_token(m.message)) is not None), None)
        if jwt is None:
            continue
        for name, value in jwt.claims.items():
            out.append((name, [_claim(name, value, redactor)], f"ID token at #{h.hop.index}"))
        break
    return out


def _claim(name: str, value: Any, redactor: Redactor) -> str:
    if name in _TIMES and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value} ({dt.datetime.fromtimestamp(value, dt.timezone.utc):%Y-%m-%d %H:%M:%SZ})"
    text = value if isinstance(value, str) else str(value)
    if redactor.enabled and redactor.pii and name not in TECHNICAL_CLAIMS:
        return redactor.pii_token(text)
    return text


def render_claims(claims: list[tuple[str, list[str], str]]) -> str:
    if not claims:
        return "<p class='sub'>No claims: the trace carries no SAML assertion and no ID token.</p>"
    body = "".join(
        f"<tr><td class='mono'>{escape(name)}</td><td class='mono'>{'<br>'.join(escape(v) for v in values)}</td>"
        f"<td>{protocol_badge('OIDC' if where.startswith('ID token') else 'SAML' if 'SAML' in where else 'WS-Fed')} "
        f"<a href='#hop-{where.rsplit('#', 1)[-1]}'>{escape(where)}</a></td></tr>"
        for name, values, where in claims
    )
    return f"<table class='claims card'><tr><th>claim</th><th>value</th><th>from</th></tr>{body}</table>"
