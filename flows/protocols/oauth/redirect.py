"""Redirection URIs (RFC 6749 §3.1.2): syntax rules and comparison.

The authorization server compares redirect URIs as strings (RFC 6749
§3.1.2.3; Entra byte for byte, aadsts.md AADSTS50011), so comparison here
is exact; only the callback's query and fragment are ignored, because they
carry the response parameters.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["callback_matches", "redirect_uri_problems"]


def redirect_uri_problems(uri: str) -> list[str]:
    """Spec violations of a ``redirect_uri`` value (empty when fine)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return [f"redirect_uri {uri[:80]!r} is not a parseable URI"]
    problems = []
    if not parts.scheme:
        problems.append(f"redirect_uri {uri[:80]!r} is not an absolute URI (RFC 6749 §3.1.2)")
    if "#" in uri:
        problems.append("redirect_uri must not contain a fragment (RFC 6749 §3.1.2)")
    return problems


def callback_matches(callback_base: str | None, redirect_uri: str | None) -> bool:
    """True when a callback URL (without query/fragment) is the ``redirect_uri``.

    Exact string comparison after dropping ``redirect_uri``'s own query (a
    registered URI may carry one; the response adds its parameters to it).
    """
    if not callback_base or not redirect_uri:
        return False
    return callback_base == redirect_uri.split("?", 1)[0].split("#", 1)[0]
