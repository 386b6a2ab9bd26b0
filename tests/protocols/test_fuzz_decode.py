"""Property: mutated real samples only ever produce a result or DecodeError."""

from __future__ import annotations

import base64
import zlib
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from hypothesis import given, settings
from hypothesis import strategies as st

from sso_harness.protocols import DecodeError, decode_any
from sso_harness.protocols.xml.dsig.keys import load_certificates

FILES = [
    "onelogin_crewjam_2016.xml.b64",
    "entra_2021_netsaml2_issue49.xml",
    "adfs_rubysaml_sha256.xml",
    "okta_signed_response_encrypted_assertion.xml.b64",
    "negative/xsw_permutation_two.xml.b64",
    "negative/py3saml_node_text_attack.xml.b64",
]


@pytest.fixture(scope="module")
def corpus(samples_dir: Path) -> tuple[list[bytes], list[x509.Certificate]]:
    documents: list[bytes] = []
    for name in FILES:
        data = (samples_dir / name).read_bytes()
        xml = base64.b64decode(data) if name.endswith(".b64") else data
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        documents += [data, xml, base64.b64encode(compressor.compress(xml) + compressor.flush())]
    certs: list[x509.Certificate] = []
    for name in ("onelogin_crewjam_2016", "entra_2021_netsaml2_issue49", "adfs_rubysaml_sha256"):
        certs += load_certificates((samples_dir / "certs" / f"{name}.idp-cert.pem").read_bytes())
    return documents, certs


mutation = st.one_of(
    st.tuples(
        st.just("flip"),
        st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 7)), min_size=1, max_size=8),
    ),
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("insert"), st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=16))),
    st.tuples(st.just("delete"), st.tuples(st.floats(0, 1), st.integers(1, 64))),
)


def mutate(data: bytes, change: tuple[str, Any]) -> bytes:
    kind, detail = change
    buffer = bytearray(data)
    if kind == "flip":
        for where, bit in detail:
            buffer[int(where * len(buffer))] ^= 1 << bit
    elif kind == "truncate":
        del buffer[int(detail * len(buffer)) :]
    elif kind == "insert":
        where, blob = detail
        buffer[int(where * len(buffer)) : int(where * len(buffer))] = blob
    else:
        where, count = detail
        start = int(where * len(buffer))
        del buffer[start : start + count]
    return bytes(buffer)


@settings(max_examples=400, deadline=None)
@given(index=st.integers(min_value=0), change=mutation)
def test_mutated_samples_only_raise_decode_error(
    corpus: tuple[list[bytes], list[x509.Certificate]], index: int, change: tuple[str, Any]
) -> None:
    documents, certs = corpus
    data = mutate(documents[index % len(documents)], change)
    try:
        decode_any(data, trusted_certs=certs)
    except DecodeError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512) | st.text(max_size=256).map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_arbitrary_bytes_only_raise_decode_error(data: bytes) -> None:
    try:
        decode_any(data)
    except DecodeError:
        pass
