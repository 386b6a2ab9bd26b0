"""Rules for errors the IdP states itself: AADSTS codes, SAML statuses, OAuth errors.

Entra prefixes its error texts with ``AADSTSnnnnn:`` wherever they travel
(aadsts.md §1): the token endpoint's JSON, the authorize error redirect
(RFC 6749 §4.1.2.1), a SAML ``StatusMessage`` and its HTML error page. The
catalogue says what each code means and what to change. A SAML Response
whose top-level StatusCode is not Success (SAML core §3.2.2.2) is explained
from the status catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator

from sso_harness.diagnose.evidence import Evidence
from sso_harness.diagnose.finding import Finding
from sso_harness.protocols.catalogues import find_codes, lookup_aadsts, lookup_oauth_error
from sso_harness.protocols.oauth.error import OAuthErrorFields
from sso_harness.protocols.oauth.token_response import TokenResponse

__all__ = ["aadsts_errors", "saml_status", "oauth_errors", "undecodable"]

_WIRE_LINE_LIMIT = 280


def _quote(text: str, code: int) -> str:
    """The line of ``text`` that names the code, trimmed: what the IdP said, word for word."""
    for line in text.replace("\r", "\n").split("\n"):
        if f"AADSTS{code}" in line.upper():
            line = line.strip()
            return line if len(line) <= _WIRE_LINE_LIMIT else line[: _WIRE_LINE_LIMIT - 1] + "…"
    return ""


def _aadsts_finding(code: int, hop: int | None, label: str | None, said: str) -> Finding:
    entry = lookup_aadsts(code)
    quoted = f' The IdP said: "{said}"' if said else ""
    if entry is None:
        return Finding("aadsts", "error", hop, label, f"Entra refused the sign-in with AADSTS{code}, a code not in the catalogue.{quoted}",
                       f"Look the code up at https://login.microsoftonline.com/error?code={code} and in the tenant's sign-in logs.")
    return Finding("aadsts", "error", hop, label, f"{entry.label}: {entry.meaning}{quoted}", entry.fix)


def aadsts_errors(ev: Evidence) -> Iterator[Finding]:
    """Every distinct AADSTS code, at the first hop that carries it (messages first, then pages)."""
    seen: set[int] = set()
    for h, message in ev.oauth():
        if isinstance(message, OAuthErrorFields) and message.is_error:
            for code in message.error_codes:
                if code not in seen:
                    seen.add(code)
                    yield _aadsts_finding(code, h.hop.index, h.label, _quote(message.error_description or "", code))
    for h, _b, response in ev.saml_responses():
        status = response.status
        if status is None:
            continue
        for code in status.aadsts_codes:
            if code not in seen:
                seen.add(code)
                yield _aadsts_finding(code, h.hop.index, h.label, _quote(status.message or "", code))
    for page in ev.pages:
        shown_at = ev.page_hop(page)
        for code in find_codes(page.text):
            if code not in seen:
                seen.add(code)
                yield _aadsts_finding(
                    code, None if shown_at is None else shown_at.hop.index, None if shown_at is None else shown_at.label,
                    _quote(page.text, code),
                )


def saml_status(ev: Evidence) -> Iterator[Finding]:
    for h, b, response in ev.saml_responses():
        status = response.status
        if status is None or status.ok or status.code is None:
            continue
        names = [c.rsplit(":", 1)[-1] for c in (status.code, *status.sub_codes) if c]
        entries = status.entries
        meaning = " ".join(f"{e.name}: {e.meaning}" for e in entries) or "a status code outside SAML core §3.2.2.2."
        said = f' StatusMessage: "{status.message}".' if status.message else ""
        fix = " ".join(e.fix for e in entries if e.fix) or "Read the IdP's sign-in log for this request."
        yield Finding(
            "saml-status", "error", h.hop.index, h.label,
            f"The IdP answered with SAML status {' / '.join(names)} instead of Success, so no assertion was issued. {meaning}{said}",
            fix,
        )


def oauth_errors(ev: Evidence) -> Iterator[Finding]:
    """OAuth ``error`` values that carry no AADSTS code (those are explained by :func:`aadsts_errors`)."""
    for h, message in ev.oauth():
        if not isinstance(message, OAuthErrorFields) or not message.is_error or message.error_codes:
            continue
        entry = message.catalogue or lookup_oauth_error(message.error)
        detail = (message.error_description or "").replace("\r", " ").split("\n", 1)[0].strip()
        said = f' ("{detail[:_WIRE_LINE_LIMIT]}")' if detail else ""
        where = "token endpoint" if isinstance(message, TokenResponse) else "authorization endpoint"
        meaning = f" {entry.meaning}" if entry else ""
        yield Finding(
            "oauth-error", "error", h.hop.index, h.label,
            f"The {where} answered error={message.error}{said}.{meaning}",
            entry.fix if entry else "Read the error_description and the provider's logs for this request.",
        )


def undecodable(ev: Evidence) -> Iterator[Finding]:
    for h, error in ev.trace.decode_errors:
        yield Finding(
            "undecodable", "warning", h.hop.index, h.label,
            f"A protocol message on this hop could not be decoded: {error}.",
            "Check that the sender encodes the message as its binding requires (base64, deflate for HTTP-Redirect, "
            "well-formed XML or JSON); a proxy or WAF that rewrites bodies can also break it.",
        )
