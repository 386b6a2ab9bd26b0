"""Run a target's journey steps (``click``, ``fill``, ...) in the browser.

Steps are configuration: an email-first page, a vendor's "Go" or "Test
connection" button, a post-sign-in interstitial are written in the targets
file, never in code. Each step waits on page state (Playwright's
auto-waiting), never on time. ``{user.KEY}`` templates in a step's
selector, value, URL and text are filled from the flow's test user. A failing step raises :class:`StepFailed`
naming the phase, the step's index, what it did and the page's URL.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import expect as page_expect

from sso_harness.protocols.secrets import remember_secret
from sso_harness.targets.target import JourneyStep, TestUser

__all__ = ["StepFailed", "run_steps", "describe_step", "STEP_FAILED"]

STEP_FAILED = "targets.step_failed"


class StepFailed(AssertionError):
    """A configured step could not be done; ``code`` is ``targets.step_failed``. The message never holds a filled-in value."""

    code = STEP_FAILED


def describe_step(step: JourneyStep) -> str:
    """The step as written, without the value a ``fill`` types (it may be a secret from the environment)."""
    if step.kind in ("click", "wait_for_selector"):
        return f"{step.kind}: {step.selector!r}"
    if step.kind == "wait_for_url":
        return f"wait_for_url: {step.url!r}"
    if step.kind == "fill":
        source = f"env {step.env}" if step.env else f"user.{step.user}" if step.user else "a literal value"
        return f"fill {step.selector!r} from {source}"
    if step.kind == "select":
        return f"select {step.value!r} in {step.selector!r}"
    return f"assert_text {step.text!r} in {step.selector!r}"


def run_steps(page: Page, steps: Sequence[JourneyStep], user: TestUser, *, phase: str,
              env: Mapping[str, str] | None = None, timeout_ms: float = 15_000) -> None:
    """Do ``steps`` in order on ``page``; ``phase`` (``before_sign_in``...) only names them in errors."""
    environ = os.environ if env is None else env
    for i, step in enumerate(steps):
        where = f"{phase}[{i}] {describe_step(step)}"
        try:
            _run(page, step, user, environ, timeout_ms, where)
        except (PlaywrightError, AssertionError) as exc:
            if isinstance(exc, StepFailed):
                raise
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise StepFailed(f"{STEP_FAILED}: step {where} failed at {page.url}: {first}") from None


def _run(page: Page, step: JourneyStep, user: TestUser, env: Mapping[str, str], timeout_ms: float, where: str) -> None:
    if step.kind == "wait_for_url":
        page.wait_for_url(user.fill(step.url) or "", timeout=timeout_ms)
        return
    locator = page.locator(user.fill(step.selector) or "").first
    if step.kind == "click":
        locator.click(timeout=timeout_ms)
    elif step.kind == "wait_for_selector":
        locator.wait_for(state="visible", timeout=timeout_ms)
    elif step.kind == "fill":
        locator.fill(_fill_value(step, user, env, where), timeout=timeout_ms)
    elif step.kind == "select":
        locator.select_option(user.fill(step.value) or "", timeout=timeout_ms)
    elif step.kind == "assert_text":
        page_expect(locator).to_contain_text(user.fill(step.text) or "", timeout=timeout_ms)


def _fill_value(step: JourneyStep, user: TestUser, env: Mapping[str, str], where: str) -> str:
    if step.env is not None:
        if step.env not in env:
            raise StepFailed(f"{STEP_FAILED}: step {where}: environment variable {step.env} is not set")
        remember_secret(env[step.env])  # a value from the environment may be a secret: never in an artifact
        return env[step.env]
    if step.user is not None:
        value = user.field_value(step.user)
        if value is None:
            raise StepFailed(f"{STEP_FAILED}: step {where}: the test user has no field {step.user!r}")
        return value
    return user.fill(step.value) or ""
