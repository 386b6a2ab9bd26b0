"""The capture's own verdict: a flow that stopped short or came back signed out is an error finding that
says where it stopped; the options that describe the sign-in reach the login driver and the check."""

from __future__ import annotations

import argparse

import pytest

from sso_harness.apps.capture_service import (
    INCOMPLETE,
    NOT_SIGNED_IN,
    CaptureOptions,
    CaptureSetupError,
    Outcome,
    capture_findings,
)
from sso_harness.apps.cli import capture as capture_command
from sso_harness.browser.signed_in import Answer, SignInFacts, SignInRule, decide
from sso_harness.capture.hop import Hop

SP = "http://127.0.0.1:4100"
IDP = "http://127.0.0.1:4200"


def _hop(index: int, method: str, url: str, status: int | None, *, body: bytes = b"", error: str | None = None) -> Hop:
    return Hop(index, method, url, (), body, status, (), 0.0, 0.0, error=error)


HOPS = [_hop(1, "GET", f"{SP}/protected/", 302), _hop(2, "GET", f"{IDP}/login?SAMLRequest=x", 200)]


@pytest.mark.parametrize(("kind", "advice"), [
    ("timeout", "raise --timeout"),
    ("sign-in-failed", "--username-selector"),
    ("start-failed", "Check the start URL"),
    ("closed", "Keep the browser window open"),
])
def test_an_incomplete_capture_is_an_error_at_the_last_hop(kind: str, advice: str) -> None:
    outcome = Outcome(kind, "what the drive said")  # type: ignore[arg-type]
    assert not outcome.completed
    [finding] = capture_findings(outcome, HOPS, final_url=f"{IDP}/login")
    assert finding.rule == INCOMPLETE and finding.severity == "error"
    assert finding.hop == 2 and finding.hop_label == "#2 GET 127.0.0.1:4200/login"
    assert "what the drive said" in finding.what
    assert f"the browser was last at {IDP}/login" in finding.what and "the last page hop is #2 GET 127.0.0.1:4200/login (200)" in finding.what
    assert advice in finding.change


def test_a_start_url_that_never_opened_says_nothing_was_loaded() -> None:
    failed = [_hop(1, "GET", "http://127.0.0.1:9/start", None, error="connection refused")]
    [finding] = capture_findings(Outcome("start-failed", "the start URL could not be opened: net::ERR_CONNECTION_REFUSED"),
                                 failed, final_url="chrome-error://chromewebdata/")
    assert "(connection refused)" in finding.what
    [empty] = capture_findings(Outcome("start-failed", "x"), [], final_url="about:blank")
    assert empty.hop is None and "no page was loaded; no hop was recorded" in empty.what


@pytest.mark.parametrize("kind", ["arrived", "error-page", "stopped"])
def test_completed_outcomes_add_no_finding_of_their_own(kind: str) -> None:
    outcome = Outcome(kind, "x")  # type: ignore[arg-type]
    assert outcome.completed and capture_findings(outcome, HOPS, final_url=f"{SP}/protected/") == []


def test_a_landing_without_a_session_is_an_error_at_the_acs_hop() -> None:
    hops = [*HOPS, _hop(3, "POST", f"{SP}/acs", 403, body=b"SAMLResponse=abc"), _hop(4, "GET", f"{SP}/denied", 200)]
    refused = decide(None, SignInFacts(landing_url=f"{SP}/denied", answers=(Answer("POST", f"{SP}/acs", 403, True),)))
    [finding] = capture_findings(Outcome("arrived", "the landing URL was reached"), hops, final_url=f"{SP}/denied", sign_in=refused)
    assert finding.rule == NOT_SIGNED_IN and finding.severity == "error" and finding.hop == 3
    assert "acs-answered: POST http://127.0.0.1:4100/acs answered 403" in finding.what
    assert "--signed-in-text" in finding.change
    signed = decide(SignInRule(url=f"{SP}/*"), SignInFacts(landing_url=f"{SP}/home"))
    assert capture_findings(Outcome("arrived", "x"), hops, final_url=f"{SP}/home", sign_in=signed) == []


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="sso-harness")
    capture_command.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["capture", *argv])


