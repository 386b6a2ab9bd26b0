from __future__ import annotations

from sso_harness.report.redact import REDACTED, redact_form, redact_headers, redact_url


def test_secret_query_and_fragment_parameters_are_masked() -> None:
    url = "https://app.example/cb?code=SPLxlOBeZQQYbYS6WxSbIA&state=abc#access_token=eyJ.x.y&token_type=Bearer"
    out = redact_url(url)
    assert "SPLxlOBeZQQYbYS6WxSbIA" not in out and "eyJ.x.y" not in out
    assert "state=abc" in out and "token_type=Bearer" in out


def test_urls_without_secrets_keep_their_exact_octets() -> None:
    url = "http://127.0.0.1:1/sso?SAMLRequest=fZ%2B%2B&RelayState=%2Fx"
    assert redact_url(url) == url


def test_forms_and_headers() -> None:
    assert redact_form({"username": "u", "password": "hunter2"}) == {"username": "u", "password": REDACTED}
    headers = redact_headers([("Cookie", "mocksp_session=s3cr3t"), ("Accept", "*/*"), ("Authorization", "Bearer x")])
    assert headers == [("Cookie", f"mocksp_session={REDACTED}"), ("Accept", "*/*"), ("Authorization", f"Bearer {REDACTED}")]
