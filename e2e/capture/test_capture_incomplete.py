"""An honest capture: a start URL that does not open, a sign-in page the driver cannot get through, and a
flow that comes back without the session the user said to expect are errors that say where the browser
stopped, with a non-zero exit status and the bundle written all the same. The sign-in page's selectors
and what "signed in" looks like come from the command line."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .capture_support import SIMON

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SIGN_IN = {"SSO_USER": SIMON.username, "SSO_PASSWORD": SIMON.password}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sso_harness.apps.cli.capture", *args, "--loopback-only"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env={**os.environ, **SIGN_IN}, check=False)


def _login(*selectors: str) -> tuple[str, ...]:
    return ("--login", "form", "--user-env", "SSO_USER", "--password-env", "SSO_PASSWORD", *selectors)


def _meta(out: Path) -> dict:  # type: ignore[type-arg]
    with zipfile.ZipFile(out) as z:
        assert "index.html" in z.namelist() and "screenshots/01-final-page.png" in z.namelist()
        return json.loads(z.read("bundle.json"))  # type: ignore[no-any-return]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_start_url_that_cannot_be_opened_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "unreachable.zip"
    start = f"http://127.0.0.1:{_closed_port()}/start"
    done = _cli(start, "--timeout", "30", "--out", str(out))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "stopped: the start URL could not be opened" in done.stdout and "no problems found" not in done.stdout
    meta = _meta(out)
    first = meta["diagnosis"][0]
    assert first["rule"] == "capture-incomplete" and first["hop_label"].endswith("/start")
    assert "answered 502" in first["what"] and "Check the start URL" in first["change"]


def test_login_selectors_from_the_command_line_reach_the_form(mock_fleet, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sp = mock_fleet.sp.settings
    out = tmp_path / "selectors.zip"
    done = _cli(f"{sp.base_url}/protected/home", *_login("--username-selector", "input[name=username]",
                "--password-selector", "input[name=password]", "--submit-selector", "#signin"),
                "--until", f"{sp.base_url}/protected/", "--signed-in-cookie", mock_fleet.sp.cookie("session"),
                "--timeout", "40", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the landing URL was reached" in done.stdout
    assert _meta(out)["capture"]["signed_in"] is True


def test_a_sign_in_page_the_selectors_do_not_match_is_an_error_at_that_page(mock_fleet, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sp = mock_fleet.sp.settings
    out = tmp_path / "wrong-selector.zip"
    done = _cli(f"{sp.base_url}/protected/home", *_login("--submit-selector", "#no-such-button"),
                "--until", f"{sp.base_url}/protected/", "--timeout", "40", "--out", str(out))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "stopped: sign-in did not complete" in done.stdout and "#no-such-button" in done.stdout
    first = _meta(out)["diagnosis"][0]
    assert first["rule"] == "capture-incomplete" and "--submit-selector" in first["change"]
    assert mock_fleet.idp.settings.base_url.split("//")[1] in first["hop_label"]  # it stopped at the IdP's page


def test_a_landing_without_the_declared_session_is_an_error(mock_fleet, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sp = mock_fleet.sp.settings
    out = tmp_path / "not-signed-in.zip"
    done = _cli(f"{sp.base_url}/protected/home", *_login(), "--until", f"{sp.base_url}/protected/",
                "--signed-in-text", "this text is on no page", "--timeout", "40", "--out", str(out))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "the landing URL was reached" in done.stdout and "no problems found" not in done.stdout
    meta = _meta(out)
    assert meta["capture"]["signed_in"] is False and meta["capture"]["completed"] is False
    first = meta["diagnosis"][0]
    assert first["rule"] == "capture-not-signed-in" and "'this text is on no page' not shown" in first["what"]
    assert first["hop_label"].split()[1] == "POST" and "/acs" in first["hop_label"]  # evidence: the ACS hop
