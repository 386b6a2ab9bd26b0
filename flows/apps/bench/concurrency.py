"""Flows at a time in one worker: ``--concurrency 4`` against one flow at a time, in flows per second.

One process, one Chromium, one capture proxy, one mock fleet, started once
(start-up is not measured: this is the steady state of a long run). The
embedded mock target's flows, repeated, run through
:class:`~sso_harness.targets.concurrent.FlowPool` with one lane (one flow
at a time, a fresh context each, as ``sso-harness run`` plays them) and
with four; the two alternate round by round, so drift on a shared machine
hits both alike. Each run is measured in wall time and in CPU seconds of
every process it runs on (:mod:`sso_harness.apps.bench.cpu`).

What bounds the ratio: concurrency overlaps a flow's waits (round trips,
the IdP's pages, Chromium's own scheduling) with other flows' work; it
cannot make a CPU second go further. So the throughput is at most
``cores / CPU-seconds per flow``: :func:`measure_concurrency` reports that
ceiling, the cores this process could use, and the load average, beside the
flows per second.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from sso_harness.apps.bench.cpu import CpuMeter
from sso_harness.apps.bench.stats import median, ratio

__all__ = ["TARGET", "measure_concurrency", "table_rows"]

TARGET = 1.5
"""``--concurrency 4`` at ``-n 1`` against one flow at a time, in flows per second."""


def measure_concurrency(*, concurrency: int = 4, repeat: int = 4, rounds: int = 3,
                        progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Flows per second and CPU seconds per flow at 1 and at ``concurrency`` flows at a time.

    Each round plays the mock target's flows ``repeat`` times over, once per setting.
    """
    from playwright.sync_api import sync_playwright

    from sso_harness.browser.launch import launch_args
    from sso_harness.capture import CaptureProxy
    from sso_harness.capture.lanes import LaneRouter
    from sso_harness.mocks.fleet import MockFleet
    from sso_harness.targets.concurrent import FlowPool
    from sso_harness.targets.mock_target import MOCK_CASES, mock_target

    cases = list(MOCK_CASES) * repeat
    settings = (1, concurrency)
    walls: dict[int, list[float]] = {n: [] for n in settings}
    cpus: dict[int, list[float]] = {n: [] for n in settings}
    parts: dict[int, list[dict[str, float]]] = {n: [] for n in settings}
    failures: dict[int, int] = {n: 0 for n in settings}
    meter = CpuMeter()
    load_before = os.getloadavg()[0]
    with CaptureProxy(LaneRouter()) as proxy, MockFleet(outbound_proxy=proxy.url) as fleet, sync_playwright() as pw:
        target = mock_target(fleet)
        browser = pw.chromium.launch(**launch_args(proxy_url=proxy.url, spki_pin=proxy.spki_pin))
        try:
            FlowPool(browser, proxy, target, concurrency=1).run(cases[:1])  # warm: first-use costs are not a setting's
            for r in range(rounds):
                for n in settings if r % 2 == 0 else reversed(settings):
                    fleet.reset()
                    pool = FlowPool(browser, proxy, target, concurrency=n)
                    before, t0 = meter.sample(), time.perf_counter()
                    outcomes = pool.run(cases)
                    pool.close()
                    wall = time.perf_counter() - t0
                    use = CpuMeter.between(before, meter.sample())
                    cpu = use.total
                    walls[n].append(wall)
                    cpus[n].append(cpu)
                    parts[n].append(dict(use.parts))
                    failures[n] += sum(1 for o in outcomes if not o.passed)
                    for o in outcomes:
                        pool.release(o)
                    if progress:
                        progress(f"round {r + 1}/{rounds}, {n} at a time: {len(cases)} flows in {wall:.1f} s, {cpu:.1f} CPU-s")
        finally:
            browser.close()
    flows = len(cases)
    one, many = settings
    rate = {n: flows / median(walls[n]) for n in settings}
    cpu_per_flow = {n: median(cpus[n]) / flows for n in settings}
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return {
        "flows": flows, "rounds": rounds, "concurrency": many, "cores": cores,
        "load_average": [load_before, os.getloadavg()[0]],
        "one_flows_per_s": rate[one], "many_flows_per_s": rate[many], "ratio": ratio(rate[many], rate[one]),
        "one_wall_s": walls[one], "many_wall_s": walls[many],
        "one_cpu_s_per_flow": cpu_per_flow[one], "many_cpu_s_per_flow": cpu_per_flow[many],
        # Where the CPU goes (browser, driver, harness, proxy, servers), per flow: the main thread bounds
        # the harness, proxy and servers parts together to one core (one interpreter lock).
        "one_cpu_parts_per_flow": _parts_per_flow(parts[one], flows),
        "many_cpu_parts_per_flow": _parts_per_flow(parts[many], flows),
        # No setting can beat the cores' worth of CPU seconds: the most flows per second this machine allows.
        "ceiling_flows_per_s": cores / cpu_per_flow[many] if cpu_per_flow[many] else float("nan"),
        "failures": failures[one] + failures[many], "target": TARGET, "met": ratio(rate[many], rate[one]) >= TARGET,
    }


def _parts_per_flow(samples: list[dict[str, float]], flows: int) -> dict[str, float]:
    from sso_harness.apps.bench.cpu import PARTS

    return {part: median([s.get(part, 0.0) for s in samples]) / flows for part in PARTS}


def table_rows(c: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """The bench table's rows: flows per second (the target), then CPU seconds per flow and the CPU ceiling."""
    many, load = c["concurrency"], c["load_average"]
    return [
        (f"--concurrency {many} at -n 1, mocks x{c['flows']} flows",
         f"{c['many_flows_per_s']:.2f} flows/s", f"one at a time: {c['one_flows_per_s']:.2f} flows/s",
         f"{c['ratio']:.2f}x", f">= {c['target']:.1f}x: {'met' if c['met'] else 'MISSED'}"),
        (f"--concurrency {many}: CPU per flow",
         f"{c['many_cpu_s_per_flow']:.2f} CPU-s", f"one at a time: {c['one_cpu_s_per_flow']:.2f} CPU-s",
         f"ceiling {c['ceiling_flows_per_s']:.2f} flows/s on {c['cores']} cores",
         f"load {load[0]:.1f}->{load[1]:.1f}; {c['failures']} failed flows"),
        (f"--concurrency {many}: CPU per flow by part", _parts(c["many_cpu_parts_per_flow"]),
         "one at a time: " + _parts(c["one_cpu_parts_per_flow"]), "-", ""),
    ]


def _parts(parts: dict[str, float]) -> str:
    return " ".join(f"{k} {v:.2f}" for k, v in parts.items())
