"""Hardened XML parsing: DOCTYPE refusal, syntax errors, comments kept."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sso_harness.protocols import pretty_xml
from sso_harness.protocols.errors import DecodeError
from sso_harness.protocols.xml.safe import parse_xml

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<r>&x;</r>"""


@pytest.mark.parametrize(
    "document",
    [
        XXE,
        XXE.decode().encode("utf-16"),
        b'<!DOCTYPE r SYSTEM "http://127.0.0.1:1/evil.dtd"><r/>',
        '<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE r><r/>',
    ],
)
def test_any_doctype_is_refused(document: bytes | str) -> None:
    with pytest.raises(DecodeError) as info:
        parse_xml(document, where="XML")
    assert info.value.reason == "DTD not allowed"


def test_billion_laughs_sample_is_refused_without_expansion(sample_raw: Callable[[str], bytes]) -> None:
    with pytest.raises(DecodeError) as info:
        parse_xml(sample_raw("negative/rubysaml_attackxee.xml"), where="XML")
    assert info.value.reason == "DTD not allowed"


def test_malformed_xml_reports_line_and_column() -> None:
    with pytest.raises(DecodeError) as info:
        parse_xml(b"<a>\n  <b x='1' x='2'/></a>", where="XML")
    assert info.value.where == "XML"
    assert "line 2, column" in info.value.reason
    assert info.value.reason.startswith("malformed XML:")


@pytest.mark.parametrize("document", [b"", b"   ", "", b"<a>", b"<a/><b/>", b"\xff\xfe\x00", 42])
def test_garbage_raises_decode_error_only(document: object) -> None:
    with pytest.raises(DecodeError):
        parse_xml(document, where="XML")  # type: ignore[arg-type]


def test_str_with_encoding_declaration_and_comments_kept() -> None:
    root = parse_xml('<?xml version="1.0" encoding="UTF-8"?><a>x<!-- c -->y</a>', where="XML")
    assert root.xpath("string()") == "xy"
    assert len(root) == 1  # the comment node survives parsing


def test_pretty_xml_indents_and_is_safe() -> None:
    out = pretty_xml(b"<a><b>text</b><c/></a>")
    assert out == "<a>\n  <b>text</b>\n  <c/>\n</a>\n"
    with pytest.raises(DecodeError, match="DTD not allowed"):
        pretty_xml(XXE)
