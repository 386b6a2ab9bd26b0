"""The run summary page (``reports/index.html``): flows, pass/fail, time, a link to each flow's timeline.

Results are read from Allure's result files (``*-result.json`` in
``reports/allure-results``, written by allure-pytest): the test name, its
status (passed, failed, broken, skipped), start and stop in epoch
milliseconds and the failure message. A retried test keeps its last result.
A flow's timeline is the page the pytest plugin wrote for it under
``reports/timelines/`` (see :func:`~sso_harness.report.html.flow_timeline.timeline_path`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from sso_harness.report.html.flow_timeline import TIMELINES_DIR, timeline_name
from sso_harness.report.html.page import document

__all__ = ["FlowResult", "read_allure_results", "render_run_summary", "write_run_summary", "nodeid_of"]

_ORDER = {"failed": 0, "broken": 1, "passed": 3, "skipped": 2, "unknown": 2}
_PILL = {"passed": "ok", "failed": "error", "broken": "error", "skipped": "info", "unknown": "info"}


@dataclass(frozen=True)
class FlowResult:
    nodeid: str
    status: str
    seconds: float
    message: str = ""
    started: float = 0.0
    timeline: str | None = None
    """Link to the flow's timeline, relative to the summary page."""


def nodeid_of(result: Mapping[str, Any]) -> str:
    """pytest's node id rebuilt from an Allure result: ``titlePath`` up to the module, then the name."""
    path = [str(p) for p in result.get("titlePath") or []]
    name = str(result.get("name") or "")
    module = next((i for i, p in enumerate(path) if p.endswith(".py")), None)
    if module is None:
        full = str(result.get("fullName") or name)
        return full.replace(".", "/").replace("#", ".py::", 1) if "#" in full else full
    return "/".join(path[: module + 1]) + "".join(f"::{p}" for p in path[module + 1 :]) + f"::{name}"


def read_allure_results(results_dir: Path) -> list[FlowResult]:
    latest: dict[str, FlowResult] = {}
    for file in sorted(Path(results_dir).glob("*-result.json")):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or "name" not in data:
            continue
        start, stop = data.get("start") or 0, data.get("stop") or 0
        details = data.get("statusDetails") or {}
        message = str(details.get("message") or "").strip().splitlines()
        result = FlowResult(
            nodeid=nodeid_of(data), status=str(data.get("status") or "unknown"),
            seconds=max(0.0, (stop - start) / 1000.0), message=message[0][:240] if message else "", started=start / 1000.0,
        )
        old = latest.get(result.nodeid)
        if old is None or old.started <= result.started:
            latest[result.nodeid] = result
    return sorted(latest.values(), key=lambda r: r.nodeid)


def _with_timelines(results: Sequence[FlowResult], reports_dir: Path) -> list[FlowResult]:
    out = []
    for r in results:
        name = timeline_name(r.nodeid)
        exists = (reports_dir / TIMELINES_DIR / name).exists()
        out.append(FlowResult(r.nodeid, r.status, r.seconds, r.message, r.started, f"{TIMELINES_DIR}/{name}" if exists else None))
    return out


def render_run_summary(results: Sequence[FlowResult], *, allure_report: str | None = None,
                       generated_at: dt.datetime | None = None, note: str | None = None) -> str:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    total = sum(r.seconds for r in results)
    pills = "".join(f"<span class='pill sev-{_PILL.get(s, 'info')}'>{n} {escape(s)}</span>"
                    for s, n in sorted(counts.items(), key=lambda kv: _ORDER.get(kv[0], 2)))
    verdict = ("<span class='pill sev-error' id='verdict'>FAILED</span>" if counts.get("failed") or counts.get("broken")
               else "<span class='pill sev-ok' id='verdict'>PASSED</span>" if results else "<span class='pill sev-info' id='verdict'>NO FLOWS</span>")
    links = f"<p><a id='allure-link' href='{escape(allure_report)}'>Open the Allure report</a></p>" if allure_report else ""
    rows = []
    for r in sorted(results, key=lambda r: (_ORDER.get(r.status, 2), r.nodeid)):
        timeline = f"<a href='{escape(r.timeline)}'>timeline</a>" if r.timeline else "<span class='sub'>—</span>"
        fail = f"<div class='fail'>{escape(r.message)}</div>" if r.message and r.status in ("failed", "broken") else ""
        rows.append(
            f"<tr class='{escape(r.status)}'><td class='res'><span class='pill sev-{_PILL.get(r.status, 'info')}'>{escape(r.status)}</span></td>"
            f"<td><span class='mono'>{escape(r.nodeid)}</span>{fail}</td><td class='t'>{r.seconds:.2f} s</td><td>{timeline}</td></tr>"
        )
    table = ("<table class='runs card'><tr><th>result</th><th>flow</th><th style='text-align:right'>time</th><th>timeline</th></tr>"
             + "".join(rows) + "</table>") if rows else "<p class='sub'>No results found in allure-results.</p>"
    when = f"{(generated_at or dt.datetime.now(dt.timezone.utc)):%Y-%m-%d %H:%M:%S} UTC"
    body = (f"<h1>sso-harness run summary {verdict}</h1><div class='meta'><span>generated <b>{when}</b></span>"
            f"<span><b>{len(results)}</b> flows</span><span>total <b>{total:.1f} s</b></span></div>"
            f"<div class='summary-counts'>{pills}</div>{links}"
            + (f"<div class='banner note'>{escape(note)}</div>" if note else "") + table)
    return document("sso-harness run summary", body)


def write_run_summary(reports_dir: Path, *, results_dir: Path | None = None, allure_report: str | None = None,
                      note: str | None = None, generated_at: dt.datetime | None = None) -> Path:
    reports_dir = Path(reports_dir)
    results = _with_timelines(read_allure_results(results_dir or reports_dir / "allure-results"), reports_dir)
    path = reports_dir / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_run_summary(results, allure_report=allure_report, generated_at=generated_at, note=note), encoding="utf-8")
    return path
