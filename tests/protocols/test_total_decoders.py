"""Total decoders: every public decode entry point returns a value or raises DecodeError.

Hostile structure, not random bytes (see ``hostile.py``): SAML with bad
certificates and signatures, deflate bombs, bad base64, many attributes,
truncated JWTs, hostile JWK Sets, WS-Federation RSTRs, trace files. Few
examples and derandomized here; ``scripts/fuzz_decoders.py`` runs many more.
"""

from __future__ import annotations

import base64
import re

import pytest
from hypothesis import HealthCheck, given, settings

from sso_harness.protocols import DecodeError, decode_any, load_certificates
from sso_harness.protocols.errors import DECODE_CERTIFICATE_UNREADABLE, DECODE_DEFLATE_BOMB, DECODE_NOT_RECOGNISED
from sso_harness.protocols.saml import Response
from sso_harness.protocols.xml.dsig.keys import certificate_from_keyinfo_text

from .entry_points import ENTRY_POINTS, READERS, run_all
from .hostile import _b64, _bomb, _with_version, hostile_bytes, samltracer_text, trace_text

_FAST = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_CHEAP = tuple(name for name in ENTRY_POINTS if name != "cli.decode")


@_FAST
@given(data=hostile_bytes(attributes=40))
def test_every_decoder_raises_only_decode_error(data: bytes) -> None:
    assert run_all(data, _CHEAP) == []


@settings(_FAST, max_examples=25)
@given(data=hostile_bytes(attributes=10))
def test_the_cli_never_answers_internal_error(data: bytes) -> None:
    assert run_all(data, ("cli.decode",)) == []


@settings(_FAST, max_examples=40)
@given(text=trace_text())
def test_trace_files_load_or_say_why(text: str) -> None:
    assert run_all(text.encode(), tuple(READERS)) == []


@settings(_FAST, max_examples=40)
@given(text=samltracer_text())
def test_samltracer_exports_load_or_say_why(text: str) -> None:
    assert run_all(text.encode(), tuple(READERS)) == []


def test_every_listed_entry_point_is_exercised() -> None:
    """The list covers each protocol package and each reader (a new decoder must be added to it)."""
    families = {name.split(".")[0] for name in [*ENTRY_POINTS, *READERS]}
    assert {"saml", "wsfed", "oauth", "jose", "encoding", "xml", "dsig", "trace", "cli", "report"} <= families


# -- the crash fuzzing found: a certificate with a bad version field ----------

def _response_with_certificate(text: str, samples_dir: object) -> bytes:
    from pathlib import Path

    xml = (Path(str(samples_dir)) / "adfs_rubysaml_sha256.xml").read_bytes()
    found = re.search(rb"<(?:ds:)?X509Certificate>([^<]+)<", xml)
    assert found is not None
    return xml.replace(found.group(1), text.encode())


def test_a_certificate_with_a_bad_version_is_a_coded_decode_error() -> None:
    with pytest.raises(DecodeError) as caught:
        certificate_from_keyinfo_text(_b64(_with_version(7)))
    assert caught.value.code == DECODE_CERTIFICATE_UNREADABLE
    assert caught.value.where == "X509Certificate" and "InvalidVersion" in caught.value.reason
    pem = b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(_with_version(7)) + b"-----END CERTIFICATE-----\n"
    with pytest.raises(DecodeError) as from_file:
        load_certificates(pem)
    assert from_file.value.code == DECODE_CERTIFICATE_UNREADABLE


def test_the_rest_of_the_message_decodes_and_the_certificate_is_reported(samples_dir: object) -> None:
    message = decode_any(_response_with_certificate(_b64(_with_version(7)), samples_dir))
    assert isinstance(message, Response) and message.assertions
    (signature,) = message.signatures
    assert signature.embedded_certificates == ()
    assert any("X509Certificate" in u and "InvalidVersion" in u for u in signature.unreadable_certificates)
    assert any("certificate is unreadable" in w for w in message.warnings)


def test_a_deflate_bomb_says_so_with_its_code() -> None:
    with pytest.raises(DecodeError) as caught:
        decode_any(_b64(_bomb(11 * 1024 * 1024)))
    assert caught.value.code == DECODE_DEFLATE_BOMB


def test_text_in_no_saml_representation_is_not_recognised() -> None:
    for text in ("{\"a\": 1}", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "https://rp/cb?code=x", "é"):
        with pytest.raises(DecodeError) as caught:
            decode_any(text)
        assert caught.value.code == DECODE_NOT_RECOGNISED, text
