"""Robustness: mutated OAuth artefacts only ever decode or raise DecodeError.

A seeded pseudo-random mutator (bit flips, truncation, insertion of
hostile fragments, deletion, duplication, segment swaps) produces well over
10,000 inputs from a corpus of valid messages and feeds each to
``decode_oauth_any`` and to the specific decoder of its kind.  Any exception
other than :class:`DecodeError` fails the test with the input that caused it.
"""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from hypothesis import given, settings
from hypothesis import strategies as st
from .oauth_support import NOW, id_token_claims

from sso_harness.protocols import DecodeError
from sso_harness.protocols.jose import decode_jwks, decode_jwt, jwks_from_keys, sign_jwt, verify_jwt
from sso_harness.protocols.oauth import (
    correlate_oauth,
    decode_authorize_request,
    decode_authorize_response,
    decode_discovery,
    decode_oauth_any,
    decode_token_request,
    decode_token_response,
    decode_userinfo,
    to_json,
)

SEED = 20240501
ROUNDS = 1100  # x corpus size (>= 10) -> well over 10,000 mutated inputs
HOSTILE = [
    b"%",
    b"%zz",
    b"=",
    b"&",
    b"#",
    b"?",
    b".",
    b"\x00",
    b"\xff\xfe",
    b'"',
    b"{",
    b"}",
    b"[",
    b"]",
    b"eyJ",
    b"==",
    b"+",
    b"%00",
    b"\r\n",
    b"https://",
    b"AADSTS",
    b"1e999",
    b"NaN",
    b"-0",
    b"\\u0000",
    b"[" * 50,
    b"%" * 7,
]


@pytest.fixture(scope="module")
def corpus(fixed_ed25519: ed25519.Ed25519PrivateKey) -> list[tuple[bytes, Callable[[bytes], Any]]]:
    token = sign_jwt(id_token_claims(), fixed_ed25519, "EdDSA", "k")
    jwks = jwks_from_keys([(fixed_ed25519, "k", "EdDSA")])
    authorize = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?" + urlencode(
        {
            "client_id": "c",
            "response_type": "code id_token",
            "redirect_uri": "https://a/cb",
            "scope": "openid",
            "state": "s",
            "nonce": "n",
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256",
            "claims": '{"id_token":{"acr":null}}',
            "max_age": "60",
        }
    )
    callback = f"https://a/cb#code=c1&id_token={token}&state=s&session_state=x"
    error = (
        "https://a/cb?error=access_denied&error_description=AADSTS50105%3a+x%0d%0aTrace+ID%3a+"
        "0000aaaa-11bb-cccc-dd33-eeeeee333333&state=s"
    )
    token_request = urlencode(
        {
            "grant_type": "authorization_code",
            "code": "c1",
            "redirect_uri": "https://a/cb",
            "client_id": "c",
            "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": token,
        }
    )
    token_response = json.dumps(
        {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 3599,
            "id_token": token,
            "refresh_token": "r",
            "scope": "openid",
        }
    )
    entra_error = json.dumps(
        {
            "error": "invalid_scope",
            "error_description": "AADSTS70011: bad\r\nTrace ID: x",
            "error_codes": [70011],
            "timestamp": "2016-01-09 02:02:12Z",
        }
    )
    discovery = json.dumps(
        {
            "issuer": "https://idp.example",
            "authorization_endpoint": "https://idp.example/a",
            "token_endpoint": "https://idp.example/t",
            "jwks_uri": "https://idp.example/k",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }
    )

    def verify(data: bytes) -> Any:
        return verify_jwt(data, jwks, now=NOW)

    return [
        (authorize.encode(), decode_authorize_request),
        (callback.encode(), decode_authorize_response),
        (error.encode(), decode_authorize_response),
        (token_request.encode(), lambda d: decode_token_request(d, {"Authorization": "Basic YzpzZWNyZXQ="})),
        (token_response.encode(), lambda d: decode_token_response(d, jwks=jwks, now=NOW)),
        (entra_error.encode(), decode_token_response),
        (
            discovery.encode(),
            lambda d: decode_discovery(d, fetched_from="https://idp.example/.well-known/openid-configuration"),
        ),
        (json.dumps(jwks).encode(), decode_jwks),
        (b'{"sub":"alice","email":"a@x"}', decode_userinfo),
        (token.encode(), verify),
        (token.encode(), decode_jwt),
    ]


def mutate(rng: random.Random, data: bytes) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(6)
        at = rng.randrange(len(buffer) + 1)
        if choice == 0 and buffer:  # flip bits
            at = min(at, len(buffer) - 1)
            buffer[at] ^= 1 << rng.randrange(8)
        elif choice == 1:  # truncate
            del buffer[at:]
        elif choice == 2:  # insert a hostile fragment
            buffer[at:at] = rng.choice(HOSTILE)
        elif choice == 3:  # delete a run
            del buffer[at : at + rng.randint(1, 32)]
        elif choice == 4 and buffer:  # duplicate a slice (repeated parameters, members)
            end = min(len(buffer), at + rng.randint(1, 64))
            buffer[at:at] = buffer[max(0, at - 64) : end]
        else:  # replace a byte with a random one
            if buffer:
                buffer[min(at, len(buffer) - 1)] = rng.randrange(256)
    return bytes(buffer)


def test_mutated_inputs_only_raise_decode_error(corpus: list[tuple[bytes, Callable[[bytes], Any]]]) -> None:
    rng = random.Random(SEED)
    tried = decoded = 0
    for _round in range(ROUNDS):
        for original, specific in corpus:
            data = mutate(rng, original)
            for decoder in (decode_oauth_any, specific):
                tried += 1
                try:
                    message = decoder(data)
                except DecodeError:
                    continue
                except Exception as exc:
                    pytest.fail(f"{type(exc).__name__}: {exc} from {decoder!r} on {data!r}")
                decoded += 1
                json.dumps(to_json(message))  # views of odd messages must serialise too
                correlate_oauth([(0, message)])
    assert tried >= 20_000 and decoded > 0


def test_mutated_text_and_unicode_only_raise_decode_error(corpus: list[tuple[bytes, Callable[[bytes], Any]]]) -> None:
    rng = random.Random(SEED + 1)
    for _ in range(500):
        original, _decoder = rng.choice(corpus)
        text = mutate(rng, original).decode("utf-8", "replace") + rng.choice(["", "\u202e", "\ud800", "ü", "\x85"])
        with contextlib.suppress(DecodeError):
            decode_oauth_any(text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600) | st.text(max_size=300))
def test_arbitrary_input_only_raises_decode_error(data: bytes | str) -> None:
    try:
        message = decode_oauth_any(data)
    except DecodeError:
        return
    json.dumps(to_json(message))


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "code",
                "state",
                "error",
                "error_description",
                "grant_type",
                "client_id",
                "response_type",
                "redirect_uri",
                "id_token",
                "expires_in",
                "max_age",
                "code_challenge",
                "code_challenge_method",
                "claims",
                "client_secret",
            ]
        ),
        st.text(max_size=40),
        max_size=8,
    )
)
def test_arbitrary_parameter_sets_only_raise_decode_error(params: dict[str, str]) -> None:
    for decoder in (decode_authorize_request, decode_authorize_response, decode_token_request):
        with contextlib.suppress(DecodeError):
            json.dumps(to_json(decoder(params)))
