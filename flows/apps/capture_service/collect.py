"""After the flow: what the browser side leaves for the bundle (screenshot, page text, Playwright trace)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from sso_harness.apps.capture_service.session import page_text
from sso_harness.diagnose import PageText

__all__ = ["BrowserLeftovers", "collect_leftovers"]


@dataclass(frozen=True)
class BrowserLeftovers:
    screenshots: tuple[tuple[str, bytes], ...]
    final_page: PageText | None
    playwright_trace: bytes | None


def collect_leftovers(page: Page | None, context: BrowserContext | None, *, tracing: str | None = "stop") -> BrowserLeftovers:
    """Never raises: a closed window or a crashed browser gives a smaller bundle, not none.

    ``tracing``: ``"stop"`` (the capture started tracing), ``"chunk"`` (tracing
    was already running; a chunk was started for this flow), or None.
    """
    shots: list[tuple[str, bytes]] = []
    final: PageText | None = None
    if page is not None and not page.is_closed():
        try:
            shots.append(("final-page", page.screenshot(full_page=True, timeout=10_000)))
        except PlaywrightError:
            pass
        final = PageText(page.url, page_text(page))
    data: bytes | None = None
    if context is not None and tracing is not None:
        with tempfile.TemporaryDirectory(prefix="sso-harness-pwtrace-") as tmp:
            path = Path(tmp) / "trace.zip"
            try:
                if tracing == "chunk":
                    context.tracing.stop_chunk(path=str(path))
                else:
                    context.tracing.stop(path=str(path))
                data = path.read_bytes() if path.exists() else None
            except PlaywrightError:
                data = None
    return BrowserLeftovers(tuple(shots), final, data)
