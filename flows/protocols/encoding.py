"""Transport encodings used by the SAML bindings: base64 and raw DEFLATE.

SAML bindings §3.4.4.1 (HTTP-Redirect) carries messages as
base64(raw-DEFLATE(xml)); §3.5.4 (HTTP-POST) as base64(xml).  Real traffic
and copy-pasted captures bend the rules (line-wrapped base64, URL-safe
alphabet, lost padding, zlib headers), so decoding is lenient about
representation but strict about content and size.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

from sso_harness.protocols.errors import DECODE_DEFLATE_BOMB, DecodeError

__all__ = ["DEFAULT_INFLATE_LIMIT", "b64decode_lenient", "b64encode_text", "inflate_bounded"]

DEFAULT_INFLATE_LIMIT = 10 * 1024 * 1024

_WHITESPACE = re.compile(rb"[ \t\r\n\f\v]+")
_NOT_B64 = re.compile(rb"[^A-Za-z0-9+/\-_= \t\r\n\f\v]")
_URLSAFE = bytes.maketrans(b"-_", b"+/")


def b64encode_text(data: bytes) -> str:
    """Standard base64 (RFC 4648 §4, padded, no line breaks) as text: the
    content of ``ds:DigestValue``, ``ds:SignatureValue``,
    ``ds:X509Certificate`` and ``xenc:CipherValue``."""
    return base64.b64encode(data).decode("ascii")


def b64decode_lenient(s: str | bytes, *, where: str) -> bytes:
    """Decode base64 text, tolerating what real captures contain.

    Accepted: embedded ASCII whitespace (MIME line wrapping), the URL-safe
    alphabet (RFC 4648 §5) mixed with the standard one, and missing ``=``
    padding.  Rejected with :class:`DecodeError`: empty input, any other
    character (the offset points at it in the original input), padding in the
    middle, more than two ``=``, and a final group of a single character
    (which cannot encode a whole byte).
    """
    if isinstance(s, str):
        try:
            raw = s.encode("ascii")
        except UnicodeEncodeError as exc:
            raise DecodeError("not valid base64 (non-ASCII character)", where=where, offset=exc.start) from None
    elif isinstance(s, (bytes, bytearray, memoryview)):
        raw = bytes(s)
    else:
        raise DecodeError(f"expected str or bytes, got {type(s).__name__}", where=where)
    if raw and len(raw) % 4 == 0:
        # Fast path for clean, standard base64 (the common case on the wire):
        # strict decoding rejects every character the lenient path would fix up.
        try:
            return binascii.a2b_base64(raw, strict_mode=True)
        except binascii.Error:
            pass
    bad = _NOT_B64.search(raw)
    if bad is not None:
        raise DecodeError("not valid base64", where=where, offset=bad.start())
    compact = _WHITESPACE.sub(b"", raw)
    if not compact:
        raise DecodeError("empty base64 value", where=where)
    body = compact.rstrip(b"=")
    padding = len(compact) - len(body)
    if b"=" in body:
        # Report the offset in the caller's input, not in the compacted copy.
        raise DecodeError("not valid base64 (padding inside the data)", where=where, offset=raw.find(b"="))
    if padding > 2 or len(body) % 4 == 1:
        raise DecodeError("not valid base64 (truncated or over-padded)", where=where, offset=len(raw))
    body = body.translate(_URLSAFE)
    body += b"=" * (-len(body) % 4)
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as exc:  # pragma: no cover - guarded above
        raise DecodeError(f"not valid base64 ({exc})", where=where) from None


def _inflate(data: bytes, wbits: int, limit: int, where: str) -> bytes:
    inflater = zlib.decompressobj(wbits)
    try:
        # Ask for one byte more than allowed: getting it proves the stream
        # would exceed the limit without ever materialising the whole bomb.
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise DecodeError(f"corrupt DEFLATE data ({exc})", where=where) from None
    if len(out) > limit:
        raise DecodeError(
            f"inflated data exceeds the {limit}-byte limit (deflate bomb?)", where=where, code=DECODE_DEFLATE_BOMB
        )
    if not inflater.eof:
        raise DecodeError("truncated DEFLATE data (stream ends before its final block)", where=where)
    if inflater.unused_data.strip(b"\x00\r\n \t"):
        raise DecodeError("unexpected data after the end of the DEFLATE stream", where=where)
    return out


def inflate_bounded(data: bytes, *, limit: int = DEFAULT_INFLATE_LIMIT, where: str) -> bytes:
    """Inflate raw DEFLATE (RFC 1951, ``wbits=-15``) with a hard output cap.

    Contract: returns at most ``limit`` bytes, or raises
    :class:`DecodeError` if the output would exceed it (deflate bomb), or the
    stream is corrupt, truncated or followed by garbage.  Because some SAML
    stacks wrap the stream in a zlib header (RFC 1950) despite SAML bindings
    §3.4.4.1, a zlib-wrapped stream is accepted as a fallback.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise DecodeError(f"expected bytes, got {type(data).__name__}", where=where)
    data = bytes(data)
    if not data:
        raise DecodeError("empty DEFLATE data", where=where)
    try:
        return _inflate(data, -15, limit, where)
    except DecodeError as raw_error:
        # 0x78 is the CMF byte of every zlib header with a 32 KiB window.
        if data[:1] != b"\x78" or int.from_bytes(data[:2], "big") % 31:
            raise
        try:
            return _inflate(data, 15, limit, where)
        except DecodeError:
            raise raw_error from None
