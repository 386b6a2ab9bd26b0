"""The redaction gate in the pytest plugin: no known secret reaches a report, a trace or a log in clear.

Registered by :mod:`sso_harness.plugin.hooks`. The session's
:func:`~sso_harness.protocols.secrets.secret_book` learns every hop the
capture proxy records (a recorder listener), the secrets of the selected
target (the loader) and what the login drivers type. Then:

- each test phase's report is scrubbed (``longrepr``, captured sections, and
  the exception text allure-pytest reads) inside ``pytest_runtest_makereport``,
  *before* allure-pytest, junitxml and the terminal read it. The wrapper is
  ``trylast``: the wrapper called last is the innermost, so its code after
  ``yield`` runs first, ahead of allure-pytest's (a plain wrapper);
- at the end of the session (``pytest_sessionfinish``, ``trylast``: after
  junitxml and ``--sso-summary`` have written, after session fixtures are torn
  down) every output is swept by :func:`sso_harness.report.gate.sweep`:
  ``--alluredir``, ``--junitxml``, pytest-playwright's ``--output``,
  ``--sso-summary`` and the flow timelines. Under pytest-xdist each worker
  hands its book to the controller (``workeroutput``, in memory), and the
  controller sweeps once, with every worker's values.

``--sso-no-redact`` is the explicit opt-out: nothing is scrubbed, and every
artifact says so (a JUnit property, an Allure label, a marker file or member,
a Markdown line, an HTML banner).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any, cast

import pytest
from pluggy import Result

from sso_harness.protocols.secrets import SecretBook, secret_book
from sso_harness.report.gate import SweepReport, scrub_text, sweep
from sso_harness.report.html.scrub import SecretValues

__all__ = ["NO_REDACT_OPTION", "JUNIT_PROPERTY", "WORKER_KEY", "SessionRedaction", "outputs_of", "scrub_report", "register"]

NO_REDACT_OPTION = "--sso-no-redact"
JUNIT_PROPERTY = "sso-harness.redaction"
WORKER_KEY = "sso_harness_secret_values"
PLUGIN_NAME = "sso_harness_redaction"


def register(config: pytest.Config) -> None:
    """Register the gate once per session (called from the plugin's ``pytest_configure``)."""
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(SessionRedaction(config), PLUGIN_NAME)


def outputs_of(config: pytest.Config) -> list[Path]:
    """Every place this session writes artifacts to: Allure results, JUnit XML, Playwright output, summary, timelines."""
    found: list[Path] = []
    alluredir = getattr(config.option, "allure_report_dir", None)
    for value in (alluredir, getattr(config.option, "xmlpath", None), _option(config, "--output"),
                  _option(config, "--sso-summary")):
        if value:
            found.append(Path(value))
    reports = Path(alluredir).parent if alluredir else Path(config.rootpath) / "reports"
    found.append(reports / "timelines")
    return [p if p.is_absolute() else Path(config.invocation_params.dir) / p for p in found]


def _option(config: pytest.Config, name: str) -> Any:
    try:
        return config.getoption(name)
    except ValueError:
        return None


class SessionRedaction:
    """The gate's hooks for one session (see the module docstring)."""

    def __init__(self, config: pytest.Config, book: SecretBook | None = None) -> None:
        self.config = config
        self.book = book if book is not None else secret_book()
        self.enabled = not bool(_option(config, NO_REDACT_OPTION))
        self.worker = hasattr(config, "workerinput")
        self.last: SweepReport | None = None
        self._values = SecretValues(enabled=self.enabled)
        self._version = -1

    def values(self) -> SecretValues:
        """The book as a scrubber (rebuilt when the book learned something)."""
        if self._version != self.book.version:
            self._version = self.book.version
            self._values.add_book(self.book)
        return self._values

    def scrub(self, text: str) -> str:
        """``text`` without any known value or secret URL parameter (unchanged with ``--sso-no-redact``)."""
        return scrub_text(text, self.values())[0] if self.enabled else text

    # -- start: learn every hop, say in JUnit whether redaction is on ----------------------
    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest) -> Generator[None, Result[Any], None]:
        outcome = yield
        if fixturedef.argname == "sso_proxy" and outcome.exception is None:
            recorder = getattr(outcome.get_result(), "recorder", None)
            if recorder is not None:
                recorder.add_listener(self._learn_hop)

    def _learn_hop(self, hop: Any) -> None:
        self.book.learn_exchange(hop.url, hop.request_headers, hop.request_body, hop.response_headers, hop.response_body)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        from _pytest.junitxml import xml_key  # junitxml's own handle on its LogXML (no public one)

        xml = self.config.stash.get(xml_key, None)
        if xml is not None:
            xml.add_global_property(JUNIT_PROPERTY, "on: known secrets replaced by [redacted]" if self.enabled
                                    else "OFF (--sso-no-redact): this report may contain secrets in clear")

    # -- each report, before anyone reads it -------------------------------------------------
    @pytest.hookimpl(hookwrapper=True, trylast=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Result[pytest.TestReport], None]:
        outcome = yield
        if not self.enabled:
            return
        scrub_report(outcome.get_result(), self.scrub)
        excinfo = call.excinfo
        if excinfo is not None:
            text = excinfo.exconly()
            if self.scrub(text) != text:
                call.excinfo = cast(Any, _ScrubbedExcInfo(excinfo, self.scrub))

    # -- the end: hand the book over (worker) or sweep every output --------------------------
    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        output = getattr(node, "workeroutput", None) or {}
        self.book.add_all(output.get(WORKER_KEY, ()))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.worker:
            cast(Any, self.config).workeroutput[WORKER_KEY] = sorted(self.book.values())
            return
        self.last = sweep(outputs_of(self.config), self.values(), enabled=self.enabled)
        if self.enabled:
            # The sweep learned the traces' own secrets; the terminal prints the failures after this hook,
            # from the reports it kept: scrub those again with everything now known.
            reporter = self.config.pluginmanager.get_plugin("terminalreporter")
            for reports in getattr(reporter, "stats", {}).values():
                for report in reports:
                    if isinstance(report, pytest.TestReport):
                        scrub_report(report, self.scrub)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.last is not None and not self.worker:
            terminalreporter.write_line(f"sso-harness: {self.last.summary()}", red=not self.enabled)


