"""Our XML-DSig signer against our verifier and against xmlsec1.

xmlsec1 is used only as an independent oracle; the implementation never
shells out to it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography import x509
from lxml import etree

from sso_harness.protocols import DecodeError, Response, SigningError, parse_saml
from sso_harness.protocols.xml import dsig
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.xml.dsig.keys import PrivateKey

KeyPair = tuple[PrivateKey, x509.Certificate]
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
XMLSEC1 = "/usr/bin/xmlsec1"


def signed_response(
    response_xml: Callable[..., str],
    pair: KeyPair,
    *,
    sign_assertion: bool = True,
    sign_response: bool = False,
    **options: str,
) -> bytes:
    key, cert = pair
    root = parse_xml(response_xml(), where="XML")
    if sign_assertion:
        dsig.sign_element(root.find(f"{{{SAML}}}Assertion"), key, cert, **options)  # type: ignore[arg-type]
    if sign_response:
        dsig.sign_element(root, key, cert, **options)  # type: ignore[arg-type]
    return etree.tostring(root)


def xmlsec1_verify(tmp_path: Path, document: bytes, cert_pem: bytes) -> subprocess.CompletedProcess[str]:
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    (tmp_path / "file.xml").write_bytes(document)
    return subprocess.run(
        [
            XMLSEC1,
            "--verify",
            "--pubkey-cert-pem",
            str(tmp_path / "cert.pem"),
            "--id-attr:ID",
            f"{SAML}:Assertion",
            "--id-attr:ID",
            f"{SAMLP}:Response",
            str(tmp_path / "file.xml"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


needs_xmlsec1 = pytest.mark.skipif(not Path(XMLSEC1).exists(), reason="xmlsec1 not installed")


def test_sign_verify_round_trip_assertion(response_xml: Callable[..., str], rsa_pair: KeyPair) -> None:
    document = signed_response(response_xml, rsa_pair)
    message = parse_saml(document, trusted_certs=[rsa_pair[1]])
    assert isinstance(message, Response)
    (check,) = message.signatures
    assert check.valid and check.covers == "Assertion" and check.covers_id == "_a1"
    assert check.algorithm == dsig.RSA_SHA256 and check.digest_algorithm == dsig.SHA256
    assert message.trusted and message.assertion is not None and message.assertion.signed
    # Schema order (SAML core §5.4.2): Signature directly after Issuer.
    assertion = parse_xml(document, where="XML").find(f"{{{SAML}}}Assertion")
    assert [etree.QName(c).localname for c in assertion][:3] == ["Issuer", "Signature", "Subject"]  # type: ignore[union-attr]


def test_sign_verify_round_trip_response_and_assertion(response_xml: Callable[..., str], rsa_pair: KeyPair) -> None:
    document = signed_response(response_xml, rsa_pair, sign_response=True)
    message = parse_saml(document, trusted_certs=[rsa_pair[1]])
    assert isinstance(message, Response)
    assert [(c.covers, c.valid) for c in message.signatures] == [("Response", True), ("Assertion", True)]
    assert message.trusted and message.errors == ()


ALGORITHMS = [
    ("rsa", dsig.RSA_SHA1, dsig.SHA1),
    ("rsa", dsig.RSA_SHA224, dsig.SHA224),
    ("rsa", dsig.RSA_SHA256, dsig.SHA256),
    ("rsa", dsig.RSA_SHA384, dsig.SHA384),
    ("rsa", dsig.RSA_SHA512, dsig.SHA512),
    ("ec", dsig.ECDSA_SHA1, dsig.SHA256),
    ("ec", dsig.ECDSA_SHA256, dsig.SHA256),
    ("ec384", dsig.ECDSA_SHA384, dsig.SHA384),
    ("ec384", dsig.ECDSA_SHA512, dsig.SHA512),
]


@pytest.fixture
def pairs(rsa_pair: KeyPair, ec_pair: KeyPair, ec384_pair: KeyPair) -> dict[str, KeyPair]:
    return {"rsa": rsa_pair, "ec": ec_pair, "ec384": ec384_pair}


@needs_xmlsec1
@pytest.mark.parametrize(("family", "method", "digest"), ALGORITHMS, ids=[a[1].rpartition("#")[2] for a in ALGORITHMS])
def test_algorithms_verify_here_and_in_xmlsec1(
    family: str,
    method: str,
    digest: str,
    pairs: dict[str, KeyPair],
    response_xml: Callable[..., str],
    pem: Callable[[x509.Certificate], bytes],
    tmp_path: Path,
) -> None:
    pair = pairs[family]
    document = signed_response(response_xml, pair, signature_algorithm=method, digest_algorithm=digest)
    (check,) = dsig.verify_signatures(parse_xml(document, where="XML"), [pair[1]])
    assert check.valid, check.reason
    result = xmlsec1_verify(tmp_path, document, pem(pair[1]))
    assert result.returncode == 0, result.stderr


def test_rsa_pss_round_trip(response_xml: Callable[..., str], rsa_pair: KeyPair) -> None:
    # xmlsec1 1.2 has no RSA-PSS; our own round trip only.
    document = signed_response(response_xml, rsa_pair, signature_algorithm=dsig.RSA_PSS_SHA256)
    (check,) = dsig.verify_signatures(parse_xml(document, where="XML"), [rsa_pair[1]])
    assert check.valid, check.reason


@needs_xmlsec1
def test_xmlsec1_cross_check_and_tamper(
    response_xml: Callable[..., str], rsa_pair: KeyPair, pem: Callable[[x509.Certificate], bytes], tmp_path: Path
) -> None:
    document = signed_response(response_xml, rsa_pair)
    assert xmlsec1_verify(tmp_path, document, pem(rsa_pair[1])).returncode == 0
    tampered = document.replace(b"alice@example.com</saml:NameID>", b"mallory@example.com</saml:NameID>")
    assert xmlsec1_verify(tmp_path, tampered, pem(rsa_pair[1])).returncode != 0


def _xmlsec1_sign(tmp_path: Path, template: bytes, key_pem: bytes) -> bytes:
    (tmp_path / "key.pem").write_bytes(key_pem)
    (tmp_path / "template.xml").write_bytes(template)
    result = subprocess.run(
        [
            XMLSEC1,
            "--sign",
            "--privkey-pem",
            str(tmp_path / "key.pem"),
            "--id-attr:ID",
            f"{SAML}:Assertion",
            str(tmp_path / "template.xml"),
        ],
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@needs_xmlsec1
@pytest.mark.parametrize(
    ("c14n", "prefixes"),
    [
        (dsig.EXC_C14N, None),
        (dsig.EXC_C14N, "xs #default"),
        (dsig.C14N, None),
        (dsig.C14N_WITH_COMMENTS, None),
        (dsig.EXC_C14N_WITH_COMMENTS, None),
    ],
)
def test_xmlsec1_signed_documents_verify_here(
    c14n: str,
    prefixes: str | None,
    response_xml: Callable[..., str],
    rsa_pair: KeyPair,
    private_pem: Callable[[PrivateKey], bytes],
    pem: Callable[[x509.Certificate], bytes],
    tmp_path: Path,
) -> None:
    """Templates signed by xmlsec1 (the oracle) verify with our verifier, and
    the same templates signed by us verify with xmlsec1 — for inclusive and
    exclusive canonicalisation, with and without an InclusiveNamespaces list.
    The message carries a comment so the *WithComments* rules are exercised."""
    key, cert = rsa_pair
    root = parse_xml(response_xml().replace("<saml:Subject>", "<saml:Subject><!-- note -->"), where="XML")
    assertion = root.find(f"{{{SAML}}}Assertion")
    signature = dsig.sign_element(assertion, key, cert)  # type: ignore[arg-type]
    signature.find(f"{{{dsig.DS_NS}}}SignedInfo/{{{dsig.DS_NS}}}CanonicalizationMethod").set("Algorithm", c14n)  # type: ignore[union-attr]
    transform = signature.findall(f".//{{{dsig.DS_NS}}}Transform")[1]
    transform.set("Algorithm", c14n)
    if prefixes:
        etree.SubElement(transform, f"{{{dsig.EXC_C14N_NS}}}InclusiveNamespaces", PrefixList=prefixes)
    for value in signature.iter(f"{{{dsig.DS_NS}}}DigestValue", f"{{{dsig.DS_NS}}}SignatureValue"):
        value.text = None
    template = etree.tostring(root)

    by_xmlsec1 = _xmlsec1_sign(tmp_path, template, private_pem(key))
    (check,) = dsig.verify_signatures(parse_xml(by_xmlsec1, where="XML"), [cert])
    assert check.valid, check.reason

    dsig.sign_template(root, signature, key)
    ours = etree.tostring(root)
    assert xmlsec1_verify(tmp_path, ours, pem(cert)).returncode == 0
    assert dsig.verify_signatures(parse_xml(ours, where="XML"), [cert])[0].valid


@needs_xmlsec1
def test_sign_statement_xml_with_pysaml2_template(
    rsa_pair: KeyPair, pem: Callable[[x509.Certificate], bytes], tmp_path: Path
) -> None:
    from saml2 import saml, samlp
    from saml2 import xmldsig as pysaml2_ds
    from saml2.s_utils import success_status_factory
    from saml2.sigver import pre_signature_part

    key, cert = rsa_pair
    assertion = saml.Assertion(
        id="id-assertion-1",
        version="2.0",
        issue_instant="2024-05-01T10:00:00Z",
        issuer=saml.Issuer(text="https://idp.example/"),
        subject=saml.Subject(name_id=saml.NameID(text="alice@example.com")),
        signature=pre_signature_part(
            "id-assertion-1", None, 1, sign_alg=pysaml2_ds.SIG_RSA_SHA256, digest_alg=pysaml2_ds.DIGEST_SHA256
        ),
    )
    response = samlp.Response(
        id="id-response-1",
        version="2.0",
        issue_instant="2024-05-01T10:00:00Z",
        issuer=saml.Issuer(text="https://idp.example/"),
        status=success_status_factory(),
        assertion=assertion,
    )
    signed = dsig.sign_statement_xml(str(response), f"{SAML}:Assertion", "id-assertion-1", key)
    assert isinstance(signed, str) and "\n  <" not in signed
    message = parse_saml(signed, trusted_certs=[cert])
    assert isinstance(message, Response) and message.trusted
    assert message.assertion is not None and message.assertion.signed
    assert message.assertion.name_id is not None and message.assertion.name_id.value == "alice@example.com"
    result = xmlsec1_verify(tmp_path, signed.encode(), pem(cert))
    assert result.returncode == 0, result.stderr
    # node_id=None signs the first element of that name.
    assert dsig.sign_statement_xml(str(response), f"{SAML}:Assertion", None, key) == signed


def test_sign_statement_xml_errors(rsa_pair: KeyPair, response_xml: Callable[..., str], ec_pair: KeyPair) -> None:
    key, _ = rsa_pair
    with pytest.raises(SigningError, match="no element"):
        dsig.sign_statement_xml(response_xml(), f"{SAML}:Assertion", "nope", key)
    with pytest.raises(SigningError, match="expected one ds:Signature template"):
        dsig.sign_statement_xml(response_xml(), f"{SAML}:Assertion", "_a1", key)
    with pytest.raises(SigningError, match="cannot sign"):
        dsig.sign_statement_xml("<a", f"{SAML}:Assertion", None, key)
    root = parse_xml(response_xml(), where="XML")
    with pytest.raises(SigningError, match="cannot produce"):
        dsig.sign_element(root, ec_pair[0], ec_pair[1])  # default RSA-SHA256 with an EC key
    assert root.find(f"{{{dsig.DS_NS}}}Signature") is None  # left unchanged


TAMPERS = [
    (b"alice@example.com</saml:NameID>", b"alice@example.co</saml:NameID>"),
    (b">admins<", b">root<"),
    (b"<saml:Audience>https://sp.example/</saml:Audience>", b"<saml:Audience>https://evil.example/</saml:Audience>"),
    (b'NotOnOrAfter="2024-05-01T10:05:00Z">', b'NotOnOrAfter="2034-05-01T10:05:00Z">'),
    (b'Recipient="https://sp.example/acs"', b'Recipient="https://evil.example/acs"'),
    (b'<saml:Attribute Name="mail">', b'<saml:Attribute Name="mail"><!-- x -->'),
    (b"ac:classes:Password<", b"ac:classes:Kerberos<"),
]


@pytest.mark.parametrize(("old", "new"), TAMPERS, ids=[t[1].decode()[:24] for t in TAMPERS])
def test_tampering_any_signed_value_invalidates(
    old: bytes, new: bytes, response_xml: Callable[..., str], rsa_pair: KeyPair
) -> None:
    document = signed_response(response_xml, rsa_pair)
    assert old in document
    message = parse_saml(document.replace(old, new, 1), trusted_certs=[rsa_pair[1]])
    assert isinstance(message, Response)
    if b"<!--" in new:
        # Comments are outside the signed node-set (XML-DSig §4.3.3.3) and the
        # decoder reads full text, so an injected comment changes nothing.
        assert message.trusted
        return
    assert message.signatures[0].reason == "digest mismatch"
    assert not message.trusted


def test_tampering_signature_fields_invalidates(response_xml: Callable[..., str], rsa_pair: KeyPair) -> None:
    document = signed_response(response_xml, rsa_pair)
    root = parse_xml(document, where="XML")
    value = root.find(f".//{{{dsig.DS_NS}}}SignatureValue")
    assert value is not None and value.text
    value.text = ("B" if value.text[0] == "A" else "A") + value.text[1:]
    (check,) = dsig.verify_signatures(root, [rsa_pair[1]])
    assert check.reason == "no trusted certificate verifies the signature"

    root = parse_xml(document, where="XML")
    method = root.find(f".//{{{dsig.DS_NS}}}SignatureMethod")
    method.set("Algorithm", dsig.RSA_SHA512)  # type: ignore[union-attr]
    assert not dsig.verify_signatures(root, [rsa_pair[1]])[0].valid

    root = parse_xml(document, where="XML")
    reference = root.find(f".//{{{dsig.DS_NS}}}Reference")
    transform = etree.SubElement(reference.find(f"{{{dsig.DS_NS}}}Transforms"), f"{{{dsig.DS_NS}}}Transform")  # type: ignore[union-attr, arg-type]
    transform.set("Algorithm", "http://www.w3.org/TR/1999/REC-xpath-19991116")
    check = dsig.verify_signatures(root, [rsa_pair[1]])[0]
    assert not check.valid and check.reason is not None and "unsupported transform" in check.reason


def test_keyinfo_certificate_is_never_trusted(
    response_xml: Callable[..., str], rsa_pair: KeyPair, other_rsa_pair: KeyPair
) -> None:
    # The attacker signs with their own key and embeds their own certificate.
    forged = signed_response(response_xml, other_rsa_pair)
    message = parse_saml(forged, trusted_certs=[rsa_pair[1]])
    assert isinstance(message, Response) and not message.trusted
    assert message.signatures[0].reason == "no trusted certificate verifies the signature"


def _wrap(document: bytes, *, evil_id: str, keep_original_as: str) -> bytes:
    """Build an XSW-style document: an evil first assertion, the signed
    original either as second assertion or hidden in Extensions."""
    root = parse_xml(document, where="XML")
    original = root.find(f"{{{SAML}}}Assertion")
    assert original is not None
    evil = parse_xml(etree.tostring(original), where="XML")
    evil.set("ID", evil_id)
    for signature in evil.findall(f"{{{dsig.DS_NS}}}Signature"):
        evil.remove(signature)
    name_id = evil.find(f".//{{{SAML}}}NameID")
    name_id.text = "admin@example.com"  # type: ignore[union-attr]
    index = root.index(original)
    if keep_original_as == "extensions":
        root.remove(original)
        extensions = etree.Element(f"{{{SAMLP}}}Extensions")
        extensions.append(original)
        root.insert(1, extensions)
        root.append(evil)
    else:
        root.insert(index, evil)
    return etree.tostring(root)


@pytest.mark.parametrize("placement", ["second-assertion", "extensions"])
def test_wrapped_signed_assertion_is_not_trusted(
    placement: str, response_xml: Callable[..., str], rsa_pair: KeyPair
) -> None:
    document = _wrap(signed_response(response_xml, rsa_pair), evil_id="_evil", keep_original_as=placement)
    message = parse_saml(document, trusted_certs=[rsa_pair[1]])
    assert isinstance(message, Response)
    assert message.signatures[0].valid  # the moved signature itself still checks out…
    assert message.assertion is not None and message.assertion.id == "_evil"
    assert message.assertion.name_id is not None and message.assertion.name_id.value == "admin@example.com"
    assert not message.assertion.signed and not message.trusted  # …but covers nothing we report
    assert any("possible signature wrapping" in e for e in message.errors)


def test_duplicate_ids_invalidate(response_xml: Callable[..., str], rsa_pair: KeyPair) -> None:
    document = _wrap(signed_response(response_xml, rsa_pair), evil_id="_a1", keep_original_as="second-assertion")
    message = parse_saml(document, trusted_certs=[rsa_pair[1]])
    assert isinstance(message, Response)
    (check,) = message.signatures
    assert not check.valid and check.reason == "reference ID '_a1' appears 2 times"
    assert not message.trusted


def test_signature_moved_to_response_still_authenticates_assertion(
    response_xml: Callable[..., str], rsa_pair: KeyPair
) -> None:
    """A detached (non-enveloping) signature elsewhere in the same document
    still vouches for exactly the referenced assertion — nothing more."""
    root = parse_xml(signed_response(response_xml, rsa_pair), where="XML")
    signature = root.find(f".//{{{dsig.DS_NS}}}Signature")
    assert signature is not None
    root.insert(1, signature)
    message = parse_saml(etree.tostring(root), trusted_certs=[rsa_pair[1]])
    assert isinstance(message, Response)
    assert message.signatures[0].valid and message.signatures[0].covers == "Assertion"
    assert message.trusted and message.assertion is not None and message.assertion.signed


def test_verify_leaves_the_tree_intact(response_xml: Callable[..., str], rsa_pair: KeyPair) -> None:
    document = signed_response(response_xml, rsa_pair, sign_response=True)
    root = parse_xml(document, where="XML")
    assert all(c.valid for c in dsig.verify_signatures(root, [rsa_pair[1]]))
    assert etree.tostring(root) == document


def test_structural_problems_are_reported_not_raised(response_xml: Callable[..., str], rsa_pair: KeyPair) -> None:
    document = signed_response(response_xml, rsa_pair)
    cases = {
        b'URI="#_a1"': (b'URI=""', "is not a same-document '#id' reference"),
        b"<ds:SignatureValue>": (b"<ds:SignatureValue>!!", "not valid base64"),
        b"<ds:DigestMethod Algorithm": (b'<ds:DigestMethod Algorithm="urn:md5" X', "unsupported digest method"),
    }
    for old, (new, reason) in cases.items():
        assert old in document
        (check,) = dsig.verify_signatures(parse_xml(document.replace(old, new, 1), where="XML"), [rsa_pair[1]])
        assert not check.valid and check.reason is not None and reason in check.reason, check.reason
    root = parse_xml(document, where="XML")
    signed_info = root.find(f".//{{{dsig.DS_NS}}}SignedInfo")
    signed_info.append(parse_xml(etree.tostring(signed_info.find(f"{{{dsig.DS_NS}}}Reference")), where="x"))  # type: ignore[union-attr, arg-type]
    (check,) = dsig.verify_signatures(root, [rsa_pair[1]])
    assert check.reason == "expected exactly one Reference, found 2"


def test_load_certificates_variants(
    rsa_pair: KeyPair, ec_pair: KeyPair, pem: Callable[[x509.Certificate], bytes]
) -> None:
    from cryptography.hazmat.primitives import serialization

    bundle = b"issuer bundle\n" + pem(rsa_pair[1]) + b"\n" + pem(ec_pair[1])
    assert dsig.load_certificates(bundle) == [rsa_pair[1], ec_pair[1]]
    der = rsa_pair[1].public_bytes(serialization.Encoding.DER)
    assert dsig.load_certificates(der) == [rsa_pair[1]]
    import base64

    assert dsig.load_certificates(base64.encodebytes(der)) == [rsa_pair[1]]
    with pytest.raises(DecodeError):
        dsig.load_certificates(b"not a certificate")


def test_signature_count_is_capped(response_xml: Callable[..., str], rsa_pair: KeyPair) -> None:
    root = parse_xml(signed_response(response_xml, rsa_pair), where="XML")
    signature = root.find(f".//{{{dsig.DS_NS}}}Signature")
    for _ in range(30):
        root.append(parse_xml(etree.tostring(signature), where="x"))  # type: ignore[arg-type]
    checks = dsig.verify_signatures(root, [rsa_pair[1]])
    assert len(checks) == 31 and checks[0].valid
    assert checks[-1].reason is not None and checks[-1].reason.startswith("not checked")
