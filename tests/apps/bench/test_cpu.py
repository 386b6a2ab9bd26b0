"""CPU accounting for the flow benchmark: the process tree, this process's parts, and the per-flow rows."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from sso_harness.apps.bench.cpu import PARTS, CpuMeter, CpuUse, process_tree_seconds
from sso_harness.apps.bench.flow_latency import RUNS, FlowTimes

SPIN = "import time\nt = time.process_time()\nwhile time.process_time() - t < {s}: pass\nprint('done', flush=True)\ninput()\n"


def test_a_child_process_and_its_reaped_grandchild_count_as_the_tree() -> None:
    meter = CpuMeter()
    before = meter.sample()
    # A child that spins, starts a grandchild that spins and reaps it, then waits on stdin: still alive when sampled.
    code = ("import subprocess, sys\n" + f"subprocess.run([sys.executable, '-c', {SPIN.format(s=0.2)!r}], input='\\n', text=True, "
            "stdout=subprocess.DEVNULL)\n" + SPIN.format(s=0.2))
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "done"
        tree = process_tree_seconds(os.getpid())
        assert tree[child.pid][0] == 1
        used = CpuMeter.between(before, meter.sample())
    finally:
        child.communicate("\n", timeout=30)
    # Both spins are counted (0.4 s), the grandchild's through the child's reaped-children time; ticks are 10 ms.
    assert used.parts["driver"] >= 0.38
    assert set(used.parts) == set(PARTS)


def test_this_process_is_split_into_harness_proxy_and_the_rest() -> None:
    meter = CpuMeter()
    spun, release = threading.Event(), threading.Event()

    def spin(seconds: float) -> None:
        import time

        t = time.thread_time()
        while time.thread_time() - t < seconds:
            pass

    def proxy_like() -> None:
        spin(0.15)
        spun.set()
        release.wait(30)  # alive when sampled, as the real proxy thread is

    before = meter.sample()
    proxy = threading.Thread(target=proxy_like, name="sso-harness-proxy")
    server = threading.Thread(target=spin, args=(0.1,), name="Thread-7 (process_request_thread)")
    proxy.start()
    server.start()
    server.join()
    spin(0.05)
    assert spun.wait(30)
    used = CpuMeter.between(before, meter.sample())
    release.set()
    proxy.join()
    assert used.parts["harness"] >= 0.05 and used.parts["proxy"] >= 0.15
    # An ended thread's time is in the process total only, so it lands in "servers" whatever its name was.
    assert used.parts["servers"] >= 0.09
    assert abs(used.total - used.parts["browser"] - used.parts["driver"] - used.python) < 1e-9


def test_rows_give_ratios_and_mark_each_target() -> None:
    times = FlowTimes()
    for i in range(3):
        for run, cpu, wall in zip(RUNS, (1.0, 1.08, 1.0), (700.0, 800.0, 780.0)):
            times.add("SP-initiated SAML", run, wall + i, CpuUse({"browser": cpu - 0.1, "proxy": 0.1 if run == "proxied" else 0.0,
                                                                  "harness": 0.1 - (0.1 if run == "proxied" else 0.0)}))
    (row,) = times.rows()
    assert row["flow"] == "SP-initiated SAML"
    assert round(float(row["cpu_vs_floor"]), 2) == 1.08 and row["cpu_vs_floor_met"] is True  # type: ignore[arg-type]
    assert row["cpu_vs_direct_met"] is False and row["wall_vs_floor_met"] is False
    assert row["proxied"]["cpu_parts_median_s"]["proxy"] == 0.1  # type: ignore[index]


def test_the_table_shows_cpu_first_with_targets_and_the_breakdown() -> None:
    from sso_harness.apps.cli.bench import render_table

    times = FlowTimes()
    for run, cpu in zip(RUNS, (1.0, 1.2, 1.1)):
        times.add("OIDC code + PKCE", run, 900.0, CpuUse({p: cpu / len(PARTS) for p in PARTS}))
    shards = {"cores": 2, "unsharded": {"flows": 6, "wall_s": 30.0, "flows_per_hour_per_core": 360.0, "cpu_s_per_flow": 5.0},
              "sharded": [{"shards": 2, "flows": 6, "wall_s": 25.0, "flows_per_hour_per_core": 432.0, "cpu_s_per_flow": 6.0,
                           "shard_seconds": [24.0, 25.0], "speedup": 1.2, "equivalent": True, "problems": []}]}
    table = render_table({"flows": times.rows(), "shards": shards})
    lines = table.splitlines()
    assert lines[2].startswith("OIDC code + PKCE: CPU per flow, proxied") and "1.200 CPU-s" in lines[2]
    assert "1.20x floor, 1.09x direct" in lines[2] and "<= 1.10x floor: MISSED, <= 1.05x direct: MISSED" in lines[2]
    assert "wall per flow" in lines[3] and "1.00x floor" in lines[3]
    assert "2 shards on loopback, merged" in table and "merged = unsharded: met" in table and "1.20x throughput" in table
    assert "browser  driver  harness  proxy  servers" in table
