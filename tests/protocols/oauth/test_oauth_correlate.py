"""Correlating authorize request → callback → token request → token response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from .oauth_support import CLIENT_ID

from sso_harness.protocols.jose import half_hash
from sso_harness.protocols.oauth import (
    INVISIBLE_EXCHANGE,
    correlate_oauth,
    decode_authorize_request,
    decode_authorize_response,
    decode_token_request,
    decode_token_response,
    to_json,
)
from sso_harness.protocols.problems import (
    OAUTH_ERROR_RESPONSE,
    OAUTH_NO_CALLBACK,
    OAUTH_PKCE_MISMATCH,
    OAUTH_PKCE_UNREQUESTED,
    OAUTH_PKCE_VERIFIER_MISSING,
    OAUTH_REDIRECT_MISMATCH,
    OAUTH_REDIRECT_URI_DIFFERS,
    OAUTH_RESPONSE_MODE_MISMATCH,
    OAUTH_STATE_MISMATCH,
    OAUTH_STATE_MISSING,
    OAUTH_TOKEN_ERROR,
    OIDC_HASH_MISMATCH,
    OIDC_NONCE_MISMATCH,
    Problem,
)

VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
CB = "https://app.example/cb"


def authorize(**params: str | None) -> Any:
    base: dict[str, str | None] = {
        "client_id": CLIENT_ID,
        "response_type": "code",
        "redirect_uri": CB,
        "scope": "openid",
        "state": "st-1",
        "nonce": "n-0S6_WzA2Mj",
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
    }
    base.update(params)
    return decode_authorize_request(
        "https://idp.example/authorize?" + urlencode({k: v for k, v in base.items() if v is not None})
    )


def callback(url: str = f"{CB}?code=code-1&state=st-1") -> Any:
    return decode_authorize_response(url)


def token_request(**params: str | None) -> Any:
    base: dict[str, str | None] = {
        "grant_type": "authorization_code",
        "code": "code-1",
        "redirect_uri": CB,
        "client_id": CLIENT_ID,
        "code_verifier": VERIFIER,
    }
    base.update(params)
    return decode_token_request(urlencode({k: v for k, v in base.items() if v is not None}))


def token_response(make_token: Callable[..., str], **claims: Any) -> Any:
    return decode_token_response({"token_type": "Bearer", "access_token": "at", "id_token": make_token(**claims)})


def test_complete_round_trip_has_no_problems(make_token: Callable[..., str]) -> None:
    (exchange,) = correlate_oauth(
        [(1, authorize()), (4, callback()), (5, token_request()), (5, token_response(make_token))]
    )
    assert (
        exchange.authorize_index,
        exchange.callback_index,
        exchange.token_request_index,
        exchange.token_response_index,
    ) == (1, 4, 5, 5)
    assert exchange.ok and exchange.problems == () and exchange.notes == ()


def test_a_token_call_recorded_before_its_callback_still_redeems_that_callback(make_token: Callable[..., str]) -> None:
    """A proxied RP (mod_auth_openidc) redeems the code while serving the callback,
    so the token call's hop finishes, and is numbered, first."""
    (exchange,) = correlate_oauth(
        [(1, authorize()), (6, token_request()), (6, token_response(make_token)), (9, callback())]
    )
    assert (exchange.callback_index, exchange.token_request_index) == (9, 6)
    assert exchange.ok and exchange.problems == () and exchange.notes == ()


def test_state_changed_and_state_missing() -> None:
    (changed,) = correlate_oauth([(1, authorize()), (2, callback(f"{CB}?code=code-1&state=forged"))])
    assert changed.callback_index == 2  # linked through the redirect_uri fallback
    assert changed.problems == (
        Problem(OAUTH_STATE_MISMATCH, "state changed: the request sent 'st-1', the response returned 'forged'"),
    )
    (missing,) = correlate_oauth([(1, authorize()), (2, callback(f"{CB}?code=code-1"))])
    assert missing.problems == (
        Problem(OAUTH_STATE_MISSING, "state was sent as 'st-1' but the authorization response carries none"),
    )


def test_nonce_mismatch_in_the_id_token(make_token: Callable[..., str]) -> None:
    (exchange,) = correlate_oauth(
        [(1, authorize()), (2, callback()), (3, token_request()), (3, token_response(make_token, nonce="replayed"))]
    )
    assert exchange.problems == (
        Problem(
            OIDC_NONCE_MISMATCH,
            "nonce in the ID token (token response) is 'replayed' but the request sent 'n-0S6_WzA2Mj'",
        ),
    )


