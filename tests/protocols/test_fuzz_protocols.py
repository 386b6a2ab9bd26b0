"""Robustness of the newer decoders: encrypted samples, artifacts, Redirect
query signatures, logout messages, WS-Federation ``wresult``.

Property: any mutated input yields a decoded value or a DecodeError —
never another exception.  Two layers: hypothesis (shrinks failures), and a
seeded ``random.Random`` sweep of 10,000 inputs across all SAML / WS-Fed
decoders (reproducible, and fast enough for every run).
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from sso_harness.protocols import (
    DecodeError,
    decode_any,
    decode_post,
    decode_redirect,
    decode_wsfed,
    parse_saml,
)
from sso_harness.protocols.saml import decode_artifact, encode_artifact
from sso_harness.protocols.xml.dsig import load_certificates, load_private_key
from .protocol_builders import (
    LOGOUT_RESPONSE,
    fixed_pair,
    logout_request,
    rstr,
    sign,
    signed_redirect_query,
    signed_saml11,
    to_bytes,
)
from .test_fuzz_decode import mutate, mutation

ENCRYPTED = [
    "okta_signed_response_encrypted_assertion",
    "okta_encrypted_signed_assertion",
    "simplesamlphp_python3saml_signed_msg_encrypted_assertion",
]
KeyList = list[rsa.RSAPrivateKey]


class Corpus:
    """Seed inputs per decoder, with the keys and certificates they need."""

    def __init__(self, samples_dir: Path) -> None:
        self.keys: list[Any] = []
        self.certs: list[x509.Certificate] = []
        self.encrypted: list[bytes] = []
        for name in ENCRYPTED:
            self.encrypted.append(base64.b64decode((samples_dir / f"{name}.xml.b64").read_bytes()))
            self.keys.append(load_private_key((samples_dir / "keys" / f"{name}.sp-key.pem").read_bytes()))
            self.certs += load_certificates((samples_dir / "certs" / f"{name}.idp-cert.pem").read_bytes())
        idp_key, idp_cert = fixed_pair("idp-new")
        self.certs.append(idp_cert)
        self.artifacts = [encode_artifact("https://idp.example/", bytes(range(20)), endpoint_index=1)]
        self.queries = [
            signed_redirect_query(logout_request().encode(), idp_key, relay_state="rs"),
            signed_redirect_query(LOGOUT_RESPONSE.encode(), idp_key, parameter="SAMLResponse"),
        ]
        self.logout = [to_bytes(sign(logout_request(), idp_key, idp_cert)), LOGOUT_RESPONSE.encode()]
        self.wresults = [
            rstr(signed_saml11(idp_key, idp_cert)).encode(),
            rstr(signed_saml11(idp_key, idp_cert), version="1.3", collection=True).encode(),
        ]


@pytest.fixture(scope="module")
def corpus(samples_dir: Path) -> Corpus:
    return Corpus(samples_dir)


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def decoders(corpus: Corpus) -> list[tuple[Callable[[], list[bytes]], Callable[[bytes], object]]]:
    """(seed inputs, decoder) pairs; the decoder gets mutated bytes."""
    keys, certs = corpus.keys, corpus.certs
    return [
        (lambda: corpus.encrypted, lambda d: parse_saml(d, trusted_certs=certs, sp_keys=keys)),
        (
            lambda: [base64.b64encode(x) for x in corpus.encrypted],
            lambda d: decode_post({"SAMLResponse": _text(d)}, trusted_certs=certs, sp_keys=keys),
        ),
        (lambda: [a.encode() for a in corpus.artifacts], lambda d: decode_artifact(_text(d))),
        (lambda: [a.encode() for a in corpus.artifacts], lambda d: decode_any(d)),
        (lambda: [q.encode() for q in corpus.queries], lambda d: decode_redirect(_text(d), trusted_certs=certs)),
        (lambda: corpus.logout, lambda d: parse_saml(d, trusted_certs=certs, sp_keys=keys)),
        (lambda: corpus.wresults, lambda d: decode_wsfed({"wa": "wsignin1.0", "wresult": _text(d)}, trusted_certs=certs)),
        (
            lambda: [b"wa=wsignin1.0&wtrealm=urn%3Arp&wctx=x&wreply=https%3A%2F%2Frp%2F"],
            lambda d: decode_wsfed(_text(d)),
        ),
    ]


def _run(decode: Callable[[bytes], object], data: bytes) -> None:
    try:
        decode(data)
    except DecodeError:
        pass


@settings(max_examples=300, deadline=None)
@given(which=st.integers(min_value=0), index=st.integers(min_value=0), change=mutation)
def test_mutated_inputs_only_raise_decode_error(corpus: Corpus, which: int, index: int, change: tuple[str, Any]) -> None:
    table = decoders(corpus)
    seeds, decode = table[which % len(table)]
    inputs = seeds()
    _run(decode, mutate(inputs[index % len(inputs)], change))


def _random_change(rng: random.Random) -> tuple[str, Any]:
    kind = rng.choice(["flip", "flip", "truncate", "insert", "delete"])
    if kind == "flip":
        return kind, [(rng.random(), rng.randrange(8)) for _ in range(rng.randint(1, 6))]
    if kind == "truncate":
        return kind, rng.random()
    if kind == "insert":
        blob = rng.choice([b"<", b">", b"&", b"=", b"%", b"\x00", b"<x>", b"AAAA", b"%2B", bytes([rng.randrange(256)])])
        return kind, (rng.random(), blob)
    return kind, (rng.random(), rng.randint(1, 64))


def test_ten_thousand_seeded_mutations(corpus: Corpus) -> None:
    rng = random.Random(20241122)
    table = decoders(corpus)
    # Encrypted samples cost an RSA decryption when they survive mutation;
    # weight the cheap decoders more so the sweep stays in seconds.
    weights = [1, 1, 3, 3, 3, 3, 3, 3]
    outcomes = {"decoded": 0, "DecodeError": 0}
    for _ in range(10_000):
        seeds, decode = rng.choices(table, weights)[0]
        inputs = seeds()
        data = mutate(rng.choice(inputs), _random_change(rng))
        try:
            decode(data)
            outcomes["decoded"] += 1
        except DecodeError:
            outcomes["DecodeError"] += 1
    assert sum(outcomes.values()) == 10_000
    # Both outcomes occur: the sweep reaches past the first parsing layer.
    assert outcomes["decoded"] > 500 and outcomes["DecodeError"] > 500, outcomes
