"""Negative samples: none may come out trusted, malformed ones must not decode.

The attack documents ship without a trusted IdP certificate; they are
checked here in the worst case for the consumer — trusting the very
certificate the attacker embedded (or the genuine OneLogin certificate the
XSW 1/2 permutations were built from).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from cryptography import x509

from sso_harness.protocols import DecodeError, Response, decode_any, parse_saml

CLOCK = datetime(2024, 1, 1, tzinfo=UTC)

ATTACKS = [
    ("negative/xsw_permutation_one.xml.b64", "xsw_permutation_one.embedded-cert.pem"),
    ("negative/xsw_permutation_two.xml.b64", "xsw_permutation_two.embedded-cert.pem"),
    ("negative/xsw_permutation_three.xml.b64", "xsw_permutation_three.embedded-cert.pem"),
    ("negative/xsw_permutation_four.xml.b64", "xsw_permutation_four.embedded-cert.pem"),
    ("negative/xsw_permutation_five.xml.b64", "xsw_permutation_five.embedded-cert.pem"),
    ("negative/py3saml_signature_wrapping_attack.xml.b64", "py3saml_signature_wrapping_attack.embedded-cert.pem"),
    ("negative/py3saml_node_text_attack.xml.b64", "onelogin_python3saml_response4.idp-cert.pem"),
]


@pytest.mark.parametrize(("name", "cert"), ATTACKS, ids=[a[0].split("/")[1] for a in ATTACKS])
def test_attack_samples_are_never_trusted(
    name: str,
    cert: str,
    sample_raw: Callable[[str], bytes],
    sample_xml: Callable[[str], bytes],
    sample_certs: Callable[[str | None], list[x509.Certificate]],
) -> None:
    all_certs = sample_certs(cert) + sample_certs("onelogin_crewjam_2016.idp-cert.pem")
    message = parse_saml(sample_xml(name), trusted_certs=all_certs, now=CLOCK)
    assert isinstance(message, Response)
    assert message.trusted is False
    assert message.assertion is None or message.assertion.signed is False
    assert message.errors  # the report says why
    # Same verdict through the auto-detecting entry point.
    detected = decode_any(sample_raw(name), trusted_certs=all_certs, now=CLOCK)
    assert isinstance(detected, Response) and detected.trusted is False


def test_xsw_two_valid_signature_is_flagged_as_wrapping(
    sample_xml: Callable[[str], bytes], sample_certs: Callable[[str | None], list[x509.Certificate]]
) -> None:
    message = parse_saml(
        sample_xml("negative/xsw_permutation_two.xml.b64"),
        trusted_certs=sample_certs("onelogin_crewjam_2016.idp-cert.pem"),
    )
    assert isinstance(message, Response)
    (check,) = message.signatures
    assert check.valid and check.covers == "Response"
    assert check.element is not None and check.element.getparent() is not None  # the wrapped original, not the root
    assert message.id == "_evil_response_ID" and not message.trusted
    assert any("possible signature wrapping" in e for e in message.errors)


def test_duplicate_ids_make_the_signature_invalid(
    sample_xml: Callable[[str], bytes], sample_certs: Callable[[str | None], list[x509.Certificate]]
) -> None:
    message = parse_saml(
        sample_xml("negative/py3saml_signature_wrapping_attack.xml.b64"),
        trusted_certs=sample_certs("py3saml_signature_wrapping_attack.embedded-cert.pem"),
    )
    assert isinstance(message, Response)
    (check,) = message.signatures
    assert not check.valid and check.reason is not None and "appears 2 times" in check.reason


def test_node_text_attack_reads_full_text(sample_xml: Callable[[str], bytes]) -> None:
    message = parse_saml(sample_xml("negative/py3saml_node_text_attack.xml.b64"))
    assert isinstance(message, Response) and message.assertion is not None
    assert message.assertion.name_id is not None
    assert message.assertion.name_id.value == "support@onelogin.com"
    assert message.assertion.attributes["surname"] == ("smith",)
    assert message.assertion.attributes["another_value"] == ("value1", "value2")
    assert message.trusted is False


def test_malformed_google_is_rejected(sample_raw: Callable[[str], bytes]) -> None:
    with pytest.raises(DecodeError, match="malformed XML"):
        parse_saml(sample_raw("negative/malformed_google.derived.xml"))
    with pytest.raises(DecodeError, match="malformed XML"):
        decode_any(sample_raw("negative/malformed_google.derived.xml"))


def test_xxe_sample_is_rejected_before_any_entity_work(sample_raw: Callable[[str], bytes]) -> None:
    for decoder in (parse_saml, decode_any):
        with pytest.raises(DecodeError) as info:
            decoder(sample_raw("negative/rubysaml_attackxee.xml"))
        assert info.value.reason == "DTD not allowed"


def test_external_entity_is_never_resolved(tmp_path: object) -> None:
    import pathlib

    secret = pathlib.Path(str(tmp_path)) / "secret.txt"
    secret.write_text("TOP-SECRET")
    document = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="a">&x;</samlp:Response>'
    ).encode()
    with pytest.raises(DecodeError) as info:
        parse_saml(document)
    assert info.value.reason == "DTD not allowed"
    assert "TOP-SECRET" not in str(info.value)
