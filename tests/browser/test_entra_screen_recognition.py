"""The Entra driver's screen rules, without a browser: snapshots in, screen names out."""

from __future__ import annotations

from pathlib import Path

import pytest

from sso_harness.browser.entra import EntraLogin, EntraScreenNotRecognised, EntraSignInFailed, SCREENS, Snapshot, recognise
from sso_harness.browser.entra import errors as E
from sso_harness.browser.entra.screens import aadsts_of, inline_error
from sso_harness.browser.totp import totp


def snap(*visible: str, pgid: str = "", auto_post: bool = False, texts: dict[str, str] | None = None, error_code: int = 0) -> Snapshot:
    shown = {name: "" for name in visible}
    shown.update(texts or {})
    return Snapshot(url="https://login.microsoftonline.com/common/login", pgid=pgid, visible=shown, auto_post=auto_post, error_code=error_code)


@pytest.mark.parametrize(
    ("snapshot", "screen"),
    [
        (snap("loginfmt", pgid="ConvergedSignIn"), "username"),
        (snap("tiles", "otherTile", pgid="ConvergedSignIn"), "account_picker"),
        (snap("aadTile", "msaTile", pgid="ConvergedSignIn"), "account_type"),
        (snap("passwd", pgid="ConvergedSignIn"), "password"),
        (snap("proofs", pgid="ConvergedTFA"), "method_choice"),
        (snap("otc", pgid="ConvergedTFA"), "totp"),
        (snap("pushTitle", "anotherWay", pgid="ConvergedTFA"), "push"),
        (snap("pushTitle", "displaySign", pgid="ConvergedTFA"), "number_match"),
        (snap("remoteNgcSign", pgid="ConvergedSignIn"), "phone_sign_in"),
        (snap("mfaDenied", pgid="ConvergedTFA"), "mfa_denied"),
        (snap("mfaTimedOut", pgid="ConvergedTFA"), "mfa_timeout"),
        (snap("kmsi", pgid="KmsiInterrupt"), "kmsi"),
        (snap(pgid="KmsiInterrupt"), "kmsi"),  # the pgid alone, before the view renders its text
        (snap("proofUpNext", pgid="ConvergedProofUpRedirect"), "proofup"),
        (snap(pgid="ConvergedChangePassword"), "password_expired"),
        (snap("consentAccept"), "consent"),
        (snap(auto_post=True), "auto_post"),
        (snap("serviceError", pgid="ConvergedError"), "error"),
        (snap(pgid="ConvergedError"), "error"),
    ],
)
def test_each_screen_is_recognised(snapshot: Snapshot, screen: str) -> None:
    assert recognise(snapshot) == screen and screen in SCREENS


def test_an_unknown_page_is_no_screen() -> None:
    assert recognise(snap(pgid="SomethingNew")) is None
    assert recognise(snap()) is None


def test_the_error_page_wins_over_everything_it_shows() -> None:
    assert recognise(snap("serviceError", "loginfmt", pgid="ConvergedSignIn")) == "error"


def test_an_interrupt_pgid_wins_over_leftover_elements() -> None:
    # The password view's elements may still be laid out while the interrupt loads.
    assert recognise(snap("passwd", pgid="KmsiInterrupt")) == "kmsi"
    assert recognise(snap("passwd", pgid="ConvergedProofUpRedirect")) == "proofup"


def test_the_password_page_is_not_stay_signed_in() -> None:
    # #idBtn_Back sits on the password page too; it is not an element the rules look at.
    assert recognise(snap("passwd", pgid="ConvergedSignIn")) == "password"


def test_the_aadsts_code_comes_from_the_message_or_the_config() -> None:
    assert aadsts_of(snap(texts={"serviceError": "AADSTS50011: The redirect URI ..."})) == 50011
    assert aadsts_of(snap("serviceError", error_code=53003)) == 53003
    assert aadsts_of(snap("serviceError")) is None


def test_inline_errors_are_read() -> None:
    assert inline_error(snap(texts={"passwordError": "Your account or password is incorrect."})) == "Your account or password is incorrect."
    assert inline_error(snap("passwd")) is None


def test_a_snapshot_reads_the_browser_answer() -> None:
    s = Snapshot.from_json({"url": "u", "pgid": "ConvergedTFA", "visible": {"otc": ""}, "headings": ["Enter code"],
                            "left": False, "autoPost": False, "errorCode": 0, "fingerprint": "f"})
    assert s == Snapshot("u", "ConvergedTFA", {"otc": ""}, ("Enter code",), False, False, 0, "f")
    assert Snapshot.from_json({}) == Snapshot("")


def test_a_coded_failure_is_one_line_and_a_sign_in_refusal() -> None:
    failure = EntraSignInFailed(E.AADSTS_ERROR, "sign-in refused:\nAADSTS53003: blocked", url="https://x/", aadsts=53003, screens=["username"])
    assert str(failure) == "entra.aadsts: sign-in refused: AADSTS53003: blocked (at https://x/)"
    assert isinstance(failure, AssertionError) and failure.code == "entra.aadsts" and failure.aadsts == 53003
    assert failure.screens == ("username",)


def test_an_unknown_screen_names_url_pgid_headings_and_screenshot() -> None:
    err = EntraScreenNotRecognised("https://x/p", "NewThing", ("Heading one", ""), Path("/tmp/s.png"), screens=["username", "password"])
    text = str(err)
    assert err.code == E.UNKNOWN_SCREEN and err.url == "https://x/p" and err.screenshot == Path("/tmp/s.png")
    for part in ("https://x/p", "pgid NewThing", "headings: Heading one", "/tmp/s.png", "username → password"):
        assert part in text


def test_the_driver_never_prints_its_totp_secret() -> None:
    login = EntraLogin(totp_secret="JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in repr(login) and "<redacted>" in repr(login)
    assert login.screens == [] and login.accept_consent is False and login.skip_mfa_registration is False


def test_totp_matches_rfc6238() -> None:
    # RFC 6238 appendix B, SHA-1, the ASCII key "12345678901234567890", 8 digits at T=59.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp(secret, at=59, digits=8) == "94287082"
    assert totp(secret, at=1111111109, digits=8) == "07081804"
