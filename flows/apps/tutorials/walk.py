"""One browser flow of a tutorial: open, maybe click, sign in, come back.

The walk waits on page state, never on time: after the start page (and the
optional button press, e.g. a "Go" or "Test connection" button, done as
the lane says) it waits until the
browser is back where the flow ends (``until``, a URL prefix), or shows the
sign-in page (``ready``), or an IdP error page (``error``). An error page is
recorded as a *refusal* with its text; the checks then judge. The walk
itself fails only when the browser cannot get anywhere, and says where it
stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from sso_harness.browser.login import Credentials, LoginDriver
from sso_harness.targets.steps import StepFailed

__all__ = ["WalkPlan", "WalkEnd", "walk"]

_SCREEN = """([ready, error, until]) => {
    if (location.href.startsWith(until)) return 'arrived';
    if (document.readyState === 'loading') return false;
    const visible = (sel) => !!sel && Array.from(document.querySelectorAll(sel)).some(
        el => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden');
    if (visible(error)) return 'error';
    if (visible(ready)) return 'ready';
    return false;
}"""


@dataclass(frozen=True)
class WalkPlan:
    start: str
    until: str
    before_sign_in: Callable[[Page], None] | None = None  # the guide's button press (the lane says how)
    sign_in: bool = True
    ready: str | None = None
    error: str | None = None
    timeout_ms: float = 15_000


@dataclass(frozen=True)
class WalkEnd:
    refusal: str | None = None
    error: str | None = None


def walk(page: Page, plan: WalkPlan, login: LoginDriver | None, credentials: Credentials | None) -> WalkEnd:
    try:
        return _walk(page, plan, login, credentials)
    except PlaywrightError as exc:
        return WalkEnd(error=f"{_first_line(exc)} (at {page.url})")
    except StepFailed as exc:  # a target's declared step; its message names the step, never a typed value
        return WalkEnd(error=_first_line(exc))


def _walk(page: Page, plan: WalkPlan, login: LoginDriver | None, credentials: Credentials | None) -> WalkEnd:
    page.goto(plan.start, timeout=plan.timeout_ms)
    if plan.before_sign_in is not None:
        plan.before_sign_in(page)
    if not plan.sign_in or login is None or credentials is None:
        page.wait_for_load_state("load", timeout=plan.timeout_ms)
        return WalkEnd()
    if not page.url.startswith(plan.until):
        screen = _screen(page, plan) if plan.ready or plan.error else "ready"
        if screen == "error":
            return WalkEnd(refusal=_error_text(page, plan))
        if screen == "ready":
            try:
                login.sign_in(page, credentials)
            except AssertionError as exc:  # the drivers' "refused" and "not recognised" failures
                text = _error_text(page, plan)
                return WalkEnd(refusal=text) if text else WalkEnd(error=_first_line(exc))
    try:
        page.wait_for_url(lambda url: url.startswith(plan.until), timeout=plan.timeout_ms)
    except PlaywrightError:
        text = _error_text(page, plan)
        if text:
            return WalkEnd(refusal=text)
        return WalkEnd(error=f"the browser did not come back to {plan.until} within {plan.timeout_ms / 1000:.0f}s; it stopped at {page.url}")
    page.wait_for_load_state("load", timeout=plan.timeout_ms)
    return WalkEnd()


def _screen(page: Page, plan: WalkPlan) -> str:
    for _ in range(5):  # a navigation during the wait destroys the context: ask again
        try:
            handle = page.wait_for_function(_SCREEN, arg=[plan.ready, plan.error, plan.until], timeout=plan.timeout_ms)
            return str(handle.json_value())
        except PlaywrightError as exc:
            if "context was destroyed" not in str(exc) and "navigat" not in str(exc).lower():
                raise
    return "ready"


def _error_text(page: Page, plan: WalkPlan) -> str | None:
    if not plan.error:
        return None
    try:
        found = page.locator(plan.error)
        visible = [found.nth(i) for i in range(found.count()) if found.nth(i).is_visible()]
        return visible[0].inner_text(timeout=2_000).strip() if visible else None
    except PlaywrightError:
        return None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
