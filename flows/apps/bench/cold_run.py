"""Cold run: ``sso-harness run`` on the embedded mocks, from a new process to the written report.

The command a team runs (``make run`` without its setup step): a fresh
Python process, an empty reports folder in a new working folder, the mock
fleet, proxy and browser started from nothing, every flow of the mock
target, and the run summary written. The time is reported, never asserted:
it depends on the machine (the target is under a minute on 2 cores).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["measure_cold_run"]


def _one(timeout_s: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="sso-harness-cold-run-") as tmp:
        folder = Path(tmp)
        reports = folder / "reports"
        t0 = time.time()
        done = subprocess.run([sys.executable, "-m", "sso_harness", "run", "--reports", str(reports)],
                              cwd=folder, capture_output=True, text=True, timeout=timeout_s)
        total = time.time() - t0
        index = reports / "index.html"
        written = index.stat().st_mtime - t0 if index.exists() else None
        flows = done.stdout.count("] PASS ") + done.stdout.count("] FAIL ")
        return {"seconds_to_report": written, "seconds_total": total, "flows": flows, "exit_status": done.returncode,
                "reports": sorted(p.name for p in reports.iterdir()) if reports.exists() else []}


def measure_cold_run(rounds: int = 1, *, timeout_s: float = 600) -> dict[str, Any]:
    """The median of ``rounds`` cold runs (seconds to the written ``index.html``), and the last run's details."""
    runs = [_one(timeout_s) for _ in range(rounds)]
    times = sorted(r["seconds_to_report"] for r in runs if r["seconds_to_report"] is not None)
    last = runs[-1]
    return {"rounds": rounds, "median_s": times[len(times) // 2] if times else None, "flows": last["flows"],
            "exit_status": last["exit_status"], "reports": last["reports"]}


if __name__ == "__main__":
    print(json.dumps(measure_cold_run(1), indent=2))
