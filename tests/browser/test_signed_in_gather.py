"""Gathering the signed-in facts from a live page: evidence that never comes is unread, never a negative.

The page is a stand-in that answers like Playwright's :class:`Page` and can
be told never to commit, never to load, to move on while read, or to leave
the probe unanswered (Playwright's own ``TimeoutError``/``Error``). Before
the fix a landing page that timed out was read as "not signed in".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from sso_harness.browser.signed_in import (
    LANDING_NOT_LOADED,
    PAGE_UNREADABLE,
    PROBE_UNANSWERED,
    Answer,
    SignInRule,
    decide,
    gather,
)

SP = "https://sp.example.test"
ACS = f"{SP}/mellon/postResponse"
LANDING = f"{SP}/secret/"
DELIVERED = (Answer("POST", ACS, 303, saml_response=True),)


@dataclass
class _Reply:
    status: int
    body: str = ""

    def text(self) -> str:
        return self.body


@dataclass
class _Locator:
    texts: list[str]

    def count(self) -> int:
        return len(self.texts)

    def all_inner_texts(self) -> list[str]:
        return list(self.texts)


@dataclass
class _Request:
    probe: _Reply | None

    def get(self, url: str, **_: Any) -> _Reply:
        if self.probe is None:
            raise PlaywrightTimeoutError(f"Timeout exceeded while fetching {url}")
        return self.probe


@dataclass
class _Context:
    request: _Request
    jar: list[dict[str, str]] = field(default_factory=list)

    def cookies(self) -> list[dict[str, str]]:
        return list(self.jar)


class FakePage:
    """``commits``/``loads``: whether the landing navigation reaches those states; ``readable``: whether the
    DOM can be read; ``text``/``elements``: what it shows; ``probe``: the probe's answer (None: never answers)."""

    def __init__(self, *, commits: bool = True, loads: bool = True, readable: bool = True, text: str = "",
                 elements: list[str] | None = None, probe: _Reply | None = _Reply(200), status: int = 200,
                 cookies: dict[str, str] | None = None) -> None:
        self.commits, self.loads, self.readable, self.text, self.status = commits, loads, readable, text, status
        self.elements = elements or []
        self.url = ACS
        self.main_frame = object()
        self.context = _Context(_Request(probe), [{"name": k, "value": v} for k, v in (cookies or {}).items()])
        self.listeners: list[Callable[..., None]] = []
        self.waits: list[str] = []

    def on(self, event: str, handler: Callable[..., None]) -> None:
        self.listeners.append(handler)

    def remove_listener(self, event: str, handler: Callable[..., None]) -> None:
        self.listeners.remove(handler)

    def goto(self, url: str, *, wait_until: str, timeout: float) -> _Reply:
        self.waits.append(f"goto:{wait_until}")
        if not self.commits or (wait_until != "commit" and not self.loads):
            raise PlaywrightTimeoutError(f"Timeout {timeout:g}ms exceeded.\n=== logs ===")
        self.url = url
        return _Reply(self.status)

    def wait_for_load_state(self, state: str, *, timeout: float) -> None:
        self.waits.append(f"load-state:{state}")
        if not self.loads:
            raise PlaywrightTimeoutError(f"Timeout {timeout:g}ms exceeded.")

    def evaluate(self, script: str) -> str:
        if not self.readable:
            raise PlaywrightError("Execution context was destroyed, most likely because of a navigation")
        return self.text

    def locator(self, selector: str) -> _Locator:
        if not self.readable:
            raise PlaywrightError("Execution context was destroyed")
        return _Locator(self.elements)


def _gather(page: FakePage, rule: SignInRule | None, **over: Any):  # type: ignore[no-untyped-def]
    kwargs: dict[str, Any] = dict(answers=DELIVERED, cookies_before=frozenset(), landing_url=LANDING, timeout_ms=1_000)
    kwargs.update(over)
    return gather(page, rule, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("rule", [SignInRule(text="Welcome"), SignInRule(selector="#user"), SignInRule(url=f"{LANDING}*"), None],
                         ids=["text", "selector", "url", "saml-default"])
@pytest.mark.parametrize("page", [FakePage(commits=False), FakePage(loads=False)], ids=["never-commits", "never-loads"])
def test_a_landing_page_that_never_loads_leaves_the_verdict_open_with_its_code(page: FakePage, rule: SignInRule | None) -> None:
    facts = _gather(page, rule)
    assert [u.code for u in facts.unread] == [LANDING_NOT_LOADED]
    verdict = decide(rule, facts, acs_url=ACS)
    assert verdict.signed_in is None and verdict.code == LANDING_NOT_LOADED and verdict.failed is None
    assert verdict.explain().startswith("could not tell") and LANDING_NOT_LOADED in verdict.explain()
    assert page.listeners == []  # the chain listener is removed on every path


def test_the_landing_is_awaited_on_state_commit_then_load_and_then_read() -> None:
    page = FakePage(text="Welcome back")
    facts = _gather(page, SignInRule(text="Welcome"))
    assert page.waits == ["goto:commit", "load-state:load"]
    assert facts.unread == () and facts.landing_status == 200
    assert decide(SignInRule(text="Welcome"), facts).signed_in is True


def test_a_loaded_page_without_the_text_is_a_real_refusal() -> None:
    verdict = decide(SignInRule(text="Welcome"), _gather(FakePage(text="Please sign in"), SignInRule(text="Welcome")))
    assert verdict.signed_in is False and verdict.failed is not None and verdict.failed.name == "text"


def test_a_page_that_moves_on_while_read_is_unreadable_not_signed_out() -> None:
    rule = SignInRule(selector="#user")
    verdict = decide(rule, _gather(FakePage(readable=False), rule))
    assert verdict.signed_in is None and verdict.code == PAGE_UNREADABLE


def test_an_unanswered_probe_leaves_the_verdict_open_but_a_wrong_answer_refuses() -> None:
    rule = SignInRule(probe_url=f"{SP}/whoami")
    open_ = decide(rule, _gather(FakePage(probe=None), rule))
    assert open_.signed_in is None and open_.code == PROBE_UNANSWERED
    refused = decide(rule, _gather(FakePage(probe=_Reply(302)), rule))
    assert refused.signed_in is False and refused.failed is not None and refused.failed.name == "probe"


def test_evidence_already_read_still_decides_when_the_landing_never_loads() -> None:
    refused_at_acs = (Answer("POST", ACS, 500, saml_response=True),)
    verdict = decide(None, _gather(FakePage(loads=False), None, answers=refused_at_acs), acs_url=ACS)
    assert verdict.signed_in is False and verdict.failed is not None and verdict.failed.name == "acs-answered"

    rule = SignInRule(cookie="mellon-cookie")
    held = decide(rule, _gather(FakePage(loads=False, cookies={"mellon-cookie": "abc"}), rule))
    assert held.signed_in is True  # the cookie is in the jar: the landing page was not needed

    probe_rule = SignInRule(text="Welcome", probe_url=f"{SP}/whoami")
    refused_probe = decide(probe_rule, _gather(FakePage(loads=False, probe=_Reply(401)), probe_rule))
    assert refused_probe.signed_in is False and refused_probe.failed is not None and refused_probe.failed.name == "probe"


def test_the_saml_default_with_a_new_cookie_and_a_slow_landing_is_still_open() -> None:
    verdict = decide(None, _gather(FakePage(loads=False, cookies={"mellon-cookie": "abc"}), None), acs_url=ACS)
    assert verdict.signed_in is None and verdict.code == LANDING_NOT_LOADED
    assert [c.held for c in verdict.conditions] == [True, True, None]  # acs-answered, session-cookie, landing
