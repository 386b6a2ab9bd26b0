"""Screens scripted from the fleet configuration, and the phone that approves a push (HTTP only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sso_harness.mocks.config import ConfigError, FleetConfig, load_config
from sso_harness.mocks.entra.flow import ScreenScripts, ScriptError
from sso_harness.mocks.entra.phone import Pending, Phone, PhoneError
from sso_harness.mocks.fleet import MockFleet
from sso_harness.mocks.scenario import screen_scripts
from .mock_walker import Page, Walker

SIMON = ("b.simon@contoso.com", "Pa55w.rd-simon")


# -- screens from the fleet configuration ----------------------------------------------------------------
def test_a_user_s_screens_are_read_from_yaml(tmp_path: Path) -> None:
    path = tmp_path / "fleet.yaml"
    path.write_text("users:\n  - upn: b.simon@contoso.com\n    screens: [password, method_choice, totp, kmsi]\n", encoding="utf-8")
    config = load_config(path)
    assert screen_scripts(config) == {"b.simon@contoso.com": ("password", "method_choice", "totp", "kmsi")}


@pytest.mark.parametrize(
    "screens",
    [["password", "fax"], "password", ["error:x"], ["password", "account_picker"], [1, 2]],
)
def test_a_bad_screens_list_is_a_coded_config_error(screens: object) -> None:
    with pytest.raises(ConfigError) as raised:
        FleetConfig.from_mapping({"users": [{"upn": "b.simon@contoso.com", "screens": screens}]})
    assert raised.value.code == ScriptError.code == "entra.script"
    assert str(raised.value).startswith("users[0].screens: ")


def test_other_config_errors_keep_the_config_code() -> None:
    with pytest.raises(ConfigError) as raised:
        FleetConfig.from_mapping({"users": [{"upn": "a@contoso.com", "screen": ["password"]}]})
    assert raised.value.code == "mocks.config"


def test_configured_scripts_come_back_after_a_reset_and_admin_ones_go() -> None:
    scripts = ScreenScripts({"B.Simon@contoso.com": ["password", "kmsi"]})
    scripts.set("adele.vance@contoso.com", ["password"])
    scripts.reset()
    assert scripts.get("b.simon@contoso.com") == ("password", "kmsi") and scripts.get("adele.vance@contoso.com") is None
    scripts.clear()
    assert scripts.get("b.simon@contoso.com") is None


def test_a_fleet_started_from_the_config_puts_the_user_through_the_screens(walker: Walker) -> None:
    config = FleetConfig.from_mapping({
        "mocks": ["entra", "atlassian"],
        "users": [{"upn": SIMON[0], "screens": ["password", "consent", "kmsi"]}],
    })
    with MockFleet(config) as fleet:
        for _ in range(2):  # the second time after a reset: configured screens stay
            fleet.reset()
            page = _entra(walker, fleet)
            page = walker.submit(page.form(), loginfmt=SIMON[0])
            page = walker.submit(page.form(), passwd=SIMON[1])
            assert "Permissions requested" in page.text
            page = walker.submit(page.form(), consent="Accept")
            assert "KmsiDescription" in page.text
            walker = Walker()


# -- the phone --------------------------------------------------------------------------------------------
def test_number_matching_needs_the_number_shown() -> None:
    phone = Phone()
    phone.ask(Pending("c1", "b.simon@contoso.com", "number_match", "42"))
    phone.answer("B.Simon@contoso.com", approve=True, number="17")
    assert phone.result("c1") is False
    phone.ask(Pending("c1", "b.simon@contoso.com", "number_match", "42"))
    phone.answer("b.simon@contoso.com", approve=True, number="42")
    assert phone.result("c1") is True
    with pytest.raises(PhoneError):
        phone.answer("b.simon@contoso.com", approve=True)  # already answered: nothing waits


def _entra(w: Walker, f: MockFleet) -> Page:
    page = w.get(f.atlassian.instance_url("contoso"))
    assert page.status == 302 and page.location
    return w.get(page.location)


def _json(w: Walker, url: str, body: object | None = None) -> tuple[int, dict[str, object]]:
    data = None if body is None else json.dumps(body).encode()
    page = w.send(url, data, {"Content-Type": "application/json"})
    return page.status, json.loads(page.text)


def _to_push(w: Walker, f: MockFleet, screen: str) -> Page:
    f.entra.signin.scripts.set(SIMON[0], ["password", screen, "kmsi"])
    page = w.submit(_entra(w, f).form(), loginfmt=SIMON[0])
    page = w.submit(page.form(), passwd=SIMON[1])
    assert "/common/SAS/EndAuth" in page.text  # the page asks whether the phone answered
    return page


def _end_auth(w: Walker, f: MockFleet, page: Page) -> dict[str, object]:
    ctx = page.form().fields["ctx"]
    status, body = _json(w, f"{f.entra.base_url}/common/SAS/EndAuth", {"AuthMethodId": "PhoneAppNotification", "Method": "EndAuth",
                                                                        "Ctx": ctx, "FlowToken": ctx})
    assert status == 200
    return body


def test_an_approved_push_moves_the_sign_in_on(clean: MockFleet, walker: Walker) -> None:
    page = _to_push(walker, clean, "push")
    assert _end_auth(walker, clean, page)["Retry"] is True
    assert walker.submit(page.form()).text.count("idDiv_SAOTCAS_Title") == 1  # nobody answered: the same screen
    _, pending = _json(walker, f"{clean.entra.base_url}/_admin/approvals")
    assert pending == {"pending": [{"user": SIMON[0], "screen": "push", "number": None}]}
    status, body = _json(walker, f"{clean.entra.base_url}/_admin/approve", {"user": SIMON[0]})
    assert status == 201 and body["approved"] is True
    answer = _end_auth(walker, clean, page)
    assert answer["Success"] is True and answer["Retry"] is False and answer["ResultValue"] == "Success"
    assert "KmsiDescription" in walker.submit(page.form()).text


def test_number_matching_with_the_right_number_and_a_wrong_one(clean: MockFleet, walker: Walker) -> None:
    page = _to_push(walker, clean, "number_match")
    shown = page.text.split('id="idRichContext_DisplaySign" class="displaySign">')[1].split("<")[0]
    wrong = "10" if shown != "10" else "11"
    _, body = _json(walker, f"{clean.entra.base_url}/_admin/approve", {"user": SIMON[0], "number": wrong})
    assert body["approved"] is False
    assert _end_auth(walker, clean, page)["Retry"] is False
    assert "idDiv_SAASDS_Description" in walker.submit(page.form()).text  # "Request denied"
    page = _to_push(Walker(), clean, "number_match")
    w2 = Walker()
    shown = page.text.split('id="idRichContext_DisplaySign" class="displaySign">')[1].split("<")[0]
    _, body = _json(w2, f"{clean.entra.base_url}/_admin/approve", {"user": SIMON[0], "number": shown})
    assert body["approved"] is True


def test_approving_with_nothing_pending_is_a_coded_error(clean: MockFleet, walker: Walker) -> None:
    status, body = _json(walker, f"{clean.entra.base_url}/_admin/approve", {"user": SIMON[0]})
    assert status == 400 and body["code"] == "entra.phone"
    status, body = _json(walker, f"{clean.entra.base_url}/_admin/approve", {"user": SIMON[0], "deny": "yes"})
    assert status == 400 and body["code"] == "entra.phone"
