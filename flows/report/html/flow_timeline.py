"""One flow's timeline page written next to the run's reports (the pytest plugin calls this per test)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from sso_harness.diagnose import diagnose
from sso_harness.report.html.page import PageInfo, render_flow_page
from sso_harness.report.html.scrub import secret_values
from sso_harness.report.redact import Redactor
from sso_harness.trace.trace import Trace

__all__ = ["write_flow_timeline", "timeline_path", "timeline_name", "TIMELINES_DIR"]

TIMELINES_DIR = "timelines"


def timeline_name(nodeid: str) -> str:
    """A file name for a test's timeline: ``e2e/test_x.py::test_y[chromium]`` → ``e2e-test_x-test_y-chromium.html``."""
    stem = re.sub(r"\.py(?=::|$)", "", nodeid)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-")
    return (stem[:180] or "flow") + ".html"


def timeline_path(reports_dir: Path, nodeid: str) -> Path:
    return Path(reports_dir) / TIMELINES_DIR / timeline_name(nodeid)


def write_flow_timeline(trace: Trace, path: Path, redactor: Redactor, *, title: str | None = None,
                        signin_screens: Sequence[str] = ()) -> Path:
    """Diagnose ``trace`` and write its page to ``path`` (parents created). Returns ``path``.

    ``signin_screens`` (the login driver's, :attr:`FlowRecording.signin_screens`) are shown above the timeline.
    """
    findings = diagnose(trace)
    secrets = secret_values(trace, redactor)
    info = PageInfo(title=title or path.stem, signin_screens=tuple(signin_screens))
    page = render_flow_page(trace, redactor, findings=findings, info=info, scrub=secrets.scrub_text)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
