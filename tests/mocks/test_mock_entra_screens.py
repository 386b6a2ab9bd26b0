"""The Entra-like sign-in screens: real pgids and element names, hiding, and scripted sequences (HTTP only)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from sso_harness.mocks.entra import pages
from sso_harness.mocks.entra.flow import ScreenScripts, ScriptError, check_script
from sso_harness.mocks.entra.totp import totp
from sso_harness.mocks.fleet import MockFleet
from .mock_walker import Page, Walker

FIELDS = {"ctx": "c", "flowToken": "c", "canary": "x"}
DIEGO = ("diego.siciliani@contoso.com", "Pa55w.rd-diego", "JBSWY3DPEHPK3PXP")


def _pgid(body: bytes | str) -> str:
    text = body.decode() if isinstance(body, bytes) else body
    match = re.search(r'\$Config=(\{.*?\});', text)
    assert match, text[:300]
    return str(json.loads(match.group(1))["pgid"])


@pytest.mark.parametrize(
    ("response", "pgid", "ids"),
    [
        (pages.account_picker_page("/t/login", FIELDS, accounts=("a@x",)), "ConvergedSignIn", ['id="tilesHolder"', 'data-test-id="a@x"', 'id="otherTile"']),
        (pages.account_type_page("/t/login", FIELDS, username="a@x"), "ConvergedSignIn", ['id="aadTileTitle"', 'id="msaTileTitle"']),
        (pages.method_choice_page("/t/login", FIELDS, username="a@x", methods=("PhoneAppOTP",)), "ConvergedTFA",
         ['id="idDiv_SAOTCS_Proofs"', 'data-value="PhoneAppOTP"']),
        (pages.push_page("/t/login", FIELDS, username="a@x"), "ConvergedTFA", ['id="idDiv_SAOTCAS_Title"', 'id="signInAnotherWay"']),
        (pages.push_page("/t/login", FIELDS, username="a@x", number="42"), "ConvergedTFA", ['id="idRichContext_DisplaySign"']),
        (pages.push_page("/t/login", FIELDS, username="a@x", number="42", phone_sign_in=True), "ConvergedSignIn", ['id="idRemoteNGC_DisplaySign"']),
        (pages.mfa_failed_page("/t/login", FIELDS, username="a@x", timed_out=False), "ConvergedTFA", ['id="idDiv_SAASDS_Description"']),
        (pages.mfa_failed_page("/t/login", FIELDS, username="a@x", timed_out=True), "ConvergedTFA", ['id="idDiv_SAASTO_Description"']),
        (pages.proofup_page("/t/login", FIELDS, username="a@x", skip_days=14), "ConvergedProofUpRedirect",
         ['id="idSubmit_ProofUp_Redirect"', 'id="skipMfaRegistrationLink"']),
        (pages.change_password_page("/t/login", FIELDS, username="a@x"), "ConvergedChangePassword", ['id="newPassword"']),
        (pages.consent_page("/t/login", FIELDS, username="a@x", app_name="A", permissions=("p",)), "Consent",
         ['id="idBtn_Accept"', 'id="idBtn_Back"']),
        (pages.kmsi_page("/kmsi", FIELDS, username="a@x"), "KmsiInterrupt", ['id="KmsiDescription"']),
    ],
)
def test_each_screen_has_the_real_pgid_and_element_ids(response, pgid: str, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    text = response.body.decode()
    assert _pgid(text) == pgid and f"<meta name='PageID' content='{pgid}'>" in text
    for needle in ids:
        assert needle in text


def test_the_password_page_hides_back_and_the_username_as_the_real_page_does() -> None:
    text = pages.password_page("/t/login", FIELDS, username="a@x").body.decode()
    assert 'id="idBtn_Back" class="moveOffScreen"' in text
    assert re.search(r'<input type="email" name="loginfmt"[^>]*class="moveOffScreen"', text)
    assert ".moveOffScreen{" in text


def test_proofup_without_skip_days_offers_no_skip() -> None:
    text = pages.proofup_page("/t/login", FIELDS, username="a@x", skip_days=None).body.decode()
    assert "skipMfaRegistrationLink" not in text and '"iRemainingDaysToSkipMfaRegistration":-1' in text


def test_the_auto_post_page_is_a_hidden_form() -> None:
    text = pages.auto_post_page("/t/login", FIELDS).body.decode()
    assert 'name="hiddenform"' in text and 'name="step" value="auto_post"' in text and "document.forms[0].submit()" in text


def test_scripts_are_checked() -> None:
    assert check_script(["account_picker", "password", "error:50076"]) == ("account_picker", "password", "error:50076")
    for bad in (["nope"], "password", ["error:x"], ["password", "account_picker"], [1]):
        with pytest.raises(ScriptError) as failure:
            check_script(bad)
        assert str(failure.value).startswith("entra.script:")
    scripts = ScreenScripts()
    scripts.set("A@X", ["account_picker", "password"])
    scripts.set("b@x", ["password"])
    assert scripts.get("a@x") == ("account_picker", "password") and scripts.pickers() == ("a@x",)
    scripts.clear()
    assert scripts.get("a@x") is None


def _admin_script(w: Walker, f: MockFleet, user: str, screens: object) -> Page:
    body = json.dumps({"user": user, "screens": screens}).encode()
    return w.send(f"{f.entra.base_url}/_admin/screens", body, {"Content-Type": "application/json"})


def _entra(w: Walker, f: MockFleet) -> Page:
    page = w.get(f.atlassian.instance_url("contoso"))
    assert page.status == 302 and page.location
    return w.get(page.location)


def test_the_admin_api_scripts_a_user_through_five_screens(clean: MockFleet, walker: Walker) -> None:
    user, password, secret = DIEGO
    answer = _admin_script(walker, clean, user, ["account_picker", "password", "method_choice", "totp", "kmsi"])
    assert answer.status == 201
    page = _entra(walker, clean)
    assert _pgid(page.text) == "ConvergedSignIn" and f'data-test-id="{user}"' in page.text
    page = walker.submit(page.form(), loginfmt=user)
    assert 'name="passwd"' in page.text
    page = walker.submit(page.form(), passwd=password)
    assert "idDiv_SAOTCS_Proofs" in page.text
    page = walker.submit(page.form(), method="PhoneAppOTP")
    assert 'name="otc"' in page.text
    page = walker.submit(page.form(), otc=totp(secret, dt.datetime.now(dt.timezone.utc)))
    assert _pgid(page.text) == "KmsiInterrupt"
    page = walker.submit(page.form(), LoginOptions="1")
    assert 'name="hiddenform"' in page.text and "SAMLResponse" in page.text


def test_the_admin_api_refuses_an_unknown_screen_with_a_code(clean: MockFleet, walker: Walker) -> None:
    answer = _admin_script(walker, clean, DIEGO[0], ["password", "fax"])
    assert answer.status == 400 and json.loads(answer.text)["code"] == "entra.script"


def test_a_reset_forgets_the_scripts(clean: MockFleet, walker: Walker) -> None:
    _admin_script(walker, clean, DIEGO[0], ["account_picker", "password"])
    clean.reset()
    assert "tilesHolder" not in _entra(walker, clean).text


def test_declined_consent_is_aadsts65004(clean: MockFleet, walker: Walker) -> None:
    user, password, _ = DIEGO
    clean.entra.signin.scripts.set(user, ["password", "consent"])
    page = walker.submit(_entra(walker, clean).form(), loginfmt=user)
    page = walker.submit(page.form(), passwd=password)
    assert _pgid(page.text) == "Consent"
    page = walker.submit(page.form(), consent="Cancel")
    assert _pgid(page.text) == "ConvergedError" and "AADSTS65004" in page.text


def test_a_scripted_error_page_carries_the_code(clean: MockFleet, walker: Walker) -> None:
    user, password, _ = DIEGO
    clean.entra.signin.scripts.set(user, ["password", "error:53003"])
    page = walker.submit(_entra(walker, clean).form(), loginfmt=user)
    page = walker.submit(page.form(), passwd=password)
    assert 'data-aadsts="53003"' in page.text and "AADSTS53003" in page.text
