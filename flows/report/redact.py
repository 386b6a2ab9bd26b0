"""Redaction of secrets in everything the harness writes.

One module, used by every writer, so that a secret cannot reach a report by
a path that forgot to redact. Values are replaced by a fixed marker; the
marker never depends on the value, so nothing about the secret leaks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["REDACTED", "SECRET_PARAMETERS", "SECRET_HEADERS", "is_secret_parameter", "redact_url", "redact_form", "redact_headers"]

REDACTED = "[redacted]"

# Form fields and query parameters whose values are secrets (lower case).
SECRET_PARAMETERS = frozenset(
    {
        "password", "passwd", "pwd", "pass", "otc", "totp",
        "client_secret", "client_assertion", "code", "code_verifier",
        "access_token", "refresh_token", "id_token", "assertion", "samlart",
    }
)
SECRET_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization"})


def is_secret_parameter(name: str) -> bool:
    return name.lower() in SECRET_PARAMETERS


def redact_form(form: Mapping[str, str]) -> dict[str, str]:
    return {k: (REDACTED if is_secret_parameter(k) else v) for k, v in form.items()}


def redact_url(url: str) -> str:
    """The URL with secret query and fragment parameters masked."""
    parts = urlsplit(url)
    query = _redact_pairs(parts.query)
    fragment = _redact_pairs(parts.fragment) if "=" in parts.fragment else parts.fragment
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, fragment))


def redact_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in headers]


def _redact_pairs(qs: str) -> str:
    if not qs:
        return qs
    pairs = parse_qsl(qs, keep_blank_values=True)
    if not any(is_secret_parameter(k) for k, _ in pairs):
        return qs  # keep the exact octets when nothing is secret
    return urlencode([(k, REDACTED if is_secret_parameter(k) else v) for k, v in pairs])
