"""Strict, bounded JSON-object parsing for JOSE headers, claims and OAuth bodies.

RFC 7515 §5.2 and RFC 7519 §4 let a JOSE parser either reject duplicate
member names or keep the last; two parsers disagreeing on which value wins is
an exploit, so duplicates are rejected.  NaN/Infinity (not JSON, RFC 8259 §6)
and absurd nesting are rejected too, all as :class:`DecodeError`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sso_harness.protocols.errors import DECODE_TOO_LARGE, DecodeError

__all__ = ["MAX_JSON_BYTES", "parse_json_object", "string_member"]

MAX_JSON_BYTES = 1024 * 1024


class _Duplicate(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Duplicate(key)
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json_object(data: str | bytes, *, where: str, max_bytes: int = MAX_JSON_BYTES) -> dict[str, Any]:
    """Parse ``data`` as one JSON object (UTF-8, optional BOM).

    Raises :class:`DecodeError` naming ``where`` when it is not valid JSON,
    not an object, larger than ``max_bytes``, nested too deeply, or repeats
    a member name.
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if len(raw) > max_bytes:
            raise DecodeError(f"JSON larger than {max_bytes} bytes", where=where, code=DECODE_TOO_LARGE)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DecodeError("JSON is not valid UTF-8", where=where, offset=exc.start) from None
    elif isinstance(data, str):
        text = data
        if len(text) > max_bytes:
            raise DecodeError(f"JSON larger than {max_bytes} characters", where=where, code=DECODE_TOO_LARGE)
    else:
        raise DecodeError(f"expected str or bytes, got {type(data).__name__}", where=where)
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except _Duplicate as dup:
        raise DecodeError(f"member {dup.name[:64]!r} appears more than once", where=where) from None
    except json.JSONDecodeError as exc:
        raise DecodeError(f"not valid JSON ({exc.msg})", where=where, offset=exc.pos) from None
    except RecursionError:
        raise DecodeError("JSON nested too deeply", where=where) from None
    except ValueError as exc:  # NaN/Infinity, integers with too many digits
        raise DecodeError(f"not valid JSON ({exc})", where=where) from None
    if not isinstance(value, dict):
        raise DecodeError(f"expected a JSON object, got {type(value).__name__}", where=where)
    return value


def string_member(doc: Mapping[str, Any], name: str, errors: list[str]) -> str | None:
    """Member ``name`` of a parsed JSON object when it is a string; None when
    it is absent or null, and None with a message appended to ``errors``
    when it is any other JSON type."""
    value = doc.get(name)
    if value is None or isinstance(value, str):
        return value
    errors.append(f"{name} must be a string, got {type(value).__name__}")
    return None
