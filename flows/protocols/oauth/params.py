"""Reading OAuth parameters from URLs, fragments, form bodies and headers.

RFC 6749 §3.1 and §3.2 say request and response parameters must not be
sent more than once; repeated names are kept (first value wins) and
reported so the message can flag them.  Input is lenient about shape (a
whole URL, ``?query``, ``#fragment``, a bare urlencoded body, or a mapping)
and bounded in size, and every failure is a :class:`DecodeError`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from sso_harness.protocols.errors import DECODE_TOO_LARGE, DecodeError

__all__ = [
    "MAX_FIELDS",
    "MAX_INPUT",
    "Params",
    "SecretPrint",
    "header_value",
    "params_from",
    "parse_params",
    "secret_print",
    "split_url",
    "to_text",
]

MAX_FIELDS = 256
MAX_INPUT = 1024 * 1024


@dataclass(frozen=True)
class Params:
    """Parameters in wire order: ``values`` (first value per name) and ``repeated`` names."""

    values: dict[str, str]
    repeated: tuple[str, ...] = ()

    def get(self, name: str) -> str | None:
        return self.values.get(name)


@dataclass(frozen=True)
class SecretPrint:
    """How a secret is shown: whether present, the first 8 hex digits of its SHA-256, its length."""

    present: bool
    sha256_8: str | None = None
    length: int = 0


def secret_print(value: str | None) -> SecretPrint:
    """Fingerprint ``value`` without revealing it (enough to tell two values apart in a test)."""
    if value is None:
        return SecretPrint(False)
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return SecretPrint(True, digest, len(value))


def to_text(data: str | bytes, *, where: str) -> str:
    """Bytes → text (UTF-8, then Latin-1 as HTTP's historical fallback), size-capped."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if len(raw) > MAX_INPUT:
            raise DecodeError(f"input larger than {MAX_INPUT} bytes", where=where, code=DECODE_TOO_LARGE)
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return raw.decode("latin-1")
    if not isinstance(data, str):
        raise DecodeError(f"expected str or bytes, got {type(data).__name__}", where=where)
    if len(data) > MAX_INPUT:
        raise DecodeError(f"input larger than {MAX_INPUT} characters", where=where, code=DECODE_TOO_LARGE)
    return data


def parse_params(text: str, *, where: str) -> Params:
    """Parse ``application/x-www-form-urlencoded`` text (a query, fragment or body)."""
    text = text.strip()
    if text[:1] in ("?", "#"):
        text = text[1:]
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="replace")
    except ValueError as exc:
        raise DecodeError(f"unparseable parameters ({exc})", where=where) from None
    values: dict[str, str] = {}
    repeated: list[str] = []
    for key, value in pairs:
        if key in values:
            if key not in repeated:
                repeated.append(key)
            continue
        values[key] = value
    return Params(values, tuple(repeated))


def split_url(url: str, *, where: str) -> tuple[str, Params, Params]:
    """``(base, query, fragment)`` of an absolute URL; base is scheme://host/path."""
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:  # e.g. a malformed IPv6 literal
        raise DecodeError(f"unparseable URL ({exc})", where=where) from None
    if not parts.scheme or not parts.netloc:
        raise DecodeError("not an absolute URL", where=where)
    base = f"{parts.scheme}://{parts.netloc}{parts.path}"
    return base, parse_params(parts.query, where=f"{where}?"), parse_params(parts.fragment, where=f"{where}#")


def params_from(form: Mapping[str, object], *, where: str) -> Params:
    """A mapping (``dict``, or ``parse_qs``-style lists) as :class:`Params`."""
    if len(form) > MAX_FIELDS:
        raise DecodeError(f"more than {MAX_FIELDS} parameters", where=where, code=DECODE_TOO_LARGE)
    values: dict[str, str] = {}
    repeated: list[str] = []
    for key, value in form.items():
        if not isinstance(key, str):
            raise DecodeError(f"parameter names must be strings, got {type(key).__name__}", where=where)
        if isinstance(value, (list, tuple)):
            if len(value) > 1:
                repeated.append(key)
            value = value[0] if value else ""
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if not isinstance(value, str):
            raise DecodeError(f"expected a string, got {type(value).__name__}", where=f"{where}/{key}")
        values[key] = value
    return Params(values, tuple(repeated))


def header_value(headers: Mapping[str, str] | Iterable[tuple[str, str]] | None, name: str) -> str | None:
    """The first header called ``name`` (case-insensitive), or None."""
    if headers is None:
        return None
    # Checked item by item at run time: callers hand in whatever their HTTP library has.
    items: Iterable[object] = headers.items() if isinstance(headers, Mapping) else headers
    wanted = name.lower()
    for item in items:
        if not isinstance(item, tuple) or len(item) != 2:
            raise DecodeError("headers must be (name, value) pairs", where="headers")
        key, value = item
        if isinstance(key, bytes):
            key = key.decode("latin-1")
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if isinstance(key, str) and key.lower() == wanted:
            if not isinstance(value, str):
                raise DecodeError(f"header {name} is not text", where="headers")
            return value
    return None
