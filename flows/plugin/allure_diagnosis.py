"""File a failure without an SSO code by what its flow's trace shows.

A wrong audience often surfaces as a Playwright timeout: the SP refused the
assertion, so the page the test waits for never came. Its message names
Playwright, and the Allure categories would file it under the browser.
When a failed test recorded a flow (``sso_capture``) and its message has no
code of an SSO cause, the codes the trace shows are appended to the
message Allure reads, after :data:`~sso_harness.plugin.allure_categories.TRACE_CODES_MARK`:
those of the first cause they point to (one category per failure). The
report gets a section listing every code with the diagnosis' sentences.

Codes are the diagnosis findings' (``diagnosis.<rule>``, errors only) in
the engine's order, then the protocol problem codes of the trace's
exchanges and messages.
"""

from __future__ import annotations

from typing import Any, cast

import pytest

from sso_harness.diagnose import Finding, diagnose
from sso_harness.plugin.allure_categories import BROWSER_CAUSE, CAUSES, TRACE_CODES_MARK, causes_of, diagnosis_code
from sso_harness.protocols.problems import HasProblems
from sso_harness.trace.trace import Trace

__all__ = ["SECTION", "TraceCodes", "add_trace_codes", "coded_message", "trace_codes"]

SECTION = "sso-harness trace codes"
"""The title of the report section that lists the trace's codes."""


class TraceCodes:
    """The codes a trace shows (:attr:`codes`, in order, no repeats) and the error findings behind the diagnosis codes."""

    def __init__(self, codes: list[str], findings: list[Finding]) -> None:
        self.codes, self.findings = codes, findings

    def section(self) -> str:
        """The report section: the codes, then each finding's line."""
        return "\n".join([f"{TRACE_CODES_MARK} {', '.join(self.codes)}", *(f.line() for f in self.findings)])


def trace_codes(trace: Trace) -> TraceCodes:
    """What ``trace`` shows, as codes (see the module docstring); never raises for what the trace holds."""
    findings = [f for f in diagnose(trace) if f.severity == "error" and f.rule != "diagnosis-internal"]
    codes = [diagnosis_code(f.rule) for f in findings]
    codes += [p.code for ex in trace.exchanges for p in ex.problems]
    codes += [p.code for h in trace for m in h.messages if isinstance(m.message, HasProblems) for p in m.message.problems]
    return TraceCodes(list(dict.fromkeys(codes)), findings)


def coded_message(message: str, codes: list[str]) -> str | None:
    """``message`` with the codes of the first SSO cause they point to appended, or None.

    None when ``message`` already names an SSO cause (its own code is the
    better witness) or no code points to one.
    """
    if any(name != BROWSER_CAUSE for name in causes_of(message)):
        return None
    for cause in CAUSES:
        if cause.name == BROWSER_CAUSE:
            continue
        chosen = [c for c in codes if causes_of(c, [cause])]
        if chosen:
            return f"{message}\n\n{TRACE_CODES_MARK} {', '.join(chosen)}"
    return None


def add_trace_codes(item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport) -> None:
    """For a failed test body that recorded a flow: the report section, and the codes in the message Allure reads."""
    excinfo = call.excinfo
    recording = getattr(item, "funcargs", {}).get("sso_capture")
    if report.when != "call" or not report.failed or excinfo is None or recording is None:
        return
    trace = getattr(recording, "last_trace", None) or recording.trace()
    found = trace_codes(trace)
    if not found.codes:
        return
    report.sections.append((SECTION, found.section()))
    message = excinfo.exconly()
    coded = coded_message(message, found.codes)
    if coded is not None:
        call.excinfo = cast(Any, _CodedExcInfo(excinfo, coded[len(message):]))


class _CodedExcInfo:
    """An ``ExceptionInfo`` whose ``exconly`` (what allure-pytest files as the message) ends with the trace codes."""

    def __init__(self, original: pytest.ExceptionInfo[BaseException], suffix: str) -> None:
        self._original, self._suffix = original, suffix

    def exconly(self, tryshort: bool = False) -> str:
        return self._original.exconly(tryshort) + self._suffix

    def __getattr__(self, name: str) -> Any:
        return getattr(self._original, name)