class _ScrubbedExcInfo:
    """An ``ExceptionInfo`` whose text (``exconly``, what allure-pytest writes as the message) is scrubbed;
    everything else is the original's."""

    def __init__(self, original: pytest.ExceptionInfo[BaseException], scrub: Callable[[str], str]) -> None:
        self._original = original
        self._scrub = scrub

    def exconly(self, tryshort: bool = False) -> str:
        return self._scrub(self._original.exconly(tryshort))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._original, name)


def scrub_report(report: pytest.TestReport, scrub: Callable[[str], str]) -> None:
    """Replace, in place, every string of ``report``'s ``longrepr`` and ``sections`` by ``scrub(string)``."""
    report.sections = [(title, scrub(content)) for title, content in report.sections]
    longrepr = report.longrepr
    if longrepr is None:
        return
    if isinstance(longrepr, str):
        report.longrepr = scrub(longrepr)
        return
    if isinstance(longrepr, tuple):
        path, line, message = longrepr
        report.longrepr = (path, line, scrub(message))
        return
    _scrub_object(longrepr, scrub, set())
    text = report.longreprtext
    if scrub(text) != text:
        report.longrepr = scrub(text)  # a representation this walk does not know: keep its text only, scrubbed


def _scrub_object(obj: object, scrub: Callable[[str], str], seen: set[int]) -> None:
    # pytest's failure representations (ExceptionChainRepr, ReprEntry, ReprFuncArgs...) are dataclasses of
    # strings, lists and tuples of strings, and further representations.
    if id(obj) in seen or not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return
    seen.add(id(obj))
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        cleaned = _scrub_value(value, scrub, seen)
        if cleaned is not value:
            object.__setattr__(obj, f.name, cleaned)


def _scrub_value(value: Any, scrub: Callable[[str], str], seen: set[int]) -> Any:
    if isinstance(value, str):
        cleaned = scrub(value)
        return value if cleaned == value else cleaned
    if isinstance(value, list):
        for i, item in enumerate(value):
            new = _scrub_value(item, scrub, seen)
            if new is not item:
                value[i] = new
        return value
    if isinstance(value, tuple):
        items = tuple(_scrub_value(item, scrub, seen) for item in value)
        return value if all(a is b for a, b in zip(items, value)) else items
    _scrub_object(value, scrub, seen)
    return value