def test_pkce_verifier_not_matching_the_challenge() -> None:
    (exchange,) = correlate_oauth([(1, authorize()), (2, callback()), (3, token_request(code_verifier="v" * 43))])
    assert len(exchange.problems) == 1 and "hashes to" in exchange.problems[0].message
    assert exchange.problems[0].code == OAUTH_PKCE_MISMATCH
    (absent,) = correlate_oauth([(1, authorize()), (2, callback()), (3, token_request(code_verifier=None))])
    assert "has no code_verifier (RFC 7636 §4.5)" in absent.problems[0].message
    assert absent.problems[0].code == OAUTH_PKCE_VERIFIER_MISSING
    (unasked,) = correlate_oauth(
        [(1, authorize(code_challenge=None, code_challenge_method=None)), (2, callback()), (3, token_request())]
    )
    assert "had no code_challenge" in unasked.problems[0].message
    assert unasked.problems[0].code == OAUTH_PKCE_UNREQUESTED


def test_plain_pkce_is_noted_as_weak() -> None:
    (exchange,) = correlate_oauth(
        [(1, authorize(code_challenge=VERIFIER, code_challenge_method="plain")), (2, callback()), (3, token_request())]
    )
    assert exchange.ok and any("plain offers no protection" in n for n in exchange.notes)


def test_redirect_uri_differs_between_authorize_and_token_request() -> None:
    (exchange,) = correlate_oauth([(1, authorize()), (2, callback()), (3, token_request(redirect_uri=CB + "/"))])
    assert exchange.problems == (
        Problem(
            OAUTH_REDIRECT_URI_DIFFERS,
            f"redirect_uri differs: the authorization request sent '{CB}', the token request sent "
            f"'{CB}/' (RFC 6749 §4.1.3 requires the same value)",
        ),
    )


def test_token_exchange_not_seen_is_said_plainly() -> None:
    (exchange,) = correlate_oauth([(1, authorize()), (2, callback())])
    assert exchange.ok and exchange.token_request_index is None
    assert exchange.notes == (INVISIBLE_EXCHANGE,)
    assert "browser proxy never sees" in INVISIBLE_EXCHANGE


def test_authorization_error_is_a_problem_with_explanations() -> None:
    url = f"{CB}?error=access_denied&error_description=AADSTS50105%3a+not+assigned.%0d%0aTrace+ID%3a+x&state=st-1"
    (exchange,) = correlate_oauth([(1, authorize()), (2, callback(url))])
    assert exchange.problems == (
        Problem(OAUTH_ERROR_RESPONSE, "the authorization response is an error: access_denied — AADSTS50105: not assigned."),
    )
    assert exchange.notes[0].startswith("AADSTS50105 EntitlementGrantsNotFound: ")


def test_token_error_is_a_problem() -> None:
    error = decode_token_response({"error": "invalid_grant", "error_description": "AADSTS54005: already redeemed"})
    (exchange,) = correlate_oauth([(1, authorize()), (2, callback()), (3, token_request()), (3, error)])
    assert exchange.problems == (
        Problem(OAUTH_TOKEN_ERROR, "the token response is an error: invalid_grant — AADSTS54005: already redeemed"),
    )
    assert exchange.notes[0].startswith("AADSTS54005")


def test_no_callback_and_wrong_delivery_and_mode() -> None:
    (lost,) = correlate_oauth([(1, authorize())])
    assert lost.problems == (Problem(OAUTH_NO_CALLBACK, "no authorization response reached the redirect_uri after this request"),)
    (elsewhere,) = correlate_oauth([(1, authorize()), (2, callback("https://other.example/cb?code=c&state=st-1"))])
    assert [p.code for p in elsewhere.problems] == [OAUTH_REDIRECT_MISMATCH]
    assert "not to the redirect_uri" in elsewhere.problems[0].message
    (mode,) = correlate_oauth([(1, authorize(response_mode="form_post")), (2, callback())])
    assert (
        Problem(OAUTH_RESPONSE_MODE_MISMATCH, "the request asked for response_mode form_post but the response came by query")
        in mode.problems
    )


def test_interleaved_flows_are_paired_by_state(make_token: Callable[..., str]) -> None:
    messages = [
        (1, authorize(state="A", nonce="nA")),
        (2, authorize(state="B", nonce="nB")),
        (3, callback(f"{CB}?code=code-B&state=B")),
        (4, callback(f"{CB}?code=code-A&state=A")),
        (5, token_request(code="code-A")),
        (5, token_response(make_token, nonce="nA")),
        (6, token_request(code="code-B")),
        (6, token_response(make_token, nonce="nB")),
    ]
    first, second = correlate_oauth(messages)
    assert (first.authorize_index, first.callback_index, first.token_request_index) == (1, 4, 5)
    assert (second.authorize_index, second.callback_index, second.token_request_index) == (2, 3, 6)
    assert first.ok and second.ok, (first.problems, second.problems)


