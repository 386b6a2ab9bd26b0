"""Sharded runs simulated on loopback: N ``sso-harness run --shard K/N`` jobs side by side, merged, against one unsharded run.

The unsharded run of the embedded mock target comes first; its JUnit is the
durations file of every sharded run, as last night's merged report would be
in CI. Then, for each N, the N shard jobs start together, each a new process
with its own browser, proxy and mock fleet and its own reports folder, and
``merge_reports`` joins their folders. Measured per setting: wall time from
the first start to the last exit, throughput, and CPU seconds of all the
jobs' processes (``RUSAGE_CHILDREN``: their browsers and drivers included,
as each parent reaps its own). Checked: the merged report holds the same
flows with the same results as the unsharded run.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sso_harness.report.merge import merge_reports, read_outcomes

__all__ = ["measure_shards"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _jobs(commands: Sequence[list[str]], cwd: Path, timeout_s: float) -> tuple[float, float, list[int]]:
    """Run ``commands`` side by side; (wall seconds, CPU seconds of them all, exit statuses)."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    procs = [subprocess.Popen(c, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for c in commands]
    statuses = [p.wait(timeout=timeout_s) for p in procs]
    return time.perf_counter() - t0, _children_cpu() - cpu0, statuses


def _run(reports: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sso_harness", "run", "--reports", str(reports), *extra]


def _setting(label: str, flows: int, wall: float, cpu: float, cores: int) -> dict[str, Any]:
    return {"label": label, "flows": flows, "wall_s": wall, "cpu_s": cpu, "flows_per_hour": 3600 * flows / wall if wall else None,
            "flows_per_hour_per_core": 3600 * flows / wall / cores if wall else None,
            "cpu_s_per_flow": cpu / flows if flows else None}


def measure_shards(counts: Sequence[int] = (2, 4), *, keyword: str | None = None, timeout_s: float = 900,
                   progress: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """The unsharded run and each N of ``counts`` as N parallel shards, merged; see the module docstring."""
    cores = os.cpu_count() or 1
    k = ["-k", keyword] if keyword else []
    with tempfile.TemporaryDirectory(prefix="sso-harness-bench-shards-") as tmp:
        root = Path(tmp)
        progress("unsharded run")
        wall, cpu, (status,) = _jobs([_run(root / "whole", *k)], root, timeout_s)
        whole = {(o.test, o.result) for o in read_outcomes(root / "whole")}
        out: dict[str, Any] = {"cores": cores, "unsharded": {**_setting("unsharded", len(whole), wall, cpu, cores), "exit_status": status},
                               "sharded": []}
        durations = root / "whole" / "junit.xml"
        for n in counts:
            progress(f"{n} shards side by side")
            folders = [root / f"{n}" / f"shard-{i}" for i in range(1, n + 1)]
            commands = [_run(f, "--shard", f"{i}/{n}", "--shard-durations", str(durations), *k) for i, f in enumerate(folders, 1)]
            wall, cpu, statuses = _jobs(commands, root, timeout_s)
            merged = merge_reports(folders, root / f"{n}" / "merged")
            got = {(o.test, o.result) for o in merged.outcomes}
            out["sharded"].append({
                **_setting(f"{n} shards", len(got), wall, cpu, cores), "shards": n, "exit_statuses": statuses,
                "shard_seconds": [s.seconds for s in merged.shards], "shard_flows": [s.flows for s in merged.shards],
                "equivalent": got == whole and not merged.problems, "problems": [p.code for p in merged.problems],
                "speedup": out["unsharded"]["wall_s"] / wall if wall else None,
            })
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(measure_shards(), indent=2))
