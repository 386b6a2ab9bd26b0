"""Real IdP samples: the README's signature verdicts and decoded fields.

Truth comes from /work/shared/samples/saml/README.md (established with
xmlsec1 trusting only the listed key).  Signature verdicts do not depend on
time; a fixed clock is still passed so time checks run deterministically.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from sso_harness.protocols import DecodeError, Response, decode_any, parse_saml

CLOCK = datetime(2024, 1, 1, tzinfo=UTC)

# file, cert file (None: none listed), {element: VERIFIED?}, encrypted
VERDICTS: list[tuple[str, str | None, dict[str, bool], bool]] = [
    (
        "entra_2021_netsaml2_issue49.xml",
        "entra_2021_netsaml2_issue49.idp-cert.pem",
        {"Assertion": True, "Response": True},
        False,
    ),
    ("entra_saml2aws_aws_sanitised.xml", "entra_saml2aws_aws_sanitised.embedded-cert.pem", {"Assertion": False}, False),
    ("adfs_mintlab_plain.xml", None, {"Assertion": False}, False),
    ("adfs_mintlab_failed_status.xml", None, {"Assertion": False}, False),
    ("adfs_rubysaml_sha256.xml", "adfs_rubysaml_sha256.idp-cert.pem", {"Assertion": True}, False),
    ("adfs_python3saml.xml.b64", "adfs_python3saml.embedded-cert.pem", {"Assertion": False}, False),
    (
        "okta_signed_response_encrypted_assertion.xml.b64",
        "okta_signed_response_encrypted_assertion.idp-cert.pem",
        {"Response": True},
        True,
    ),
    # The assertion signature sits inside the EncryptedAssertion: nothing is visible before decryption.
    ("okta_encrypted_signed_assertion.xml.b64", "okta_encrypted_signed_assertion.idp-cert.pem", {}, True),
    (
        "okta_encrypted_assertion_both_signed.xml.b64",
        "okta_encrypted_assertion_both_signed.idp-cert.pem",
        {"Response": True},
        True,
    ),
    ("onelogin_crewjam_2016.xml.b64", "onelogin_crewjam_2016.idp-cert.pem", {"Response": True}, False),
    (
        "onelogin_python3saml_response4.xml.b64",
        "onelogin_python3saml_response4.idp-cert.pem",
        {"Assertion": True},
        False,
    ),
    (
        "simplesamlphp_feide_openidp_2008.xml",
        "simplesamlphp_feide_openidp_2008.embedded-cert.pem",
        {"Assertion": False},
        False,
    ),
    ("simplesamlphp_pysaml2_signed.xml", "simplesamlphp_pysaml2_signed.embedded-cert.pem", {"Assertion": False}, False),
    (
        "simplesamlphp_python3saml_signed_message.xml.b64",
        "simplesamlphp_python3saml_signed_message.idp-cert.pem",
        {"Response": True},
        False,
    ),
    (
        "simplesamlphp_python3saml_signed_msg_encrypted_assertion.xml.b64",
        "simplesamlphp_python3saml_signed_msg_encrypted_assertion.idp-cert.pem",
        {"Response": True},
        True,
    ),
    ("simplesamlphp_python3saml_federate.xml", None, {"Response": False, "Assertion": False}, False),
    ("oracle_idm_opensaml.xml", None, {"Response": False}, False),
]


def _decode(
    name: str,
    cert: str | None,
    sample_xml: Callable[[str], bytes],
    sample_certs: Callable[[str | None], list[x509.Certificate]],
) -> Response:
    message = parse_saml(sample_xml(name), trusted_certs=sample_certs(cert), now=CLOCK)
    assert isinstance(message, Response)
    return message


@pytest.mark.parametrize(("name", "cert", "expected", "encrypted"), VERDICTS, ids=[v[0] for v in VERDICTS])
def test_readme_signature_verdicts(
    name: str,
    cert: str | None,
    expected: dict[str, bool],
    encrypted: bool,
    sample_xml: Callable[[str], bytes],
    sample_certs: Callable[[str | None], list[x509.Certificate]],
) -> None:
    response = _decode(name, cert, sample_xml, sample_certs)
    verdicts = {check.covers: check.valid for check in response.signatures}
    assert verdicts == expected
    assert response.encrypted is encrypted
    for check in response.signatures:
        assert check.valid == (check.reason is None)
        assert check.element is not None and check.covers_id == check.element.get("ID")
        if check.valid:
            assert check.certificate_sha256 == sample_certs(cert)[0].fingerprint(hashes.SHA256()).hex()
    if any(expected.values()) and name != "onelogin_python3saml_response4.xml.b64":
        assert response.trusted is True
    if not any(expected.values()):
        assert response.trusted is False


def test_valid_signatures_cover_the_decoded_elements(
    sample_xml: Callable[[str], bytes], sample_certs: Callable[[str | None], list[x509.Certificate]]
) -> None:
    response = _decode(
        "entra_2021_netsaml2_issue49.xml", "entra_2021_netsaml2_issue49.idp-cert.pem", sample_xml, sample_certs
    )
    assert response.trusted and response.assertion is not None and response.assertion.signed
    response_check = next(c for c in response.signatures if c.covers == "Response")
    assert response_check.element is not None and response_check.element.getparent() is None  # the root itself


def test_trust_requires_the_reported_assertion(
    sample_xml: Callable[[str], bytes], sample_certs: Callable[[str | None], list[x509.Certificate]]
) -> None:
    # response4 carries an unsigned "fake_assertion" *before* the signed one:
    # the signature is cryptographically fine (README: VERIFIED) but it does
    # not cover what an SP would consume, so the message is not trusted.
    response = _decode(
        "onelogin_python3saml_response4.xml.b64",
        "onelogin_python3saml_response4.idp-cert.pem",
        sample_xml,
        sample_certs,
    )
    assert [a.id for a in response.assertions] == ["fake_assertion", "pfx9516b0f3-4536-10f6-c6fa-9dd523e1498c"]
    assert response.assertion is not None and response.assertion.id == "fake_assertion"
    assert response.assertion.signed is False and response.assertions[1].signed is True
    assert response.trusted is False
    assert any("possible signature wrapping" in e for e in response.errors)


def test_without_certificates_nothing_is_trusted(sample_xml: Callable[[str], bytes]) -> None:
    response = parse_saml(sample_xml("onelogin_crewjam_2016.xml.b64"))
    assert isinstance(response, Response)
    assert response.trusted is False
    assert [c.reason for c in response.signatures] == ["no trusted certificates supplied (digest matches)"]


def test_wrong_certificate_does_not_verify(
    sample_xml: Callable[[str], bytes], sample_certs: Callable[[str | None], list[x509.Certificate]]
) -> None:
    wrong = sample_certs("entra_2021_netsaml2_issue49.idp-cert.pem")
    response = parse_saml(sample_xml("onelogin_crewjam_2016.xml.b64"), trusted_certs=wrong)
    assert isinstance(response, Response) and not response.trusted
    assert response.signatures[0].reason == "no trusted certificate verifies the signature"
    # Several trusted certificates: the matching one is found and reported.
    right = sample_certs("onelogin_crewjam_2016.idp-cert.pem")
    response = parse_saml(sample_xml("onelogin_crewjam_2016.xml.b64"), trusted_certs=wrong + right)
    assert isinstance(response, Response) and response.trusted
    assert response.signatures[0].certificate_sha256 == right[0].fingerprint(hashes.SHA256()).hex()


def test_onelogin_fields_and_time_window(
    sample_xml: Callable[[str], bytes], sample_certs: Callable[[str | None], list[x509.Certificate]]
) -> None:
    certs = sample_certs("onelogin_crewjam_2016.idp-cert.pem")
    at_capture = parse_saml(
        sample_xml("onelogin_crewjam_2016.xml.b64"),
        trusted_certs=certs,
        now=datetime(2016, 1, 5, 17, 53, 12, tzinfo=UTC),
    )
    assert isinstance(at_capture, Response)
    assert at_capture.trusted and at_capture.errors == ()
    assert at_capture.status is not None and at_capture.status.ok
    assertion = at_capture.assertion
    assert assertion is not None
    assert assertion.name_id is not None and assertion.name_id.value == "ross@kndr.org"
    assert assertion.audiences == ("https://29ee6d2e.ngrok.io/saml/metadata",)
    assert assertion.recipient == "https://29ee6d2e.ngrok.io/saml/acs"
    assert assertion.attributes["User.email"] == ("ross@kndr.org",)
    assert assertion.not_on_or_after == datetime(2016, 1, 5, 17, 56, 11, tzinfo=UTC)

    later = parse_saml(sample_xml("onelogin_crewjam_2016.xml.b64"), trusted_certs=certs, now=CLOCK)
    assert isinstance(later, Response) and later.trusted
    assert (
        f"Assertion {assertion.id}: Conditions NotOnOrAfter 2016-01-05T17:56:11Z "
        "is before the evaluation time 2024-01-01T00:00:00Z"
    ) in later.errors
    assert any("SubjectConfirmationData NotOnOrAfter" in e for e in later.errors)

    early = parse_saml(
        sample_xml("onelogin_crewjam_2016.xml.b64"), trusted_certs=certs, now=datetime(2016, 1, 1, tzinfo=UTC)
    )
    assert isinstance(early, Response)
    assert any("Conditions NotBefore" in e and "not yet valid" in e for e in early.errors)


def test_okta_encrypted_sample_is_reported_not_decrypted(
    sample_xml: Callable[[str], bytes], sample_certs: Callable[[str | None], list[x509.Certificate]]
) -> None:
    response = _decode(
        "okta_signed_response_encrypted_assertion.xml.b64",
        "okta_signed_response_encrypted_assertion.idp-cert.pem",
        sample_xml,
        sample_certs,
    )
    assert response.encrypted and response.assertions == () and response.assertion is None
    assert response.issuer == "http://www.okta.com/exkppsa1qwuFV4D7z0h7"


def test_status_with_sub_codes_and_message(sample_xml: Callable[[str], bytes]) -> None:
    response = parse_saml(sample_xml("adfs_mintlab_failed_status.xml"))
    assert isinstance(response, Response) and response.status is not None
    assert response.status.code == "main status"
    assert response.status.sub_codes == ("sub status",)
    assert response.status.message == "Authentication Failed"
    assert response.status.ok is False


def test_entra_utf8_and_adfs_claims(sample_xml: Callable[[str], bytes]) -> None:
    entra = parse_saml(sample_xml("entra_2021_netsaml2_issue49.xml"))
    assert isinstance(entra, Response) and entra.assertion is not None
    assert entra.assertion.attributes["http://schemas.microsoft.com/identity/claims/displayname"] == (
        "パスワードをお忘れの方",
    )
    aws = parse_saml(sample_xml("entra_saml2aws_aws_sanitised.xml"))
    assert isinstance(aws, Response) and aws.assertion is not None
    assert aws.destination == "https://signin.aws.amazon.com/saml"
    assert "https://aws.amazon.com/SAML/Attributes/Role" in aws.assertion.attributes
    adfs = parse_saml(sample_xml("adfs_mintlab_plain.xml"))
    assert isinstance(adfs, Response) and adfs.assertion is not None
    assert adfs.assertion.audiences == ("TestUPN",)
    assert adfs.assertion.issue_instant is not None and adfs.assertion.issue_instant.tzinfo is not None


@pytest.mark.parametrize("name", [v[0] for v in VERDICTS])
def test_every_sample_decodes_through_decode_any(name: str, sample_raw: Callable[[str], bytes]) -> None:
    message = decode_any(sample_raw(name), now=CLOCK)
    assert isinstance(message, Response)


def test_embedded_double_encoded_certificate_is_readable(
    sample_xml: Callable[[str], bytes], sample_certs: Callable[[str | None], list[x509.Certificate]]
) -> None:
    from sso_harness.protocols.xml.safe import parse_xml
    from sso_harness.protocols.xml.dsig import DS_NS, certificate_from_keyinfo_text

    root = parse_xml(sample_xml("adfs_rubysaml_sha256.xml"), where="XML")
    text = root.find(f".//{{{DS_NS}}}X509Certificate").text  # type: ignore[union-attr]
    embedded = certificate_from_keyinfo_text(text or "")
    assert embedded == sample_certs("adfs_rubysaml_sha256.idp-cert.pem")[0]
    with pytest.raises(DecodeError):
        certificate_from_keyinfo_text("dfghjkl")
