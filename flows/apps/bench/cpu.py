"""CPU seconds of everything one flow runs on, read from ``/proc``, split by who spent them.

A :class:`CpuMeter` samples before and after a flow; the difference is a
:class:`CpuUse` with these parts:

``browser``
    Chromium: every process below the Playwright driver (browser, zygotes,
    GPU, network service, renderers). A renderer that exits between the two
    samples is still counted: its parent reaps it, and ``/proc/PID/stat``'s
    ``cutime``/``cstime`` (children reaped) are added to each process's own.
``driver``
    The Playwright driver (node), our direct child process.
``harness``
    This process's main thread: the test's driving code and Playwright's
    client, the trace decoding after a flow.
``proxy``
    The capture proxy's thread (``sso-harness-proxy``) and asyncio's helper
    threads (``asyncio_N``, which only mitmproxy's event loop starts here).
``servers``
    The rest of this process: the mock fleet's (or the replay's) server
    threads and their per-request threads, which end before a sample sees
    them; hence it is this process's total (``CLOCK_PROCESS_CPUTIME_ID``,
    which keeps ended threads' time) less the parts above.

Every long-lived thread polls or idles a little in every mode, so the same
background is in the floor, the proxied and the direct figure alike.
Linux only; ``/proc`` figures are in clock ticks (10 ms): per process, a
sample is off by at most one tick, which the medians of many rounds smooth.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PARTS", "CpuMeter", "CpuUse", "process_tree_seconds"]

PARTS = ("browser", "driver", "harness", "proxy", "servers")
_TICK = float(os.sysconf("SC_CLK_TCK")) if hasattr(os, "sysconf") else 100.0


@dataclass(frozen=True)
class CpuUse:
    """CPU seconds by part (see the module docstring)."""

    parts: Mapping[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.parts.values())

    @property
    def python(self) -> float:
        return sum(v for k, v in self.parts.items() if k in ("harness", "proxy", "servers"))


def _stat(pid: str) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and its reaped children) from ``/proc/PID/stat``, None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    fields = text[text.rindex(")") + 2 :].split()
    ppid = int(fields[1])
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return ppid, (utime + stime + cutime + cstime) / _TICK


def process_tree_seconds(root: int) -> dict[int, tuple[int, float]]:
    """Every live descendant of ``root`` (not ``root`` itself): pid -> (depth below root, CPU seconds)."""
    stats: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            found = _stat(entry)
            if found is not None:
                stats[int(entry)] = found
    depth: dict[int, int] = {}
    frontier = [root]
    level = 0
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    while frontier:
        level += 1
        frontier = [c for p in frontier for c in children.get(p, [])]
        for c in frontier:
            depth[c] = level
    return {pid: (d, stats[pid][1]) for pid, d in depth.items()}


def _thread_seconds(tid: int) -> float | None:
    try:  # schedstat: nanoseconds on the CPU, finer than stat's ticks
        return int(Path(f"/proc/self/task/{tid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


def _thread_part(name: str) -> str | None:
    if name == "MainThread":
        return "harness"
    if name == "sso-harness-proxy" or name.startswith("asyncio_"):
        return "proxy"
    return None


@dataclass(frozen=True)
class _Sample:
    tree: Mapping[str, float]
    threads: Mapping[int, tuple[str, float]]
    process: float


class CpuMeter:
    """Samples this process's threads and its process tree; :meth:`measure` a block of work."""

    def __init__(self, root: int | None = None) -> None:
        self.root = os.getpid() if root is None else root

    def sample(self) -> _Sample:
        tree = {"browser": 0.0, "driver": 0.0}
        for depth, seconds in process_tree_seconds(self.root).values():
            tree["driver" if depth == 1 else "browser"] += seconds
        threads: dict[int, tuple[str, float]] = {}
        for t in threading.enumerate():
            part, tid = _thread_part(t.name), t.native_id
            if part is None or tid is None:
                continue
            spent = _thread_seconds(tid)
            if spent is not None:
                threads[tid] = (part, spent)
        return _Sample(tree, threads, time.process_time())

    @staticmethod
    def between(a: _Sample, b: _Sample) -> CpuUse:
        parts = {k: max(0.0, b.tree[k] - a.tree[k]) for k in ("browser", "driver")}
        parts.update(harness=0.0, proxy=0.0)
        for tid, (part, seconds) in b.threads.items():
            before = a.threads.get(tid, (part, 0.0))[1]
            parts[part] += max(0.0, seconds - before)
        parts["servers"] = max(0.0, (b.process - a.process) - parts["harness"] - parts["proxy"])
        return CpuUse(parts)
