"""A page that could not be read for the attacker's markup leaves the markup attack undecided (INCONCLUSIVE, coded),
never REJECTED on a guess; the other attacks do not read the markup and are decided as before."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from playwright.sync_api import BrowserContext
from playwright.sync_api import Error as PlaywrightError

from sso_harness.apps.security.catalogue import attack
from sso_harness.apps.security.driver_browser import BrowserDriver
from sso_harness.apps.security.driver_http import HttpDriver
from sso_harness.apps.security.lab_subjects import vulnerable_saml_subject
from sso_harness.apps.security.saml_battery import SamlBattery
from sso_harness.apps.security.verdicts import MARKUP_UNREAD, Verdict


class _MovingPage:
    """A page that navigates away whenever it is read, as Playwright reports it."""

    def on(self, event: str, handler: Callable[..., None]) -> None:
        pass

    def evaluate(self, script: str, arg: Any = None) -> Any:
        raise PlaywrightError("Execution context was destroyed, most likely because of a navigation")


class _Context:
    def __init__(self) -> None:
        self.pages = [_MovingPage()]


def test_the_browser_driver_says_it_could_not_read_rather_than_no() -> None:
    driver = BrowserDriver(cast(BrowserContext, _Context()))
    assert driver.has_element("sso-harness-markup-t1") is None


class _UnreadableDom(HttpDriver):
    """The HTTP driver, but every look at the DOM fails as a page moving on would."""

    def has_element(self, element_id: str) -> bool | None:
        return None


def test_the_markup_attack_on_an_unreadable_page_is_inconclusive_with_its_code(lab) -> None:  # type: ignore[no-untyped-def]
    battery = SamlBattery(vulnerable_saml_subject(lab), _UnreadableDom(), lab.site, key=lab.attacker_key)
    result = battery.attempt(attack("saml-attribute-html"))
    assert result.verdict is Verdict.INCONCLUSIVE and result.code == MARKUP_UNREAD
    assert result.reason.startswith(f"{MARKUP_UNREAD}: could not tell whether the SP rendered the markup")
    assert battery.attempt(attack("saml-expired")).verdict is Verdict.REJECTED  # the DOM plays no part there


def test_a_readable_page_without_the_markup_is_still_rejected(lab, http_driver) -> None:  # type: ignore[no-untyped-def]
    result = SamlBattery(vulnerable_saml_subject(lab), http_driver, lab.site, key=lab.attacker_key).attempt(attack("saml-attribute-html"))
    assert result.verdict is Verdict.REJECTED and result.code is None
