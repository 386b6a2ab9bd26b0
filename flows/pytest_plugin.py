"""The sso-harness pytest plugin: fixtures and options.

Layered like pytest-playwright's own fixtures:

    sso_proxy (session)  -> browser_type_launch_args (session, overridden)
    sso_mock_fleet (session) -> mock_fleet (per test, reset)
    page (pytest-playwright) -> sso_capture (per test: the flow's recording)

``sso_capture`` attaches the decoded messages, the hop table and a final
screenshot to the Allure report after each test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.report.summary import Outcome, write_summary

__all__ = ["pytest_addoption", "pytest_configure"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sso-harness")
    group.addoption("--sso-summary", default=None, metavar="PATH", help="write a Markdown run summary to PATH")
    group.addoption(
        "--sso-allow-egress",
        action="store_true",
        default=False,
        help="let the browser reach non-loopback hosts (real tenants); by default they are answered locally and blocked",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Registered after the entry-point plugins, so these fixtures take
    # precedence over pytest-playwright's of the same name.
    if not config.pluginmanager.has_plugin("sso_harness_fixtures"):
        from flows import pytest_fixtures

        config.pluginmanager.register(pytest_fixtures, "sso_harness_fixtures")
    if config.getoption("--sso-summary", None) and not config.pluginmanager.has_plugin("sso_harness_summary"):
        config.pluginmanager.register(_Summary(Path(config.getoption("--sso-summary"))), "sso_harness_summary")


class _Summary:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.outcomes: list[Outcome] = []
        self._durations: dict[str, float] = {}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._durations[report.nodeid] = self._durations.get(report.nodeid, 0.0) + report.duration
        failed = report.failed
        if report.when == "call" or (report.when in ("setup", "teardown") and (failed or report.skipped)):
            result = "failed" if failed and report.when == "call" else "error" if failed else report.outcome
            first = ""
            if failed:
                first = str(getattr(report.longrepr, "reprcrash", None) and report.longrepr.reprcrash.message or report.longreprtext.splitlines()[-1:])  # type: ignore[union-attr]
                first = first.splitlines()[0][:200] if first else ""
            self.outcomes = [o for o in self.outcomes if o.test != report.nodeid]
            self.outcomes.append(Outcome(report.nodeid, result, self._durations[report.nodeid], first))

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if hasattr(session.config, "workerinput"):
            return  # xdist workers: the controller writes the summary
        write_summary(self.path, self.outcomes)
