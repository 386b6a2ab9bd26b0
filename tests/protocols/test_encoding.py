"""DecodeError rendering, lenient base64 and bounded raw DEFLATE."""

from __future__ import annotations

import base64
import zlib

import pytest

from sso_harness.protocols.encoding import b64decode_lenient, inflate_bounded
from sso_harness.protocols.errors import DecodeError


def deflate_raw(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def test_decode_error_str_and_fields() -> None:
    error = DecodeError("not valid base64", where="SAMLResponse", offset=17)
    assert str(error) == "SAMLResponse: not valid base64 (at offset 17)"
    assert (error.reason, error.where, error.offset) == ("not valid base64", "SAMLResponse", 17)
    assert isinstance(error, ValueError)
    assert str(DecodeError("plain")) == "plain"
    assert str(error.within("query")) == "query/SAMLResponse: not valid base64 (at offset 17)"


PAYLOAD = b"<samlp:Response ID='x'>\xe2\x9c\x93 ??>>~~</samlp:Response>"


@pytest.mark.parametrize(
    "encoded",
    [
        base64.b64encode(PAYLOAD).decode(),
        base64.urlsafe_b64encode(PAYLOAD).decode(),
        base64.b64encode(PAYLOAD).decode().rstrip("="),
        base64.urlsafe_b64encode(PAYLOAD).decode().rstrip("="),
        "\n".join(base64.encodebytes(PAYLOAD).decode().split("\n")),
        "  " + " \r\n\t".join(base64.b64encode(PAYLOAD).decode()[i : i + 5] for i in range(0, 80, 5)) + "\n",
    ],
    ids=["standard", "urlsafe", "unpadded", "urlsafe-unpadded", "mime-lines", "odd-whitespace"],
)
def test_b64_lenient_accepts(encoded: str) -> None:
    assert b64decode_lenient(encoded, where="SAMLResponse") == PAYLOAD
    assert b64decode_lenient(encoded.encode(), where="SAMLResponse") == PAYLOAD


@pytest.mark.parametrize(
    ("encoded", "offset"),
    [
        ("PHNhbWw+*", 8),
        ("PHNh bWw+!!", 9),
        ("PHNh=bWw+", 4),
        ("PHNhbWw+A", 9),  # a single trailing character cannot encode a byte
        ("PHNhbWw===", 10),
        ("PHNhbWéé", 6),
    ],
)
def test_b64_lenient_rejects_with_offset(encoded: str, offset: int) -> None:
    with pytest.raises(DecodeError) as info:
        b64decode_lenient(encoded, where="SAMLResponse")
    assert info.value.where == "SAMLResponse"
    assert info.value.offset == offset
    assert str(info.value).startswith("SAMLResponse: not valid base64")


def test_b64_lenient_rejects_empty() -> None:
    with pytest.raises(DecodeError, match="empty"):
        b64decode_lenient(" \n ", where="SAMLRequest")


def test_inflate_round_trip_and_zlib_fallback() -> None:
    data = b"<samlp:AuthnRequest/>" * 50
    assert inflate_bounded(deflate_raw(data), where="SAMLRequest") == data
    assert inflate_bounded(zlib.compress(data), where="SAMLRequest") == data


def test_inflate_bomb_is_refused_without_materialising() -> None:
    bomb = deflate_raw(b"\0" * (20 * 1024 * 1024))
    assert len(bomb) < 30_000
    with pytest.raises(DecodeError, match="exceeds the 10485760-byte limit"):
        inflate_bounded(bomb, where="SAMLRequest")
    with pytest.raises(DecodeError, match="limit"):
        inflate_bounded(deflate_raw(b"a" * 2000), limit=1000, where="SAMLRequest")
    assert inflate_bounded(deflate_raw(b"a" * 1000), limit=1000, where="SAMLRequest") == b"a" * 1000


def test_inflate_truncated_and_corrupt() -> None:
    stream = deflate_raw(b"<samlp:AuthnRequest ID='abc'/>" * 20)
    with pytest.raises(DecodeError, match="truncated") as info:
        inflate_bounded(stream[: len(stream) // 2], where="SAMLRequest")
    assert info.value.where == "SAMLRequest"
    with pytest.raises(DecodeError, match="corrupt|truncated"):
        inflate_bounded(b"\xff\xff\xff\xff garbage", where="SAMLRequest")
    with pytest.raises(DecodeError, match="after the end"):
        inflate_bounded(stream + b"trailing junk", where="SAMLRequest")
    with pytest.raises(DecodeError, match="empty"):
        inflate_bounded(b"", where="SAMLRequest")
