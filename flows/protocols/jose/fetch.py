"""Fetching a JWKS over HTTP — the one piece of I/O in :mod:`sso_harness.protocols.jose`.

Kept apart from the pure decoders so they stay pure.  The opener is
injectable (tests pass a fake, the capture pipeline may pass a recording
one); the default is :func:`urllib.request.urlopen`.  Only https URLs are
fetched, plus http on loopback for the mock identity providers.  The body
is read with a size cap and decoded by :func:`decode_jwks`.
"""

from __future__ import annotations

import urllib.request
from typing import Any, Protocol

from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.jose.jsonobj import MAX_JSON_BYTES
from sso_harness.protocols.jose.jwks import Jwks, decode_jwks, select_jwks_uri

__all__ = ["JwksFetchError", "Opener", "fetch_jwks"]


class Opener(Protocol):
    """``urlopen``-compatible: returns a context manager whose ``read(n)`` gives bytes."""

    def __call__(self, url: Any, /, *, timeout: float) -> Any: ...


class JwksFetchError(OSError):
    """The JWKS could not be retrieved (network, HTTP status, refused URL)."""


def fetch_jwks(
    url: str,
    opener: Opener = urllib.request.urlopen,
    *,
    timeout: float = 10.0,
    max_bytes: int = MAX_JSON_BYTES,
) -> Jwks:
    """GET ``url`` and decode it as a JWKS.

    Raises :class:`JwksFetchError` when the URL is refused (not https, nor
    loopback http) or the request fails, and :class:`DecodeError` when the
    body is larger than ``max_bytes`` or not a JWKS.
    """
    try:
        url = select_jwks_uri({"jwks_uri": url})
    except DecodeError as exc:
        raise JwksFetchError(exc.reason) from None
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with opener(request, timeout=timeout) as response:
            body = response.read(max_bytes + 1)
    except OSError as exc:  # URLError and HTTPError are OSErrors
        raise JwksFetchError(f"fetching {url} failed: {exc}") from exc
    if not isinstance(body, (bytes, bytearray)):
        raise DecodeError(f"the opener returned {type(body).__name__}, not bytes", where="jwks")
    if len(body) > max_bytes:
        raise DecodeError(f"the JWKS at {url} is larger than {max_bytes} bytes", where="jwks")
    return decode_jwks(bytes(body))
