"""Every Entra sign-in screen, through the harness's driver, on the Entra-like pages.

Each test scripts a user's screens on the mock (``SignInSteps.scripts``, the
same as ``POST /_admin/screens``), signs in with :class:`EntraLogin` from the
Atlassian-like SP, and checks the screens the driver saw and how it ended.
``auto_post`` screens are left out of the compared sequences: the page posts
itself at once, so whether the driver sees it before it goes is a race the
driver is built to tolerate, not a fact to assert.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from playwright.sync_api import Page

from sso_harness.browser.entra import FEDERATED, EntraLogin, EntraScreenNotRecognised, EntraSignInFailed
from sso_harness.browser.entra import errors as E
from sso_harness.browser.entra.screens import ELEMENTS, SNAPSHOT_JS, Snapshot, recognise
from sso_harness.browser.login import Credentials, FormLogin
from sso_harness.mocks.fleet import MockFleet

pytestmark = pytest.mark.e2e

SIMON = Credentials("b.simon@contoso.com", "Pa55w.rd-simon")
DIEGO = Credentials("diego.siciliani@contoso.com", "Pa55w.rd-diego")
ALEX = Credentials("alex.wilber@fabrikam.com", "Pa55w.rd-alex")
DIEGO_TOTP = "JBSWY3DPEHPK3PXP"


def _sign_in(page: Page, fleet: MockFleet, who: Credentials, script: Sequence[str] | None, login: EntraLogin) -> EntraLogin:
    if script is not None:
        fleet.entra.signin.scripts.set(who.username, list(script))
    page.goto(fleet.atlassian.instance_url("contoso"))
    login.sign_in(page, who)
    return login


def _shown(login: EntraLogin) -> list[str]:
    return [s for s in login.screens if s != "auto_post"]


def _signed_in_as(page: Page, fleet: MockFleet, who: Credentials) -> None:
    page.wait_for_url(fleet.atlassian.instance_url("contoso"))
    assert page.locator("#user").inner_text() == who.username


def _refused(page: Page, fleet: MockFleet, who: Credentials, script: Sequence[str], login: EntraLogin) -> EntraSignInFailed:
    with pytest.raises(EntraSignInFailed) as failure:
        _sign_in(page, fleet, who, script, login)
    assert "\n" not in str(failure.value)  # one line, for the nightly run's summary
    return failure.value


def test_username_password_and_stay_signed_in(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    login = _sign_in(page, mock_fleet, SIMON, None, EntraLogin(stay_signed_in=True))
    _signed_in_as(page, mock_fleet, SIMON)
    assert _shown(login) == ["username", "password", "kmsi"]
    assert "entra_ESTSAUTHPERSISTENT" in {c["name"] for c in page.context.cookies()}


def test_five_screens_picker_password_method_choice_code_kmsi(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    script = ["account_picker", "password", "method_choice", "totp", "kmsi"]
    login = _sign_in(page, mock_fleet, DIEGO, script, EntraLogin(totp_secret=DIEGO_TOTP))
    _signed_in_as(page, mock_fleet, DIEGO)
    assert _shown(login) == script
    assert "entra_ESTSAUTHPERSISTENT" not in {c["name"] for c in page.context.cookies()}  # "No" to KMSI


def test_the_picker_offers_another_account_when_the_user_has_no_tile(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    mock_fleet.entra.signin.scripts.set(DIEGO.username, ["account_picker", "password"])
    login = _sign_in(page, mock_fleet, SIMON, None, EntraLogin())
    _signed_in_as(page, mock_fleet, SIMON)
    assert _shown(login) == ["account_picker", "username", "password", "kmsi"]


def test_work_or_personal_account(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    login = _sign_in(page, mock_fleet, SIMON, ["account_type", "password"], EntraLogin())
    _signed_in_as(page, mock_fleet, SIMON)
    assert _shown(login) == ["username", "account_type", "password"]


def test_a_push_with_another_way_ends_with_the_code(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    login = _sign_in(page, mock_fleet, DIEGO, ["password", "push", "kmsi"], EntraLogin(totp_secret=DIEGO_TOTP))
    _signed_in_as(page, mock_fleet, DIEGO)
    assert _shown(login) == ["username", "password", "push", "method_choice", "totp", "kmsi"]


def test_a_push_without_a_code_method_fails_in_one_line(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    failure = _refused(page, mock_fleet, SIMON, ["password", "push"], EntraLogin())
    assert failure.code == E.PUSH_NOT_AUTOMATABLE and "TOTP" in str(failure)
    assert failure.screens == ("username", "password", "push")


def test_number_matching_fails_in_one_line(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    failure = _refused(page, mock_fleet, SIMON, ["password", "number_match"], EntraLogin())
    assert failure.code == E.PUSH_NOT_AUTOMATABLE and "number matching" in str(failure) and "TOTP" in str(failure)


def test_phone_sign_in_fails_in_one_line(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    failure = _refused(page, mock_fleet, DIEGO, ["phone_sign_in"], EntraLogin(totp_secret=DIEGO_TOTP))
    assert failure.code == E.PUSH_NOT_AUTOMATABLE and "phone sign-in" in str(failure)
    assert failure.screens == ("username", "phone_sign_in")


def test_attended_number_matching_shows_the_number_and_waits(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    told: list[str] = []
    login = EntraLogin(attended=True, attended_timeout_ms=1_500, say=told.append)
    failure = _refused(page, mock_fleet, SIMON, ["password", "number_match"], login)
    number = page.locator("#idRichContext_DisplaySign").inner_text()
    assert failure.code == E.APPROVAL_TIMED_OUT  # nobody approves on the mock's phone
    assert len(number) == 2 and told == [f"Approve the sign-in in Microsoft Authenticator: enter {number}"]


@pytest.mark.parametrize(("screen", "code"), [("mfa_denied", E.MFA_DENIED), ("mfa_timeout", E.MFA_TIMED_OUT)])
def test_a_failed_approval_is_terminal(page, mock_fleet, screen: str, code: str) -> None:  # type: ignore[no-untyped-def]
    failure = _refused(page, mock_fleet, SIMON, ["password", screen], EntraLogin())
    assert failure.code == code and failure.screens[-1] == screen


def test_mfa_registration_stops_the_driver_unless_told_to_skip(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    failure = _refused(page, mock_fleet, SIMON, ["password", "proofup"], EntraLogin())
    assert failure.code == E.MFA_REGISTRATION_REQUIRED and "skip_mfa_registration" in str(failure)


def test_mfa_registration_skipped_when_the_constructor_says_so(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    login = _sign_in(page, mock_fleet, SIMON, ["password", "proofup", "kmsi"], EntraLogin(skip_mfa_registration=True))
    _signed_in_as(page, mock_fleet, SIMON)
    assert _shown(login) == ["username", "password", "proofup", "kmsi"]


def test_mfa_registration_without_a_skip_fails_even_when_skipping_is_allowed(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    failure = _refused(page, mock_fleet, SIMON, ["password", "proofup_required"], EntraLogin(skip_mfa_registration=True))
    assert failure.code == E.MFA_REGISTRATION_REQUIRED and failure.screens[-1] == "proofup"


def test_an_expired_password_is_terminal(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    failure = _refused(page, mock_fleet, SIMON, ["password", "password_expired"], EntraLogin())
    assert failure.code == E.PASSWORD_EXPIRED and failure.screens[-1] == "password_expired"


def test_consent_stops_the_driver_unless_told_to_accept(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    failure = _refused(page, mock_fleet, SIMON, ["password", "consent"], EntraLogin())
    assert failure.code == E.CONSENT_REQUIRED and "accept_consent" in str(failure)


def test_consent_accepted_when_the_constructor_says_so(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    login = _sign_in(page, mock_fleet, SIMON, ["password", "consent"], EntraLogin(accept_consent=True))
    _signed_in_as(page, mock_fleet, SIMON)
    assert _shown(login) == ["username", "password", "consent"]


def test_an_auto_posting_form_is_waited_out(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    login = _sign_in(page, mock_fleet, SIMON, ["password", "auto_post", "kmsi"], EntraLogin())
    _signed_in_as(page, mock_fleet, SIMON)
    assert _shown(login) == ["username", "password", "kmsi"]


def test_an_error_page_raises_with_its_aadsts_code(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    failure = _refused(page, mock_fleet, SIMON, ["password", "error:53003"], EntraLogin())
    assert failure.code == E.AADSTS_ERROR and failure.aadsts == 53003 and "AADSTS53003" in str(failure)


def test_a_wrong_password_is_refused_with_a_code(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    failure = _refused(page, mock_fleet, Credentials(SIMON.username, "wrong"), ["password"], EntraLogin())
    assert failure.code == E.CREDENTIALS_REJECTED and "incorrect" in str(failure) and "wrong" not in str(failure)


def test_the_federated_round_trip_is_recorded(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    jumpcloud = FormLogin(username="input[name=email]", password="input[name=password]", submit="#login-submit")
    login = _sign_in(page, mock_fleet, ALEX, None, EntraLogin(federated=jumpcloud))
    _signed_in_as(page, mock_fleet, ALEX)
    assert _shown(login) == ["username", FEDERATED, "kmsi"]


def test_an_unknown_screen_names_url_pgid_headings_and_screenshot(page, mock_fleet, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{mock_fleet.entra.base_url}/error?code=50011")
    with pytest.raises(EntraScreenNotRecognised) as failure:
        EntraLogin(timeout_ms=1_500, screenshot_dir=tmp_path).sign_in(page, SIMON)
    err = failure.value
    assert err.code == E.UNKNOWN_SCREEN and err.url == page.url and err.pgid == ""
    assert err.headings and err.headings[0].startswith("AADSTS50011")
    assert err.screenshot is not None and err.screenshot.is_file() and str(err.screenshot) in str(err)


def test_hidden_means_what_the_real_page_means(page) -> None:  # type: ignore[no-untyped-def]
    page.set_content(
        "<style>.moveOffScreen{position:fixed;bottom:0;right:0;height:0!important;width:0!important;overflow:hidden;opacity:0!important}</style>"
        "<script>//<![CDATA[\n$Config={\"pgid\":\"ConvergedSignIn\",\"iErrorCode\":0};\n//]]></script>"
        '<input name="loginfmt" class="moveOffScreen"><div style="display:none"><input name="otc"></div>'
        '<div id="KmsiDescription" style="visibility:hidden">x</div><input type="button" id="idBtn_Back" class="moveOffScreen">'
        '<input type="password" name="passwd">'
    )
    origin = page.evaluate("location.origin")
    raw = page.evaluate(SNAPSHOT_JS, [origin, "", dict(ELEMENTS), False])
    shot = Snapshot.from_json(raw)
    assert set(shot.visible) == {"passwd"} and shot.pgid == "ConvergedSignIn" and recognise(shot) == "password"
