"""Attended approval through the driver: a person (here the test, playing the phone) approves a push.

The driver, attended, says what to do and waits; the test's ``say`` hook plays
the user's phone through the mock's admin API (``GET /_admin/approvals`` shows
the number the browser shows, ``POST /_admin/approve`` answers); the page
learns the answer by polling ``SAS/EndAuth``, as the real one does, and the
sign-in goes on. Nothing here waits on time: the driver waits for the page.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from sso_harness.browser.entra import EntraLogin, EntraSignInFailed
from sso_harness.browser.entra import errors as E
from sso_harness.browser.login import Credentials
from sso_harness.mocks.fleet import MockFleet

pytestmark = pytest.mark.e2e

SIMON = Credentials("b.simon@contoso.com", "Pa55w.rd-simon")


def _admin(fleet: MockFleet, path: str, body: object | None = None) -> dict[str, object]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{fleet.entra.base_url}{path}", data=data, headers={"Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never through a proxy
    with opener.open(request, timeout=10) as response:
        answer = json.loads(response.read())
    assert isinstance(answer, dict)
    return answer


def _phone(fleet: MockFleet, *, deny: bool = False, told: list[str] | None = None) -> Callable[[str], None]:
    """A ``say`` hook that answers on the user's phone with the number the browser shows."""

    def say(line: str) -> None:
        if told is not None:
            told.append(line)
        pending = _admin(fleet, "/_admin/approvals")["pending"]
        assert isinstance(pending, list) and len(pending) == 1
        _admin(fleet, "/_admin/approve", {"user": SIMON.username, "number": pending[0]["number"], "deny": deny})

    return say


def _start(page: Page, fleet: MockFleet, screens: list[str]) -> None:
    fleet.entra.signin.scripts.set(SIMON.username, screens)
    page.goto(fleet.atlassian.instance_url("contoso"))


@pytest.mark.parametrize("screen", ["push", "number_match"])
def test_attended_approval_completes_the_sign_in(page, mock_fleet, screen: str) -> None:  # type: ignore[no-untyped-def]
    told: list[str] = []
    login = EntraLogin(attended=True, attended_timeout_ms=15_000, say=_phone(mock_fleet, told=told))
    _start(page, mock_fleet, ["password", screen, "kmsi"])
    login.sign_in(page, SIMON)
    page.wait_for_url(mock_fleet.atlassian.instance_url("contoso"))
    assert page.locator("#user").inner_text() == SIMON.username
    assert [s for s in login.screens if s != "auto_post"] == ["username", "password", screen, "kmsi"]
    assert len(told) == 1


def test_attended_denial_ends_on_request_denied(page, mock_fleet) -> None:  # type: ignore[no-untyped-def]
    login = EntraLogin(attended=True, attended_timeout_ms=15_000, say=_phone(mock_fleet, deny=True))
    _start(page, mock_fleet, ["password", "push", "kmsi"])
    with pytest.raises(EntraSignInFailed) as failure:
        login.sign_in(page, SIMON)
    assert failure.value.code == E.MFA_DENIED and failure.value.screens[-2:] == ("push", "mfa_denied")
