"""The secret book: what it learns from protocol data, what it ignores, the encodings it lists."""

from __future__ import annotations

import base64
import threading
from urllib.parse import quote, quote_plus, urlencode

import pytest

from sso_harness.protocols.secrets import (
    FLOW_STATE_PARAMETERS,
    MIN_SECRET_LENGTH,
    SecretBook,
    encoded_forms,
    is_secret_parameter,
    remember_secret,
    secret_book,
)


def test_flow_state_tokens_are_secret_and_correlation_values_are_not() -> None:
    for name in ("ctx", "flowToken", "canary", "sFT", "sCtx", "AuthState", "code", "client_secret", "id_token"):
        assert is_secret_parameter(name), name
    for name in ("state", "nonce", "RelayState", "SAMLResponse", "client_id", "redirect_uri"):
        assert not is_secret_parameter(name), name
    assert {"ctx", "flowtoken", "canary", "sft", "authstate"} <= FLOW_STATE_PARAMETERS


def test_short_and_blank_values_are_not_kept() -> None:
    book = SecretBook()
    assert not book.add("abcd") and not book.add("   ") and not book.add(None) and not book.add("[redacted]")
    assert book.add("  abcde  ") and "abcde" in book and len(book) == 1
    assert not book.add("abcde")  # already known: version unchanged
    assert book.version == 1 and MIN_SECRET_LENGTH == 5


def test_learns_a_hop_url_headers_form_and_json() -> None:
    book = SecretBook()
    basic = base64.b64encode(b"client-id:client%2Bsecret-xyz").decode()
    book.learn_exchange(
        "https://sp.test/cb?code=AUTHCODE-123&state=STATE-KEPT#access_token=FRAGTOKEN-9",
        [("Cookie", "ESTSAUTH=estsauth-cookie-1; other=cookie-two-22"), ("Authorization", f"Basic {basic}"),
         ("content-type", "application/x-www-form-urlencoded")],
        urlencode({"ctx": "CTX-VALUE-1", "flowToken": "FLOWTOKEN-2", "canary": "CANARY-333", "login": "alice"}).encode(),
        [("Set-Cookie", "SPSESSION=sp-session-4; Path=/; Secure"), ("Location", "https://x.test/?id_token=IDTOK-55"),
         ("content-type", "application/json")],
        b'{"access_token": "AT-666666", "nested": [{"refresh_token": "RT-7777777"}], "token_type": "Bearer"}',
    )
    expected = {"AUTHCODE-123", "FRAGTOKEN-9", "estsauth-cookie-1", "cookie-two-22", basic, "client%2Bsecret-xyz",
                "client+secret-xyz", "CTX-VALUE-1", "FLOWTOKEN-2", "CANARY-333", "sp-session-4", "IDTOK-55", "AT-666666",
                "RT-7777777"}
    assert expected <= book.values()
    assert not {"STATE-KEPT", "alice", "Bearer", "Path=/"} & book.values()


def test_learns_entra_config_and_hidden_inputs() -> None:
    book = SecretBook()
    book.learn_body(b"""<script>$Config={"sFT":"SFT-FLOW-TOKEN","sCtx":"SCTX-VALUE","urlPost":"/login"};</script>
        <input type="hidden" name="AuthState" value="_authstate-1234"><input type=hidden value='keep-me-1' name='RelayState'>""",
                    "text/html; charset=utf-8")
    assert {"SFT-FLOW-TOKEN", "SCTX-VALUE", "_authstate-1234"} <= book.values() and "keep-me-1" not in book


@pytest.mark.parametrize("secret", ["p@ss w/rd+é!", "AUTHCODE-0123456789", "a", "x" * 40])
@pytest.mark.parametrize("lead", [b"", b"u:", b"ab"])
def test_every_encoded_form_is_listed(secret: str, lead: bytes) -> None:
    forms = encoded_forms(secret)
    if len(secret) >= MIN_SECRET_LENGTH:
        assert {secret, quote(secret, safe=""), quote_plus(secret)} <= set(forms)
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        blob = encode(lead + secret.encode() + b"!tail").decode()
        bare = encode(lead + secret.encode()).decode().rstrip("=")
        if len(secret) >= 8:
            assert any(f in blob for f in forms) and any(f in bare for f in forms)
    assert all(len(f) >= MIN_SECRET_LENGTH for f in forms)


def test_the_process_book_is_shared_and_thread_safe() -> None:
    book = SecretBook()
    threads = [threading.Thread(target=lambda i=i: [book.add(f"value-{i}-{j}") for j in range(200)]) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(book) == 800 and book.version == 800
    remember_secret("process-wide-secret-1")
    assert "process-wide-secret-1" in secret_book()
