"""Running tutorial specs in the e2e suite, on the session's proxy, browser and mock fleet."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sso_harness.apps.tutorials import EmulationLane, TutorialResult, load_named, run_tutorial


@pytest.fixture
def tutorial_context(browser):  # type: ignore[no-untyped-def]
    """A plain context on the session's browser: the checklist is the report, so no Playwright
    tracing (pytest-playwright's ``context`` records one, which doubles a tutorial's time)."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def run_spec(mock_fleet, sso_proxy, tutorial_context) -> Callable[..., TutorialResult]:  # type: ignore[no-untyped-def]
    """``run_spec(name, drift=None, lane=None)``: one tutorial against the emulation (or ``lane``)."""

    def run(name: str, drift: str | None = None, lane=None) -> TutorialResult:  # type: ignore[no-untyped-def]
        spec = load_named(name)
        chosen = lane or EmulationLane(mock_fleet, proxy_url=sso_proxy.url)
        return run_tutorial(spec, chosen, tutorial_context, sso_proxy.recorder, drift=spec.drift(drift) if drift else None,
                            cafile=str(sso_proxy.ca_cert_path))

    return run
