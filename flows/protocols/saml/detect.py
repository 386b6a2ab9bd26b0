"""Decode whatever a tester pasted or a capture recorded.

:func:`decode_any` recognises, in this order:

1. raw XML (optionally with a UTF-8/UTF-16 byte-order mark);
2. a URL or query string / urlencoded POST body carrying ``SAMLRequest`` or
   ``SAMLResponse`` (DEFLATEd payloads are reported as HTTP-Redirect, plain
   ones as HTTP-POST — SAML bindings §3.4.4.1 / §3.5.4);
3. a bare base64 value (possibly percent-encoded) of XML or of raw DEFLATE.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from urllib.parse import unquote

from cryptography import x509

from sso_harness.protocols.certinfo import DEFAULT_HORIZON
from sso_harness.protocols.encoding import b64decode_lenient, inflate_bounded
from sso_harness.protocols.errors import DECODE_NOT_RECOGNISED, DecodeError
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.saml.artifact import ARTIFACT_LENGTH, TYPE_CODE_0004, decode_artifact
from sso_harness.protocols.saml.bindings import SamlBindingMessage, decode_form, parse_query, query_string
from sso_harness.protocols.saml.messages import SamlMessage
from sso_harness.protocols.saml.options import DecodeOptions, decode_options
from sso_harness.protocols.saml.parse import parse_saml_root
from sso_harness.protocols.xml.dsig.keys import PrivateKey

__all__ = ["decode_any", "looks_like_xml"]

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_SPACE = b" \t\r\n\f\v"


def looks_like_xml(data: bytes) -> bool:
    """True if ``data`` starts (after whitespace) with ``<`` or a BOM."""
    head = data.lstrip(_SPACE)
    return head.startswith(b"<") or head.startswith(_BOMS)


def _parse(xml: bytes, where: str, options: DecodeOptions) -> SamlMessage:
    try:
        return parse_saml_root(parse_xml(xml, where="XML"), options)
    except DecodeError as exc:
        raise exc.within(where) from None


def decode_any(
    data: bytes | str,
    *,
    trusted_certs: Sequence[x509.Certificate] = (),
    now: datetime | None = None,
    sp_keys: Sequence[PrivateKey] = (),
    cert_horizon: timedelta = DEFAULT_HORIZON,
) -> SamlBindingMessage | SamlMessage:
    """Detect the representation of ``data`` and decode it.

    Returns a :class:`SamlBindingMessage` when the input named its parameter
    (URL, query string, form body — a Redirect query signature is then
    verified over the raw text), otherwise the parsed message itself (a
    bare 44-byte type 0x0004 artifact decodes to a SamlArtifact).
    Total: raises only :class:`DecodeError`, coded ``decode.not_recognised``
    when the input is in none of the representations above (so another
    protocol's decoder may claim it).
    """
    if not isinstance(data, (bytes, bytearray, memoryview, str)):
        raise DecodeError(f"expected bytes or str, got {type(data).__name__}", where="input")
    options = decode_options(trusted_certs, now, sp_keys, cert_horizon)
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if not raw.strip(_SPACE):
        raise DecodeError("empty input", where="input", code=DECODE_NOT_RECOGNISED)
    if looks_like_xml(raw):
        return _parse(raw, "input", options)
    try:
        text = raw.strip(_SPACE).decode("ascii")
    except UnicodeDecodeError as exc:
        raise DecodeError(
            "not XML, and not a URL, form body or base64 text (non-ASCII byte)", where="input", offset=exc.start,
            code=DECODE_NOT_RECOGNISED,
        ) from None
    if any(f"{name}=" in text for name in ("SAMLRequest", "SAMLResponse", "SAMLart")):
        raw_query = query_string(text)
        return decode_form(
            parse_query(raw_query),
            trusted_certs=options.trusted_certs,
            now=options.now,
            sp_keys=options.sp_keys,
            cert_horizon=options.cert_horizon,
            raw_query=raw_query,
        )
    if "://" in text or "=" in text.rstrip("="):
        raise DecodeError("no SAMLRequest, SAMLResponse or SAMLart parameter found", where="input", code=DECODE_NOT_RECOGNISED)
    if "%" in text:  # a value copied straight out of a URL
        text = unquote(text)
    try:
        decoded = b64decode_lenient(text, where="input")
    except DecodeError as exc:  # bare text that is not base64 is no SAML representation at all
        raise DecodeError(exc.reason, where=exc.where, offset=exc.offset, code=DECODE_NOT_RECOGNISED) from None
    if looks_like_xml(decoded):
        return _parse(decoded, "input/base64", options)
    if len(decoded) == ARTIFACT_LENGTH and decoded[:2] == TYPE_CODE_0004.to_bytes(2, "big"):
        return decode_artifact(text, where="input")
    return _parse(inflate_bounded(decoded, where="input/base64"), "input/base64+deflate", options)
