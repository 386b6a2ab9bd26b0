"""Hardened XML parsing for untrusted protocol messages.

Every XML document the harness decodes comes from the network or from a
capture, so parsing must be safe against the classic XML attacks:

* **XXE** (external entities, external DTD subsets) — the parser never loads
  a DTD, never touches the network and never substitutes entities;
* **entity expansion** ("billion laughs") — any document carrying a DOCTYPE
  is rejected outright.  SAML core §3 messages never need one, and refusing
  it is simpler and safer than trying to bound expansion;
* **resource exhaustion** — ``huge_tree=False`` keeps libxml2's default
  depth (256) and text-node size limits in force.

Comments are *kept*: XML-DSig canonicalisation of ``#WithComments`` variants
and the comment-injection defence (reading full text content) both need them.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from lxml import etree

from sso_harness.protocols.errors import DecodeError

__all__ = ["parse_xml"]

# "<!DOCTYPE" as it appears in the byte encodings a SAML peer could plausibly
# use.  Scanning before parsing matters: libxml2 already chokes on entity
# amplification while parsing, and we want the precise verdict instead.
_DOCTYPE_MARKERS: tuple[bytes, ...] = (
    b"<!DOCTYPE",
    "<!DOCTYPE".encode("utf-16-le"),
    "<!DOCTYPE".encode("utf-16-be"),
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml\b[^>]*\?>")
_LXML_POSITION_SUFFIX = re.compile(r",? line \d+, column \d+$")

# lxml parsers must not be shared between threads; one per thread is cheap.
_local = threading.local()


def _parser() -> etree.XMLParser:
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=False,
            remove_pis=False,
            strip_cdata=True,
            recover=False,
        )
        _local.parser = parser
    return parser


def _as_bytes(data: bytes | str, where: str) -> bytes:
    if isinstance(data, bytes):
        return data
    # lxml refuses str input that carries an encoding declaration; the
    # declaration is meaningless once the text is already decoded, so drop it
    # and hand lxml UTF-8 bytes instead.
    text = _XML_DECLARATION.sub("", data, count=1)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DecodeError("text is not encodable as UTF-8", where=where, offset=exc.start) from None


def parse_xml(data: bytes | str, *, where: str) -> etree._Element:
    """Parse ``data`` into an lxml element tree and return its root element.

    Contract: returns the root element of a well-formed, DOCTYPE-free
    document, or raises :class:`DecodeError` — ``"DTD not allowed"`` for any
    document type declaration, ``"empty document"``, or ``"malformed XML: …
    (line L, column C)"`` for syntax errors.  Entities are never expanded and
    nothing is fetched.  ``where`` names the input for error messages.
    """
    if not isinstance(data, (bytes, str)):
        raise DecodeError(f"expected bytes or str, got {type(data).__name__}", where=where)
    raw = _as_bytes(data, where)
    if not raw.strip():
        raise DecodeError("empty document", where=where)
    for marker in _DOCTYPE_MARKERS:
        at = raw.find(marker)
        if at >= 0:
            raise DecodeError("DTD not allowed", where=where, offset=at)
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        message = _LXML_POSITION_SUFFIX.sub("", (exc.msg or "syntax error").strip())
        line, column = exc.position
        position = f" (line {line}, column {column})" if line else ""
        raise DecodeError(f"malformed XML: {message}{position}", where=where) from None
    except (etree.LxmlError, ValueError) as exc:  # e.g. unsupported encodings
        raise DecodeError(f"malformed XML: {exc}", where=where) from None
    if root is None:
        raise DecodeError("empty document", where=where)
    docinfo: Any = root.getroottree().docinfo  # lxml-stubs lag behind DocInfo's attributes
    # Belt and braces: an encoding the pre-scan cannot see (UTF-32, EBCDIC…)
    # still ends up here.
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise DecodeError("DTD not allowed", where=where)
    return root
