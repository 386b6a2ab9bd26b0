"""Golden JSON views of messages we build with fixed keys, IDs and clock.

Each test compares ``to_json`` of the decoded message with
``golden/<test name>.json``.  RSA PKCS#1 v1.5 signatures are deterministic,
so for signed (unencrypted) messages the SHA-256 of the signed XML is
pinned too.  Encrypted messages differ on every run (OAEP and the content
key are random); their *decrypted* view does not.

Regenerate after an intended change with ``SSO_HARNESS_UPDATE_GOLDEN=1``
and review the diff.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


from sso_harness.protocols import (
    decode_post,
    decode_redirect,
    decode_wsfed,
    encrypt_assertion,
    parse_saml,
    to_json,
)
from sso_harness.protocols.saml import encode_artifact
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.xml.dsig import RSA_SHA1, SHA1
from sso_harness.protocols.xml.enc.algorithms import AES256_GCM, MGF1_SHA256, RSA_OAEP
from .protocol_builders import SAML, fixed_pair, logout_request, rstr, sign, signed_redirect_query, signed_saml11, to_bytes

GOLDEN = Path(__file__).resolve().parent / "golden"
NOW = datetime(2025, 6, 1, tzinfo=UTC)


def check_golden(name: str, view: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.json"
    text = json.dumps(view, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("SSO_HARNESS_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with SSO_HARNESS_UPDATE_GOLDEN=1 and review it"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text), f"{path.name} differs"


def _trusted() -> list[Any]:
    return [fixed_pair("idp-old")[1], fixed_pair("idp-new")[1]]


def test_golden_signed_response_rollover(response_xml: Callable[..., str]) -> None:
    key, cert = fixed_pair("idp-new")
    xml = to_bytes(sign(response_xml(), key, cert))
    view = to_json(parse_saml(xml, trusted_certs=_trusted(), now=NOW))
    view["_signed_xml_sha256"] = hashlib.sha256(xml).hexdigest()
    check_golden("test_golden_signed_response_rollover", view)


def test_golden_weak_sha1_signature_by_old_certificate(response_xml: Callable[..., str]) -> None:
    key, cert = fixed_pair("idp-old")
    root = parse_xml(response_xml(), where="test")
    assertion = root.find(f"{{{SAML}}}Assertion")
    assert assertion is not None
    sign(assertion, key, cert, algorithm=RSA_SHA1, digest=SHA1)
    xml = to_bytes(root)
    view = to_json(parse_saml(xml, trusted_certs=_trusted(), now=NOW))
    view["_signed_xml_sha256"] = hashlib.sha256(xml).hexdigest()
    check_golden("test_golden_weak_sha1_signature_by_old_certificate", view)


def test_golden_encrypted_signed_assertion(response_xml: Callable[..., str]) -> None:
    old_key, old_cert = fixed_pair("idp-old")
    new_key, new_cert = fixed_pair("idp-new")
    sp_key, sp_cert = fixed_pair("sp")
    root = parse_xml(response_xml(), where="test")
    assertion = root.find(f"{{{SAML}}}Assertion")
    assert assertion is not None
    sign(assertion, old_key, old_cert)
    ids = iter(["_data-1", "_key-1"])
    encrypted = encrypt_assertion(
        assertion, sp_cert, data_algorithm=AES256_GCM, key_transport=RSA_OAEP, oaep_digest=None, mgf=MGF1_SHA256,
        key_placement="retrieval", new_id=lambda: next(ids),
    )
    root.replace(assertion, encrypted)
    sign(root, new_key, new_cert)
    check_golden(
        "test_golden_encrypted_signed_assertion",
        to_json(parse_saml(to_bytes(root), trusted_certs=_trusted(), sp_keys=[sp_key], now=NOW)),
    )


def test_golden_logout_request_redirect() -> None:
    key, _ = fixed_pair("idp-new")
    query = signed_redirect_query(logout_request().encode(), key, relay_state="https://sp.example/after")
    check_golden("test_golden_logout_request_redirect", to_json(decode_redirect(query, trusted_certs=_trusted(), now=NOW)))


def test_golden_failed_status_with_aadsts() -> None:
    xml = (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_f" Version="2.0" IssueInstant="2025-06-01T00:00:00Z" '
        'InResponseTo="_req"><saml:Issuer>https://sts.windows.net/00000000-0000-0000-0000-000000000000/</saml:Issuer>'
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Requester">'
        '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:RequestDenied"/></samlp:StatusCode>'
        "<samlp:StatusMessage>AADSTS50105: Your administrator has configured the application to block users "
        "unless they are specifically granted access.</samlp:StatusMessage></samlp:Status></samlp:Response>"
    )
    check_golden("test_golden_failed_status_with_aadsts", to_json(parse_saml(xml, now=NOW)))


def test_golden_artifact() -> None:
    value = encode_artifact("https://idp.example/metadata", bytes(range(100, 120)), endpoint_index=2)
    check_golden("test_golden_artifact", to_json(decode_post({"SAMLart": value, "RelayState": "rs"})))


def test_golden_wsfed_saml11_signin_response() -> None:
    key, cert = fixed_pair("idp-new")
    wresult = rstr(signed_saml11(key, cert), version="1.3", collection=True)
    params = {"wa": "wsignin1.0", "wresult": wresult, "wctx": "rm=0&id=p"}
    view = to_json(decode_wsfed(params, trusted_certs=_trusted(), now=datetime(2024, 5, 1, 10, 30, tzinfo=UTC)))
    view["_wresult_sha256"] = hashlib.sha256(wresult.encode()).hexdigest()
    check_golden("test_golden_wsfed_saml11_signin_response", view)


def test_golden_files_are_all_used() -> None:
    names = {p.stem for p in GOLDEN.glob("*.json")}
    tests = {name for name in globals() if name.startswith("test_golden_") and name != "test_golden_files_are_all_used"}
    assert names <= tests, f"stale golden files: {sorted(names - tests)}"


