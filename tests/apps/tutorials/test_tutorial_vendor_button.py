"""A guide's button on the SP's page: the mock's selector in the emulation, the target's declared steps on a target."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sso_harness.targets.target import JourneyStep, Steps
from sso_harness.apps.tutorials import TargetLane
from sso_harness.apps.tutorials.errors import ValueMissing
from sso_harness.apps.tutorials.lane import BEFORE_SIGN_IN_STEPS
from sso_harness.apps.tutorials.spec import FlowSpec

from .test_tutorial_lanes import target


class _Page:
    """Records what a declared ``click`` step asks of the page; nothing else is used by one click."""

    def __init__(self) -> None:
        self.clicked: list[str] = []
        self.url = "https://app.example/start"

    def locator(self, selector: str) -> "_Page":
        self.clicked.append(selector)
        return self

    @property
    def first(self) -> "_Page":
        return self

    def click(self, timeout: float) -> None:
        return None


def _flow(click: str | None) -> FlowSpec:
    return FlowSpec(id="sp_initiated", start="{sp.sign_on_url}", click=click)


def test_a_target_never_presses_the_mocks_button_it_presses_its_own_declared_one() -> None:
    own = Steps(before_sign_in=(JourneyStep(kind="click", selector="button#sign-in-with-sso"),))
    base = target()
    lane = TargetLane(replace(base, sps=tuple(replace(sp, steps=own) for sp in base.sps)), "app", proxy_url="x")
    press = lane.before_sign_in(_flow("#go"), None)
    assert press is not None
    page = _Page()
    press(page)  # type: ignore[arg-type]
    assert page.clicked == ["button#sign-in-with-sso"]  # the target's selector, not the mock's "#go"


def test_a_target_without_declared_steps_lacks_a_value_rather_than_clicking_a_mock_selector() -> None:
    with pytest.raises(ValueMissing) as missing:
        TargetLane(target(), "app", proxy_url="x").before_sign_in(_flow("#go"), None)
    assert missing.value.name == BEFORE_SIGN_IN_STEPS


def test_a_flow_that_presses_nothing_needs_no_steps() -> None:
    assert TargetLane(target(), "app", proxy_url="x").before_sign_in(_flow(None), None) is None
