"""URL comparison as SPs make it: scheme and host case-insensitive, default ports implied."""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["same_url", "without_query"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _key(url: str) -> tuple[str, str, int | None, str, str]:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port, parts.path or "/", parts.query


def same_url(a: str | None, b: str | None) -> bool:
    """True when ``a`` and ``b`` name the same endpoint (path and query compared exactly)."""
    if a is None or b is None:
        return False
    return _key(a) == _key(b)


def without_query(url: str) -> str:
    return url.split("#", 1)[0].split("?", 1)[0]