def test_the_command_line_takes_selectors_and_a_signed_in_rule(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    seen: list[CaptureOptions] = []

    def fake(opts: CaptureOptions) -> object:
        seen.append(opts)
        raise CaptureSetupError("stop here")

    monkeypatch.setattr("sso_harness.apps.capture_service.capture", fake)
    args = _args("https://sp.example/", "--login", "form", "--username-selector", "#user", "--password-selector", "#pass",
                 "--submit-selector", "text=Sign in", "--signed-in-text", "Welcome", "--signed-in-cookie", "sid")
    assert capture_command.run(args) == 2
    opts = seen[0]
    assert (opts.username_selector, opts.password_selector, opts.submit_selector) == ("#user", "#pass", "text=Sign in")
    assert opts.signed_in == SignInRule(text="Welcome", cookie="sid")
    assert capture_command.run(_args("https://sp.example/")) == 2 and seen[1].signed_in is None
    assert "stop here" in capsys.readouterr().err


def test_selectors_without_a_login_driver_are_a_setup_error() -> None:
    with pytest.raises(CaptureSetupError, match="--submit-selector need --login"):
        CaptureOptions(url="https://sp.example/", submit_selector="#go").check_selectors()
    CaptureOptions(url="https://sp.example/", login="form", submit_selector="#go").check_selectors()


def test_selectors_reach_the_form_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    from sso_harness.apps.capture_service import capture

    made: list[object] = []

    def driver_for(spec):  # type: ignore[no-untyped-def]
        made.append(spec)
        raise RuntimeError("no driver in this test")

    monkeypatch.setattr("sso_harness.targets.runner.driver_for", driver_for)
    opts = CaptureOptions(url="https://sp.example/", login="form", user_env="U", password_env="P",
                          username_selector="#user", password_selector="#pass", submit_selector="#go")
    with pytest.raises(CaptureSetupError, match="--login form: no usable login driver"):
        capture(opts, env={"U": "qa", "P": "pw"})
    spec = made[0]
    assert (spec.driver, spec.username_selector, spec.password_selector, spec.submit_selector) == ("form", "#user", "#pass", "#go")  # type: ignore[attr-defined]


def test_where_it_stopped_is_the_last_page_not_a_favicon() -> None:
    from sso_harness.apps.capture_service.verdict import last_page_hop

    page = Hop(1, "GET", f"{SP}/start", (("Sec-Fetch-Dest", "document"),), b"", 502, (), 0.0, 0.0)
    icon = Hop(2, "GET", f"{SP}/favicon.ico", (("Sec-Fetch-Dest", "image"),), b"", None, (), 0.0, 0.0, error="refused")
    assert last_page_hop([page, icon]) is page
    assert last_page_hop([icon]) is icon and last_page_hop([]) is None
    [finding] = capture_findings(Outcome("start-failed", "x"), [page, icon], final_url=f"{SP}/start")
    assert finding.hop == 1 and "the last page hop is #1 GET 127.0.0.1:4100/start (502)" in finding.what


def test_a_landing_whose_session_could_not_be_read_is_undecided_with_its_code_not_signed_out() -> None:
    from sso_harness.apps.capture_service import SIGN_IN_UNDECIDED
    from sso_harness.browser.signed_in import LANDING_NOT_LOADED, Unread

    hops = [*HOPS, _hop(3, "POST", f"{SP}/acs", 302, body=b"SAMLResponse=abc"), _hop(4, "GET", f"{SP}/home", None)]
    unread = (Unread(LANDING_NOT_LOADED, f"{SP}/home did not load within 30 s (no answer)"),)
    undecided = decide(SignInRule(text="Welcome"), SignInFacts(landing_url=f"{SP}/home", unread=unread))
    assert undecided.signed_in is None
    [finding] = capture_findings(Outcome("arrived", "the landing URL was reached"), hops, final_url=f"{SP}/home", sign_in=undecided)
    assert finding.rule == SIGN_IN_UNDECIDED and finding.rule != NOT_SIGNED_IN and finding.severity == "error"
    assert f"could not tell whether the browser is signed in: {LANDING_NOT_LOADED}:" in finding.what
    assert "not signed in" not in finding.what and finding.hop == 4
