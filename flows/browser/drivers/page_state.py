"""Waiting on page state, shared by the login drivers.

A driver never sleeps: after each click it blocks in the browser until one
of the screens it knows is visible, or until the browser has moved on
(left a path or an origin), and is told which. Playwright re-runs the
waiting function in each new document, so a navigation in between is
part of the wait, not an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from sso_harness.browser.login import SignInRefused, LoginPageNotRecognised

__all__ = ["LEFT", "SignInRefused", "wait_for_screen", "screenshot"]

LEFT = "left"

_SCRIPT = """([screens, leftOrigin, leftPath]) => {
    if (leftOrigin !== null && location.origin !== leftOrigin) return 'left';
    if (leftPath !== null && !location.pathname.endsWith(leftPath)) return 'left';
    if (document.readyState === 'loading') return false;
    const visible = (sel) => Array.from(document.querySelectorAll(sel)).some(
        (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden');
    for (const [name, sel] of Object.entries(screens)) if (visible(sel)) return name;
    return false;
}"""


def screenshot(page: Page, directory: Path | None, stem: str) -> Path | None:
    """Save a full-page screenshot as evidence; None when there is nowhere to put it or no page."""
    if directory is None:
        return None
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stem}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except PlaywrightError:
        return None
    return path


def wait_for_screen(
    page: Page,
    screens: Mapping[str, str],
    *,
    timeout_ms: float,
    left_origin: str | None = None,
    left_path: str | None = None,
    screenshot_dir: Path | None = None,
    stem: str = "login-not-recognised",
) -> str:
    """Block until one of ``screens`` (name -> CSS selector) is visible; return its name.

    Returns :data:`LEFT` as soon as the page's origin differs from
    ``left_origin``, or its path no longer ends with ``left_path``. Raises
    :class:`~sso_harness.browser.login.LoginPageNotRecognised` (URL, the selectors
    it looked for, a screenshot) when nothing of the kind happens in time.
    """
    arg = [dict(screens), left_origin, left_path]
    for _ in range(3):  # a document torn down mid-evaluation is retried in the next one
        try:
            handle = page.wait_for_function(_SCRIPT, arg=arg, timeout=timeout_ms)
            return str(handle.json_value())
        except PlaywrightError as exc:
            message = str(exc)
            if "Execution context was destroyed" in message or "navigat" in message.lower():
                continue
            raise LoginPageNotRecognised(
                page.url, ", ".join(screens.values()), screenshot(page, screenshot_dir, stem)
            ) from exc
    raise LoginPageNotRecognised(page.url, ", ".join(screens.values()), screenshot(page, screenshot_dir, stem),
                                 "; the page kept navigating")