def test_stateless_request_falls_back_to_the_redirect_uri() -> None:
    (exchange,) = correlate_oauth([(1, authorize(state=None)), (2, callback(f"{CB}?code=code-1"))])
    assert exchange.callback_index == 2
    assert "the authorization request sent no state, so the response cannot be tied to it" in exchange.notes


def test_orphans_become_their_own_exchanges() -> None:
    refresh = decode_token_request(urlencode({"grant_type": "refresh_token", "refresh_token": "r", "client_id": "c"}))
    ok = decode_token_response({"token_type": "Bearer", "access_token": "at2"})
    exchanges = correlate_oauth([(7, ok), (7, refresh), (3, callback())])
    assert [
        (e.authorize_index, e.callback_index, e.token_request_index, e.token_response_index) for e in exchanges
    ] == [(None, 3, None, None), (None, None, 7, 7)]
    assert exchanges[0].notes == ("no authorization request was seen for this response", INVISIBLE_EXCHANGE)
    assert exchanges[1].notes == ("grant_type=refresh_token: no authorization request is involved",)


def test_exchange_json_view() -> None:
    (exchange,) = correlate_oauth([(1, authorize()), (2, callback())])
    view = to_json(exchange)
    assert view["kind"] == "oauth.exchange" and view["notes"] == [INVISIBLE_EXCHANGE]
    assert (view["authorize_index"], view["callback_index"], view["errors"], view["problems"]) == (1, 2, [], [])
    (lost,) = correlate_oauth([(1, authorize())])
    assert to_json(lost)["problems"] == [
        {"code": "oauth.no_callback", "message": "no authorization response reached the redirect_uri after this request"}
    ]
    assert to_json(lost)["errors"] == ["no authorization response reached the redirect_uri after this request"]


def test_front_channel_id_token_must_bind_its_code(make_token: Callable[..., str]) -> None:
    good = make_token(c_hash=half_hash("code-1", "RS256"), nonce="n-0S6_WzA2Mj")
    (ok,) = correlate_oauth(
        [(1, authorize(response_type="code id_token")), (2, callback(f"{CB}#code=code-1&id_token={good}&state=st-1"))]
    )
    assert ok.ok, ok.problems
    swapped = make_token(c_hash=half_hash("someone-elses-code", "RS256"))
    (bad,) = correlate_oauth(
        [
            (1, authorize(response_type="code id_token")),
            (2, callback(f"{CB}#code=code-1&id_token={swapped}&state=st-1")),
        ]
    )
    assert bad.problems == (
        Problem(OIDC_HASH_MISMATCH, "c_hash in the front-channel ID token does not match the code delivered with it"),
    )


def test_the_providers_own_sign_in_post_back_to_authorize_is_part_of_the_first_request(make_token: Callable[..., str]) -> None:
    """A provider's login form posting to its authorize URL with the original query is not a second request."""
    exchanges = correlate_oauth([
        (1, authorize()), (3, authorize()), (4, callback()), (5, token_request()), (5, token_response(make_token)),
    ])
    (exchange,) = exchanges
    assert (exchange.authorize_index, exchange.callback_index, exchange.token_request_index) == (1, 4, 5)
    assert exchange.problems == ()
    assert any("repeated at #3" in note for note in exchange.notes)
    assert all(p.code != OAUTH_NO_CALLBACK for p in exchange.problems)


def test_a_repeat_after_the_callback_is_a_new_request_still_waiting_for_its_own() -> None:
    first, second = correlate_oauth([(1, authorize()), (2, callback()), (3, authorize())])
    assert (first.authorize_index, first.callback_index) == (1, 2)
    assert second.authorize_index == 3
    assert [p.code for p in second.problems] == [OAUTH_NO_CALLBACK]


def test_a_request_with_other_parameters_is_not_folded() -> None:
    first, second = correlate_oauth([(1, authorize()), (2, authorize(state="st-2")), (3, callback())])
    assert (first.callback_index, second.callback_index) == (3, None)
    assert [p.code for p in second.problems] == [OAUTH_NO_CALLBACK]


def test_a_verification_code_form_posted_to_the_authorize_endpoint_is_not_a_response() -> None:
    """An OP's own step (``code=123456`` posted to /authorize) has a 'code' but is no authorization response."""
    own_step = decode_authorize_response("code=123456", redirect_url="https://idp.example/authorize")
    (exchange,) = correlate_oauth([(1, authorize()), (2, own_step), (3, callback())])
    assert (exchange.authorize_index, exchange.callback_index) == (1, 3)
    assert exchange.problems == ()


def test_a_sign_in_form_is_not_an_oauth_message() -> None:
    import pytest

    from sso_harness.protocols import DecodeError
    from sso_harness.protocols.oauth import decode_oauth_any

    with pytest.raises(DecodeError, match="not an OAuth/OIDC message"):
        decode_oauth_any("login=carol%40example.test&passwd=x&ctx=abc&flowToken=def")
