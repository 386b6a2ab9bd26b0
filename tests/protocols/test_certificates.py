"""Certificate reporting: CertificateInfo, expiry warnings, rollover with
several trusted certificates, KeyInfo certificates you do not trust."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa

from sso_harness.protocols import (
    CertificateInfo,
    Response,
    certificate_info,
    expiry_warnings,
    parse_saml,
    to_json,
)
from .protocol_builders import fixed_pair, sign, to_bytes

KeyPair = tuple[rsa.RSAPrivateKey, x509.Certificate]


def test_certificate_info_fields() -> None:
    _, cert = fixed_pair("idp-old")
    info = certificate_info(cert)
    assert info.subject == "O=sso-harness test only,CN=idp-old.test-only.example"
    assert info.issuer == info.subject and info.self_signed
    assert info.sha256_fingerprint == cert.fingerprint(hashes.SHA256()).hex()
    assert info.sha1_fingerprint == cert.fingerprint(hashes.SHA1()).hex()
    assert int(info.serial_hex, 16) == cert.serial_number
    assert (info.not_before, info.not_after) == (datetime(2020, 1, 1, tzinfo=UTC), datetime(2025, 6, 30, tzinfo=UTC))
    assert (info.key_type, info.key_bits) == ("RSA", 2048)


def test_expiry_warnings(ec_pair: tuple[object, x509.Certificate]) -> None:
    _, cert = fixed_pair("idp-old")
    end = datetime(2025, 6, 30, tzinfo=UTC)
    short = certificate_info(cert).short()
    assert expiry_warnings([cert], end - timedelta(days=12)) == [f"certificate {short}: expires in 12 days (2025-06-30)"]
    assert expiry_warnings([cert], end - timedelta(days=31)) == []
    assert expiry_warnings([cert], end - timedelta(days=31), horizon=timedelta(days=40)) != []
    assert expiry_warnings([cert], end - timedelta(hours=3))[0].endswith("expires today (2025-06-30)")
    assert expiry_warnings([cert], end + timedelta(days=1)) == [f"certificate {short}: expired on 2025-06-30"]
    assert expiry_warnings([cert], datetime(2019, 1, 1)) == [f"certificate {short}: not yet valid (from 2020-01-01)"]
    assert certificate_info(ec_pair[1]).key_type == "EC P-256"


def _signed_by(name: str, response_xml: Callable[..., str], embed: x509.Certificate | None = None) -> bytes:
    key, cert = fixed_pair(name)
    return to_bytes(sign(response_xml(), key, embed or cert))


def test_rollover_with_old_and_new_trusted(response_xml: Callable[..., str]) -> None:
    _, old = fixed_pair("idp-old")
    _, new = fixed_pair("idp-new")
    when = datetime(2025, 6, 1, tzinfo=UTC)  # during the overlap, 29 days before old expires
    for signer, index, cert in (("idp-new", 1, new), ("idp-old", 0, old)):
        response = parse_saml(_signed_by(signer, response_xml), trusted_certs=[old, new], now=when)
        assert isinstance(response, Response) and response.trusted
        (check,) = response.signatures
        assert check.certificate_sha256 == cert.fingerprint(hashes.SHA256()).hex()
        assert check.certificate_index == index  # type: ignore[attr-defined]
        assert check.certificate_subject == certificate_info(cert).subject  # type: ignore[attr-defined]
        assert response.certificates[0] == certificate_info(cert)
        view = to_json(response)
        assert view["signatures"][0]["certificate_index"] == index
        assert view["certificates"][0]["verified_signature"] and view["certificates"][0]["embedded"]
    old_signed = parse_saml(_signed_by("idp-old", response_xml), trusted_certs=[old, new], now=when)
    assert isinstance(old_signed, Response)
    assert f"certificate {certificate_info(old).short()}: expires in 29 days (2025-06-30)" in old_signed.warnings
    quiet = parse_saml(
        _signed_by("idp-old", response_xml), trusted_certs=[old, new], now=when, cert_horizon=timedelta(days=7)
    )
    assert isinstance(quiet, Response) and not any("expires" in w for w in quiet.warnings)
    only_old = parse_saml(_signed_by("idp-new", response_xml), trusted_certs=[old], now=when)
    assert isinstance(only_old, Response) and not only_old.trusted


def test_keyinfo_certificate_you_do_not_trust(response_xml: Callable[..., str]) -> None:
    _, old = fixed_pair("idp-old")
    _, new = fixed_pair("idp-new")
    # The IdP rolled over to "new" but only "old" is trusted: a missed rollover.
    response = parse_saml(_signed_by("idp-new", response_xml), trusted_certs=[old])
    assert isinstance(response, Response) and not response.trusted
    (warning,) = [w for w in response.warnings if "KeyInfo" in w]
    assert "the IdP signs with a certificate you do not trust: likely a missed rollover" in warning
    assert certificate_info(new).short() in warning
    embedded = response.signatures[0].embedded_certificates  # type: ignore[attr-defined]
    assert embedded == (certificate_info(new),) and isinstance(embedded[0], CertificateInfo)
    view = to_json(response)
    assert view["certificates"][0]["sha256_fingerprint"] == certificate_info(new).sha256_fingerprint
    assert view["certificates"][0]["verified_signature"] is False and view["certificates"][0]["embedded"] is True
    # Signed by a trusted key but KeyInfo shows another certificate: informational only.
    odd = parse_saml(_signed_by("idp-old", response_xml, embed=new), trusted_certs=[old])
    assert isinstance(odd, Response) and odd.trusted
    assert any("none of your trusted certificates (informational)" in w for w in odd.warnings)
    # Nothing trusted supplied: no claim about rollovers can be made.
    assert not any("KeyInfo" in w for w in parse_saml(_signed_by("idp-new", response_xml)).warnings)  # type: ignore[union-attr]
