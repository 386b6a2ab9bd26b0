"""Issue item 6: secrets planted in a captured flow appear in no file of the bundle, raw, base64 or URL-encoded.

A small site on loopback plants every kind of secret a sign-in carries: the
password typed into its form, a session cookie, an authorization code in a
redirect, a token request (made by the page's own script, so the browser
and its Playwright trace see it) with a client secret and an Authorization
header, and a token response with an access and a refresh token. The flow
is captured through the real browser; the bundle is unzipped, and so is the
Playwright trace inside it, and every file is searched.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from sso_harness.browser.login import Credentials, FormLogin
from sso_harness.report.redact import Redactor
from sso_harness.mocks.web.http import MockServer, Request, Response, html_page, json_response, redirect
from tests.report.secret_scan import leaks

pytestmark = pytest.mark.e2e

USER = "planted.user@contoso.com"
PASSWORD = "Planted-Pa55word-7731"
CLIENT_SECRET = "Planted~ClientSecret~Q8w3e4r5"
CODE = "PlantedAuthzCode0.AVQAu7Jx2K"
REFRESH = "PlantedRefresh.0.ARoA9xYz-123"
ACCESS = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.PlantedAccess.c2ln"
COOKIE = "PlantedSessionCookie-5f2a9c"
BEARER = "PlantedBearerHeaderValue-77"
SECRETS = [PASSWORD, CLIENT_SECRET, CODE, REFRESH, ACCESS, COOKIE, BEARER]

_CALLBACK_SCRIPT = f"""
<h1 id='status'>redeeming the code...</h1>
<script>
fetch('/token', {{method: 'POST', headers: {{'Authorization': 'Bearer {BEARER}',
  'Content-Type': 'application/x-www-form-urlencoded'}},
  body: 'grant_type=authorization_code&code={CODE}&client_secret={CLIENT_SECRET}&redirect_uri=%2Fcb'}})
  .then(r => r.json()).then(() => {{ location.href = '/done'; }});
</script>"""


def _site(request: Request) -> Response:
    if request.path == "/login" and request.method == "GET":
        return html_page("Sign in", "<form method='post' action='/login'><input name='username'><input name='password' "
                                    "type='password'><button type='submit'>Sign in</button></form>")
    if request.path == "/login":
        response = redirect(f"/cb?code={CODE}&state=s-1")
        response.headers.append(("Set-Cookie", f"planted_session={COOKIE}; Path=/; HttpOnly; SameSite=Lax"))
        return response
    if request.path == "/cb":
        return html_page("Callback", _CALLBACK_SCRIPT)
    if request.path == "/token":
        return json_response({"access_token": ACCESS, "refresh_token": REFRESH, "token_type": "Bearer", "expires_in": 3600})
    if request.path == "/done":
        return html_page("Done", "<h1 id='done'>signed in</h1>")
    return html_page("Not found", "<h1>404</h1>", status=404)


@pytest.fixture
def planted_site() -> Iterator[MockServer]:
    server = MockServer(_site, name="planted-site").start()
    yield server
    server.stop()


def _every_file(bundle: Path) -> dict[str, str]:
    """Every file of the bundle, and of every zip inside it, as text (binary read as latin-1)."""
    files: dict[str, str] = {}

    def walk(data: bytes, prefix: str) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in z.namelist():
                body = z.read(name)
                if name.endswith(".zip"):
                    walk(body, f"{prefix}{name}!/")
                files[prefix + name] = body.decode("latin-1")

    walk(bundle.read_bytes(), "")
    return files


def _capture(capture_flow, planted_site, name: str, redactor: Redactor):  # type: ignore[no-untyped-def]
    return capture_flow(name, planted_site.base_url + "/login", login=FormLogin(), credentials=Credentials(USER, PASSWORD),
                        until=lambda url: url.endswith("/done"), redactor=redactor)


def test_no_planted_secret_reaches_any_file_of_the_bundle(capture_flow, planted_site) -> None:  # type: ignore[no-untyped-def]
    captured = _capture(capture_flow, planted_site, "planted", Redactor())
    assert captured.stopped == "the landing URL was reached"
    # The capture really saw every secret (so the check below is not vacuous).
    raw = " ".join(f"{h.hop.url} {h.hop.request_headers} {h.hop.response_headers} {h.hop.request_body!r} {h.hop.response_body!r}"
                   for h in captured.trace.hops)
    assert leaks(raw, SECRETS) == SECRETS
    files = _every_file(captured.path)
    assert any(name.startswith("playwright-trace.zip!/") for name in files)
    assert "playwright-trace.zip!/trace.trace" in files
    for name, text in files.items():
        assert leaks(text, SECRETS) == [], f"{name} leaks {leaks(text, SECRETS)}"
    report = files["REDACTIONS.txt"]
    assert "request form: password" in report and "Authorization header" in report and "refresh_token" in report
    assert "cookie planted_session" in report and "playwright-trace.zip:" in report


def test_pii_mode_also_keeps_the_user_name_out(capture_flow, planted_site) -> None:  # type: ignore[no-untyped-def]
    captured = _capture(capture_flow, planted_site, "planted-pii", Redactor(pii=True))
    files = _every_file(captured.path)
    assert not any(n.startswith(("screenshots/", "playwright-trace.zip")) for n in files)
    for name, text in files.items():
        assert leaks(text, SECRETS + [USER]) == [], name
    meta = json.loads(files["bundle.json"])
    assert meta["redaction"] == {"enabled": True, "pii_masked": True}
    assert "screenshots: left out whole" in files["REDACTIONS.txt"]


def test_no_redact_is_explicit_in_the_metadata_and_the_page(capture_flow, planted_site, tmp_path: Path, look_at) -> None:  # type: ignore[no-untyped-def]
    captured = _capture(capture_flow, planted_site, "planted-clear", Redactor(enabled=False))
    files = _every_file(captured.path)
    assert json.loads(files["bundle.json"])["redaction"]["enabled"] is False
    assert PASSWORD in files["trace.json"]  # asked for explicitly, and said so everywhere
    assert "switched off (--no-redact)" in files["REDACTIONS.txt"]
    from .capture_support import extract

    page = look_at(extract(captured.path, tmp_path / "clear").as_uri(), "bundle-no-redact-banner")
    assert page.locator("#no-redact").is_visible() and "REDACTION IS OFF" in page.locator("#no-redact").inner_text()
