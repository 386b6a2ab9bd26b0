"""A body cut by the body limit is never decoded as complete (Trace.from_hops applies the limit too)."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

from sso_harness.capture.hop import BODY_LIMIT, Hop
from sso_harness.protocols.errors import DECODE_TRUNCATED
from sso_harness.protocols.oauth import AuthorizeResponse
from sso_harness.trace.trace import Trace

FORM = (("content-type", "application/x-www-form-urlencoded"),)
JSON = (("content-type", "application/json"),)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt(padding: int) -> str:
    claims = {"iss": "https://idp", "aud": "c", "sub": "s", "nonce": "n", "pad": "p" * padding}
    return ".".join([_b64url(b'{"alg":"RS256","kid":"k"}'), _b64url(json.dumps(claims).encode()), _b64url(b"s" * 256)])


def _form_post(body: bytes, **extra: object) -> Hop:
    return Hop(0, "POST", "https://rp.example/callback", FORM, body, 200, (), 0.0, 0.1, **extra)  # type: ignore[arg-type]


def test_an_oversized_api_body_is_held_to_the_recorders_limit() -> None:
    xml = b"<samlp:Response xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol'>" + b" " * (4 * 1024 * 1024)
    body = urlencode({"SAMLResponse": base64.b64encode(xml).decode()}).encode()
    (hop,) = Trace.from_hops([_form_post(body)])
    assert len(hop.hop.request_body) == BODY_LIMIT and hop.hop.request_body_truncated
    (error,) = hop.errors
    assert error.code == DECODE_TRUNCATED and f"cut at {BODY_LIMIT} bytes" in error.reason


def test_a_cut_jwt_is_marked_truncated_not_read_as_a_normal_response() -> None:
    body = urlencode({"state": "s1", "id_token": _jwt(4000)}).encode()
    (hop,) = Trace.from_hops([_form_post(body)], body_limit=1024)
    (message,) = hop.messages
    assert isinstance(message.message, AuthorizeResponse)
    assert message.truncated == "the request body was cut at 1024 bytes by the recorder"
    assert message.to_json()["truncated"] == message.truncated


def test_a_body_cut_by_the_recorder_marks_its_messages() -> None:
    body = urlencode({"state": "s1", "code": "c"}).encode()
    (hop,) = Trace.from_hops([_form_post(body, request_body_truncated=True, body_limit=len(body))])
    (message,) = hop.messages
    assert message.truncated and "truncated" in message.to_json()
    assert "[truncated: request body cut at" in Trace((hop,)).summary()


def test_a_cut_response_body_says_it_was_cut_before_the_json_error() -> None:
    answer = json.dumps({"access_token": "a" * 3000, "token_type": "Bearer"}).encode()
    hop = Hop(0, "POST", "https://idp/token", FORM, b"grant_type=authorization_code&code=c", 200, JSON, 0.0, 0.1,
              response_body=answer)
    (decoded,) = Trace.from_hops([hop], body_limit=1024)
    assert decoded.hop.response_body_truncated
    (error,) = decoded.errors
    assert error.code == DECODE_TRUNCATED and error.reason.startswith("response body cut at 1024 bytes")
    assert all(m.source != "response body" for m in decoded.messages)


def test_messages_from_the_url_are_not_marked_when_only_the_body_was_cut() -> None:
    hop = Hop(0, "GET", "https://rp.example/callback?code=c&state=s", (), b"x" * 100, 200, (), 0.0, 0.1)
    (decoded,) = Trace.from_hops([hop], body_limit=10)
    (message,) = decoded.messages
    assert decoded.hop.request_body_truncated and message.truncated == ""
    assert "truncated" not in message.to_json()


def test_whole_bodies_decode_unmarked() -> None:
    (hop,) = Trace.from_hops([_form_post(urlencode({"state": "s1", "id_token": _jwt(10)}).encode())])
    (message,) = hop.messages
    assert message.truncated == "" and "truncated" not in message.to_json() and hop.hop.truncated == ()
