"""Adds the run's context to the Allure results folder: ``environment.properties`` and ``categories.json``.

Registered by :mod:`sso_harness.plugin.hooks` when ``--alluredir`` is given.
The browser's name and version are read from the first test that opened a
page; both files are written when the session ends (by each xdist worker,
which saw the browser, and by the controller; the environment file merges).
The flows' own attachments are made by ``sso_capture`` (see
:mod:`sso_harness.plugin.fixtures`). A failed test that recorded a flow gets
its trace's codes in its failure (:mod:`sso_harness.plugin.allure_diagnosis`),
so the categories file it by its cause.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest
from pluggy import Result

from sso_harness.plugin.allure_environment import run_environment, write_environment
from sso_harness.plugin.target_option import selected_target, selected_target_name

__all__ = ["AllureResults"]


class AllureResults:
    """The plugin object; one per session."""

    def __init__(self, config: pytest.Config, results_dir: Path) -> None:
        self.config, self.results_dir = config, results_dir
        self.browser: str | None = None

    # trylast: the innermost wrapper, so this runs before allure-pytest's own wrapper reads the failure.
    @pytest.hookimpl(hookwrapper=True, trylast=True)
    def pytest_runtest_makereport(self, item: pytest.Item,
                                  call: pytest.CallInfo[None]) -> Generator[None, Result[pytest.TestReport], None]:
        outcome = yield
        report = outcome.get_result()
        if self.browser is None and report.when == "call":
            self.browser = _browser_of(item)
        if report.failed and report.when == "call":
            from sso_harness.plugin.allure_diagnosis import add_trace_codes  # diagnosis and codes: only on a failure

            try:
                add_trace_codes(item, call, report)
            except Exception as exc:  # a diagnosis fault must not hide the test's own result
                item.warn(pytest.PytestWarning(f"sso-harness could not add the trace's codes to the failure: {exc!r}"))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        name = selected_target_name(self.config)
        try:
            target = selected_target(self.config)
        except pytest.UsageError:  # already reported at session start; the environment still names the target
            kind, sps = None, []
        else:
            kind, sps = target.idp.kind, [sp.name for sp in target.sps]
        write_environment(self.results_dir, run_environment(target=name, idp_kind=kind, sps=sps, browser=self.browser))
        from sso_harness.plugin.allure_categories import write_categories  # imports every code's module: only now

        write_categories(self.results_dir)


def _browser_of(item: pytest.Item) -> str | None:
    """``"chromium 131.0.6778.85 (/usr/bin/chromium)"`` when the test used pytest-playwright's page."""
    page = getattr(item, "funcargs", {}).get("page")
    browser = getattr(getattr(page, "context", None), "browser", None)
    if browser is None:
        return None
    from sso_harness.browser.launch import ChromiumMissing, chromium_executable

    try:
        where = f" ({chromium_executable()})"
    except ChromiumMissing:
        where = ""
    return f"{browser.browser_type.name} {browser.version}{where}"
