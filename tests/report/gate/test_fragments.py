"""Secrets shortened by pytest's repr, and secret members of a printed dict, never survive the gate."""

from __future__ import annotations

from sso_harness.report.gate import scrub_text
from sso_harness.report.gate.fragments import scrub_reprs, scrub_shortened
from sso_harness.report.html.scrub import SecretValues

TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlLW9mLXRoZS1jYW5hcnktdG9rZW4tdGhhdC1pcy1sb25n"


def test_the_end_of_a_shortened_token_is_replaced() -> None:
    text = "assert {'access_token': '[redacted]', 'id_to..." + TOKEN[-40:] + "'} is None"
    out, n = scrub_shortened(text, [TOKEN])
    assert n == 1
    assert TOKEN[-40:] not in out and TOKEN[-12:] not in out
    assert out.endswith("...[redacted]'} is None")


def test_the_start_of_a_shortened_token_is_replaced() -> None:
    text = "{'id_token': '" + TOKEN[:30] + "...tail'}"
    out, n = scrub_shortened(text, [TOKEN])
    assert n == 1 and TOKEN[:30] not in out


def test_pieces_of_unknown_values_and_short_pieces_stay() -> None:
    text = "waiting for selector 'Sign in'... done; eyJh...dG9rZW4tdGhh"
    assert scrub_shortened(text, [TOKEN]) == (text, 0)  # 'eyJh' is too short; the tail is not the token's end
    unrelated = "loading https://example.org/path... then abcdefghijkl"
    assert scrub_shortened(unrelated, [TOKEN]) == (unrelated, 0)


def test_repr_members_with_secret_names_lose_their_values() -> None:
    text = "{'code': 'never-seen-code-123', 'state': 'st-123456', 'refresh_token': 'rt-unknown-999'}"
    out, n = scrub_reprs(text)
    assert n == 2
    assert "never-seen-code-123" not in out and "rt-unknown-999" not in out
    assert "'state': 'st-123456'" in out  # state is asserted on: it stays visible


def test_double_quoted_json_members_are_not_touched() -> None:
    text = '{"code": "expect.audience", "message": "wrong audience"}'
    assert scrub_reprs(text) == (text, 0)


def test_scrub_text_applies_both_rules() -> None:
    secrets = SecretValues()
    secrets.add(TOKEN)
    text = "E   AssertionError: assert {'access_token': 'at', 'id...n': 'eyJ..." + TOKEN[-32:] + "'}"
    out, n = scrub_text(text, secrets)
    assert TOKEN[-32:] not in out and n >= 1
    assert "[redacted]'}" in out
