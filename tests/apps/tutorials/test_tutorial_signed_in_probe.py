"""``sp.signed_in`` on a final page that could not be read: "could not tell", with the check's code, never "false"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, cast

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from sso_harness.apps.tutorials.errors import NotObserved
from sso_harness.apps.tutorials.observe import ProbeInput
from sso_harness.apps.tutorials.probes import read_probe
from sso_harness.browser.signed_in import LANDING_NOT_LOADED, PAGE_UNREADABLE, SignInRule

from .tutorial_builders import SP, outcome, saml_response, sp_initiated_trace


class _Context:
    def cookies(self) -> list[dict[str, str]]:
        return [{"name": "app_session", "value": "abc"}]


class _FinalPage:
    """The flow's final page, as Playwright's :class:`Page` answers: it never loads, or moves on while read."""

    def __init__(self, *, loads: bool, readable: bool = True) -> None:
        self.loads, self.readable = loads, readable
        self.url = f"{SP}/app"
        self.main_frame = object()
        self.context = _Context()
        self.listeners: list[Callable[..., None]] = []

    def on(self, event: str, handler: Callable[..., None]) -> None:
        self.listeners.append(handler)

    def remove_listener(self, event: str, handler: Callable[..., None]) -> None:
        self.listeners.remove(handler)

    def wait_for_load_state(self, state: str, *, timeout: float) -> None:
        if not self.loads:
            raise PlaywrightTimeoutError(f"Timeout {timeout:g}ms exceeded.")

    def evaluate(self, script: str) -> Any:
        if not self.readable:
            raise PlaywrightError("Execution context was destroyed, most likely because of a navigation")
        return "Welcome back"


@pytest.mark.parametrize(("page", "code"), [(_FinalPage(loads=False), LANDING_NOT_LOADED),
                                            (_FinalPage(loads=True, readable=False), PAGE_UNREADABLE)],
                         ids=["never-loads", "unreadable"])
def test_an_unread_final_page_is_not_observed_with_its_code(idp_keys, page: _FinalPage, code: str) -> None:  # type: ignore[no-untyped-def]
    flow = replace(outcome(sp_initiated_trace(idp_keys, saml_response(idp_keys))), page=cast(Page, page),
                   signed_in_rule=SignInRule(text="Welcome"))
    with pytest.raises(NotObserved) as missing:
        read_probe("sp.signed_in", ProbeInput(flow))
    assert missing.value.code == code
    assert str(missing.value).startswith(f"could not tell whether signed in: {code}:")
    assert page.listeners == []


def test_a_final_page_that_was_read_decides(idp_keys) -> None:  # type: ignore[no-untyped-def]
    flow = replace(outcome(sp_initiated_trace(idp_keys, saml_response(idp_keys))), page=cast(Page, _FinalPage(loads=True)),
                   signed_in_rule=SignInRule(text="Welcome"))
    assert read_probe("sp.signed_in", ProbeInput(flow)).value is True
    absent = replace(flow, signed_in_rule=SignInRule(text="Goodbye"))
    assert read_probe("sp.signed_in", ProbeInput(absent)).value is False
