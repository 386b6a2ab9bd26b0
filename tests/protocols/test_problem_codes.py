"""Validation problems carry stable codes; their messages read as before.

Each test pins the code a given defect yields, so callers (expectations,
diagnosis rules, reports) can match on the code and never on the wording.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime
from typing import get_args
from urllib.parse import parse_qsl

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from sso_harness.protocols import (
    AuthnRequest,
    LogoutResponse,
    Response,
    WsFedSignInRequest,
    WsFedSignInResponse,
    decode_post,
    decode_redirect,
    decode_wsfed,
    parse_saml,
    to_json,
)
from sso_harness.protocols import problems
from sso_harness.protocols.problems import (
    SAML_NOT_BEFORE,
    SAML_NOT_ON_OR_AFTER,
    SAML_NOT_TRUSTED,
    SAML_SIGNATURE_INVALID,
    SAML_SIGNATURE_WRAPPING,
    SAML_STATUS_MISSING,
    SAML_SUBJECT_NOT_ON_OR_AFTER,
    TIME_WINDOW_CODES,
    WSFED_NOT_TRUSTED,
    WSFED_WTREALM_MISSING,
    Problem,
    ProblemCode,
)
from sso_harness.protocols.xml.dsig.verify import (
    DSIG_DIGEST_MISMATCH,
    DSIG_NO_TRUST_ANCHORS,
    DSIG_UNTRUSTED_KEY,
    DSIG_UNVERIFIABLE,
)
from .protocol_builders import LOGOUT_RESPONSE, rstr, sign, signed_redirect_query, signed_saml11, to_bytes

KeyPair = tuple[rsa.RSAPrivateKey, x509.Certificate]
AFTER_EXPIRY = datetime(2024, 6, 1, tzinfo=UTC)
AUTHN_REQUEST = b"""<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" \
xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_req1" Version="2.0" \
IssueInstant="2024-05-01T10:00:00Z" Destination="https://idp.example/sso"><saml:Issuer>https://sp.example/</saml:Issuer>\
</samlp:AuthnRequest>"""


def test_every_code_constant_is_a_declared_code_and_every_code_has_a_constant() -> None:
    declared = set(get_args(ProblemCode))
    constants = {value for name, value in vars(problems).items() if name.isupper() and isinstance(value, str)}
    assert constants == declared
    assert all(code.split(".", 1)[0] in ("saml", "wsfed", "oauth", "oidc") for code in declared)
    assert TIME_WINDOW_CODES == {SAML_NOT_BEFORE, SAML_NOT_ON_OR_AFTER, SAML_SUBJECT_NOT_ON_OR_AFTER}


def test_a_problem_reads_as_its_message_and_serialises_with_its_code() -> None:
    problem = Problem(SAML_NOT_TRUSTED, "Response is not trusted")
    assert str(problem) == "Response is not trusted"
    assert problem.to_json() == {"code": "saml.not_trusted", "message": "Response is not trusted"}


def test_an_expired_response_yields_time_window_codes(response_xml: Callable[..., str]) -> None:
    late = parse_saml(response_xml(), now=AFTER_EXPIRY)
    assert isinstance(late, Response)
    assert [p.code for p in late.problems] == [SAML_NOT_ON_OR_AFTER, SAML_SUBJECT_NOT_ON_OR_AFTER]
    assert late.errors == tuple(p.message for p in late.problems)
    assert "Conditions NotOnOrAfter 2024-05-01T10:05:00Z is before the evaluation time" in late.errors[0]
    early = parse_saml(response_xml(), now=datetime(2024, 5, 1, 9, 58, tzinfo=UTC))
    assert isinstance(early, Response) and [p.code for p in early.problems] == [SAML_NOT_BEFORE]
    view = to_json(late)
    assert view["errors"] == list(late.errors)
    assert view["problems"] == [{"code": p.code, "message": p.message} for p in late.problems]


def test_signature_problems_are_coded_and_signature_failures_too(
    response_xml: Callable[..., str], rsa_pair: KeyPair, other_rsa_pair: KeyPair
) -> None:
    key, cert = rsa_pair
    signed = to_bytes(sign(response_xml(), key, cert))
    stranger = parse_saml(signed, trusted_certs=[other_rsa_pair[1]])
    assert isinstance(stranger, Response) and not stranger.trusted
    assert [p.code for p in stranger.problems] == [SAML_SIGNATURE_INVALID, SAML_NOT_TRUSTED]
    assert stranger.signatures[0].failure == DSIG_UNTRUSTED_KEY
    unchecked = parse_saml(signed)
    assert isinstance(unchecked, Response) and unchecked.signatures[0].failure == DSIG_NO_TRUST_ANCHORS
    assert to_json(unchecked)["signatures"][0]["failure"] == "dsig.no_trust_anchors"
    tampered = parse_saml(signed.replace(b"alice@example.com", b"mallory@example.com"), trusted_certs=[cert])
    assert isinstance(tampered, Response) and tampered.signatures[0].failure == DSIG_DIGEST_MISMATCH
    good = parse_saml(signed, trusted_certs=[cert])
    assert isinstance(good, Response) and good.problems == () and good.signatures[0].failure is None


def test_a_signature_over_another_element_is_coded_as_wrapping(
    sample_xml: Callable[[str], bytes], sample_certs: Callable[[str | None], list[x509.Certificate]]
) -> None:
    message = parse_saml(
        sample_xml("negative/xsw_permutation_two.xml.b64"),
        trusted_certs=sample_certs("onelogin_crewjam_2016.idp-cert.pem"),
    )
    assert isinstance(message, Response) and not message.trusted
    assert [p.code for p in message.problems] == [SAML_SIGNATURE_WRAPPING, SAML_NOT_TRUSTED]
    assert "(possible signature wrapping)" in message.problems[0].message


def test_a_logout_response_without_status_is_coded() -> None:
    xml = LOGOUT_RESPONSE.split("<samlp:Status>")[0] + "</samlp:LogoutResponse>"
    message = parse_saml(xml)
    assert isinstance(message, LogoutResponse)
    assert message.problems == (Problem(SAML_STATUS_MISSING, "LogoutResponse has no Status element"),)


def test_an_authn_request_with_a_bad_signature_is_coded(rsa_pair: KeyPair, other_rsa_pair: KeyPair) -> None:
    key, cert = rsa_pair
    signed = to_bytes(sign(AUTHN_REQUEST, key, cert))
    message = decode_post({"SAMLRequest": base64.b64encode(signed).decode()}, trusted_certs=[other_rsa_pair[1]])
    request = message.message
    assert isinstance(request, AuthnRequest)
    assert [p.code for p in request.problems] == [SAML_SIGNATURE_INVALID]
    assert request.errors == ("Signature over AuthnRequest: no trusted certificate verifies the signature",)


def test_a_verified_query_signature_drops_exactly_the_not_trusted_problem(rsa_pair: KeyPair) -> None:
    key, cert = rsa_pair
    response = (
        b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        b'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r9" Version="2.0" '
        b'IssueInstant="2024-05-01T10:00:00Z"><saml:Issuer>https://idp.example/</saml:Issuer></samlp:Response>'
    )
    unsigned = parse_saml(response, trusted_certs=[cert])
    assert isinstance(unsigned, Response)
    assert [p.code for p in unsigned.problems] == [SAML_STATUS_MISSING, SAML_NOT_TRUSTED]
    query = signed_redirect_query(response, key, parameter="SAMLResponse")
    message = decode_redirect(query, trusted_certs=[cert])
    assert isinstance(message.message, Response) and message.trusted
    assert [p.code for p in message.message.problems] == [SAML_STATUS_MISSING]
    mapping = decode_redirect(dict(parse_qsl(query)), trusted_certs=[cert])
    assert mapping.query_signature is not None and mapping.query_signature.failure == DSIG_UNVERIFIABLE


def test_wsfed_problems_are_coded(rsa_pair: KeyPair, other_rsa_pair: KeyPair) -> None:
    request = decode_wsfed({"wa": "wsignin1.0"})
    assert isinstance(request, WsFedSignInRequest)
    assert [p.code for p in request.problems] == [WSFED_WTREALM_MISSING]
    key, cert = rsa_pair
    wresult = rstr(signed_saml11(key, cert))
    late = decode_wsfed({"wa": "wsignin1.0", "wresult": wresult}, trusted_certs=[cert], now=AFTER_EXPIRY)
    assert isinstance(late, WsFedSignInResponse)
    assert [p.code for p in late.problems] == [SAML_NOT_ON_OR_AFTER]
    assert late.errors[0].startswith("token Conditions NotOnOrAfter 2024-05-01T11:00:00Z is not after")
    stranger = decode_wsfed({"wa": "wsignin1.0", "wresult": wresult}, trusted_certs=[other_rsa_pair[1]])
    assert isinstance(stranger, WsFedSignInResponse)
    assert [p.code for p in stranger.problems] == [SAML_SIGNATURE_INVALID, WSFED_NOT_TRUSTED]
    assert to_json(stranger)["problems"][-1]["code"] == "wsfed.not_trusted"
