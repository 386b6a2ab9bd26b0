"""The sso-harness pytest plugin: fixtures and options.

Layered like pytest-playwright's own fixtures:

    sso_proxy (session)  -> browser_type_launch_args (session, overridden)
    sso_mock_fleet (session) -> mock_fleet (per test, reset)
    page (pytest-playwright) -> sso_capture (per test: the flow's recording)

``sso_capture`` attaches the flow (timeline, decoded messages, hop table,
trace, screenshot) to the test in the Allure report when the test body
ends; with ``--alluredir``, :mod:`sso_harness.plugin.allure_results` adds
``environment.properties`` and ``categories.json``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sso_harness.report.summary import Outcome, write_summary

__all__ = ["pytest_addoption", "pytest_configure"]


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` for a target's flows: one worker per two cores (see :mod:`sso_harness.plugin.auto_workers`)."""
    from sso_harness.plugin.auto_workers import auto_workers

    return auto_workers(config)


def pytest_addoption(parser: pytest.Parser) -> None:
    # Every option of the plugin is --sso-*, in this one group, so none can clash with another plugin's.
    group = parser.getgroup("sso-harness", "sso-harness (single sign-on flows)")
    group.addoption("--sso-summary", default=None, metavar="PATH", help="write a Markdown run summary to PATH")
    group.addoption("--sso-target", default="mocks", metavar="NAME",
                    help="run against this target from the targets file (default: mocks, the embedded mock fleet)")
    group.addoption("--sso-targets-file", default=None, metavar="PATH",
                    help="targets YAML (default: targets.yaml in the rootdir; the mocks target is packaged with the harness)")
    group.addoption("--sso-progress", action="store_true", default=False,
                    help="print one line per finished flow: result, time, first failed expectation")
    group.addoption(
        "--sso-allow-egress",
        action="store_true",
        default=False,
        help="let the browser reach non-loopback hosts (real tenants); by default they are answered locally and blocked",
    )
    group.addoption("--sso-proxy-port", type=int, default=0, metavar="N",
                    help="the capture proxy listens on 127.0.0.1:N (default 0: a free port), e.g. an RP's outgoing proxy")
    group.addoption("--sso-no-redact", action="store_true", default=False,
                    help="write secrets in clear in every report, trace and log (each artifact then says so); default: redacted")
    from sso_harness.plugin import concurrency, remote_browser, shard

    shard.add_options(group)
    remote_browser.add_options(group)
    concurrency.add_options(group)


def pytest_configure(config: pytest.Config) -> None:
    # Registered after the entry-point plugins, so these fixtures take
    # precedence over pytest-playwright's of the same name.
    if not config.pluginmanager.has_plugin("sso_harness_fixtures"):
        from sso_harness.plugin import fixtures as pytest_fixtures

        config.pluginmanager.register(pytest_fixtures, "sso_harness_fixtures")
        from sso_harness.plugin import journeys

        config.pluginmanager.register(journeys, "sso_harness_journeys")
        from sso_harness.plugin import target_option as pytest_targets

        config.pluginmanager.register(pytest_targets, "sso_harness_targets")
        from sso_harness.plugin import browser_flags

        config.pluginmanager.register(browser_flags, "sso_harness_browser_flags")
        from sso_harness.plugin import remote_browser

        config.pluginmanager.register(remote_browser, "sso_harness_remote_browser")
        from sso_harness.plugin import concurrency

        config.pluginmanager.register(concurrency, "sso_harness_concurrency")
    from sso_harness.plugin import redaction

    redaction.register(config)
    if config.getoption("--sso-progress", False) and not config.pluginmanager.has_plugin("sso_harness_progress"):
        config.pluginmanager.register(_Progress(config), "sso_harness_progress")
    if config.getoption("--sso-summary", None) and not config.pluginmanager.has_plugin("sso_harness_summary"):
        config.pluginmanager.register(_Summary(Path(config.getoption("--sso-summary"))), "sso_harness_summary")
    results = getattr(config.option, "allure_report_dir", None)  # allure-pytest's --alluredir
    if results and not config.pluginmanager.has_plugin("sso_harness_allure"):
        from sso_harness.plugin.allure_results import AllureResults

        config.pluginmanager.register(AllureResults(config, Path(results)), "sso_harness_allure")
    from sso_harness.plugin import shard

    shard.configure(config)  # last: its trylast selection then runs before _Progress counts the flows


def _first_failure(report: pytest.TestReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else (report.longreprtext.splitlines() or [""])[-1]
    return text.splitlines()[0][:200] if text else ""


class _Progress:
    """One line per finished flow instead of pytest's dots: ``[ 3/12] PASS  name  0.61s``."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.done = 0
        self.total = 0

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self.total = len(items)

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report: pytest.TestReport) -> tuple[str, str, str] | None:
        if report.when == "call" or (report.when == "setup" and not report.passed):
            return report.outcome, "", report.outcome.upper()
        return None

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if not (report.when == "call" or (report.when == "setup" and not report.passed)):
            return
        self.done += 1
        tr = self.config.pluginmanager.get_plugin("terminalreporter")
        if tr is None:
            return
        label = {"passed": "PASS", "failed": "FAIL", "skipped": "SKIP"}[report.outcome]
        width = len(str(self.total or self.done))
        line = f"[{self.done:>{width}}/{self.total or '?'}] {label}  {report.nodeid}  {report.duration:.2f}s"
        if report.failed:
            line += f"\n{' ' * (width * 2 + 4)}{_first_failure(report)}"
        tr.ensure_newline()
        tr.write_line(line, green=report.passed, red=report.failed, yellow=report.skipped)


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
            first = _first_failure(report) if failed else ""
            self.outcomes = [o for o in self.outcomes if o.test != report.nodeid]
            self.outcomes.append(Outcome(report.nodeid, result, self._durations[report.nodeid], first))

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if hasattr(session.config, "workerinput"):
            return  # xdist workers: the controller writes the summary
        write_summary(self.path, self.outcomes)
