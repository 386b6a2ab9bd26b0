"""A failing browser test leaves no planted secret in any artifact: Allure, JUnit, terminal, Playwright's trace.zip.

Black-box through pytester in a subprocess (mitmproxy allows one running
master per process), with ``--tracing=retain-on-failure``. The page, served on
127.0.0.1, has a password field; the test types a canary into it that nobody
registered (the trace's structural rule must catch it), the server answers
with a session cookie and a redirect carrying an authorization code (learned
from the captured hops), and the test fails with the page, and so the code,
in its traceback. The negative control runs the same with ``--sso-no-redact``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from sso_harness.report.gate import MARKER_FILE, is_marked

from ..report.secret_scan import leaks

PASSWORD = "typed-canary-pw-3e8b51"
CODE = "authz-canary-code-77f0c2"
COOKIE = "sp-session-canary-c41a9d"
SECRETS = [PASSWORD, CODE, COOKIE]

INNER = f'''
import http.server, threading
import pytest

PAGE = b"""<html><body><form method=post action=/login>
<input name=username><input id=pw type=password name=pw><button type=submit>Sign in</button></form></body></html>"""


class Site(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("content-type", "text/html")
        if self.path == "/":
            self.send_header("set-cookie", "SPSESSION={COOKIE}; Path=/")
        self.end_headers()
        self.wfile.write(PAGE if self.path == "/" else b"<html><title>back</title></html>")

    def do_POST(self):
        self.rfile.read(int(self.headers["content-length"]))
        self.send_response(302)
        self.send_header("location", "/callback?state=s-1&code={CODE}")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{{server.server_port}}"
    server.shutdown()


def test_sign_in_fails(page, site, sso_proxy):
    page.goto(site + "/")
    page.fill("input[name=username]", "alice")
    page.locator("#pw").fill({PASSWORD!r})
    page.click("button")
    page.wait_for_url("**/callback**")
    assert page.title() == "signed in", page
'''


def _run(pytester: pytest.Pytester, *extra: str) -> tuple[Path, str]:
    pytester.makepyfile(test_inner=INNER)
    out = Path(pytester.path)
    run = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly", f"--output={out / 'pw'}",
                                        "--tracing=retain-on-failure", f"--alluredir={out / 'allure'}",
                                        f"--junitxml={out / 'junit.xml'}", *extra)
    run.assert_outcomes(failed=1)
    return out, str(run.stdout)


def _texts(out: Path) -> dict[str, str]:
    """Every text written, zip members included (images left out: they are not text)."""
    found: dict[str, str] = {}
    for path in [*out.joinpath("allure").rglob("*"), out / "junit.xml", *out.joinpath("pw").rglob("*")]:
        if not path.is_file() or path.suffix in (".png", ".jpeg", ".webm"):
            continue
        data = path.read_bytes()
        if data.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                found.update({f"{path.name}!{n}": z.read(n).decode("utf-8", "replace") for n in z.namelist()
                              if not n.endswith((".jpeg", ".png"))})
        else:
            found[str(path.relative_to(out))] = data.decode("utf-8", "replace")
    return found


def _traces(out: Path) -> list[Path]:
    return sorted(out.joinpath("pw").rglob("trace.zip"))


@pytest.mark.e2e
def test_no_planted_secret_survives_in_any_artifact(pytester: pytest.Pytester) -> None:
    out, terminal = _run(pytester)
    assert len(_traces(out)) == 1  # retain-on-failure kept the trace
    texts = _texts(out)
    assert any(name.endswith("!trace.trace") for name in texts) and any(name.endswith("-result.json") for name in texts)
    assert {name: hits for name, text in texts.items() if (hits := leaks(text, SECRETS))} == {}
    assert leaks(terminal, SECRETS) == [] and "code=[redacted]" in terminal
    trace = next(text for name, text in texts.items() if name.endswith("!trace.trace"))
    assert '"value":"[redacted]"' in trace  # the fill of the password field, whatever its value


@pytest.mark.e2e
def test_with_no_redact_the_secrets_stay_and_every_artifact_says_so(pytester: pytest.Pytester) -> None:
    out, terminal = _run(pytester, "--sso-no-redact")
    texts = _texts(out)
    assert set(leaks("\n".join(texts.values()), SECRETS)) == set(SECRETS)
    assert PASSWORD in next(text for name, text in texts.items() if name.endswith("!trace.trace"))
    assert CODE in terminal and "redaction gate: OFF" in terminal
    assert is_marked(out / "pw") and is_marked(_traces(out)[0]) and is_marked(out / "allure")
    assert all(is_marked(p) for p in out.joinpath("allure").glob("*-result.json"))
    assert 'name="sso-harness.redaction" value="OFF' in (out / "junit.xml").read_text()
    assert (out / "pw" / MARKER_FILE).is_file()
