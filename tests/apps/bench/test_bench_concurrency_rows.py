"""The concurrency measure's bench rows: the target and its verdict follow the numbers (made-up numbers, no browser)."""

from __future__ import annotations

from typing import Any

from sso_harness.apps.bench.concurrency import TARGET, table_rows
from sso_harness.apps.cli.bench import render_table


def _result(ratio: float) -> dict[str, Any]:
    parts = {"browser": 2.4, "driver": 0.1, "harness": 0.05, "proxy": 0.05, "servers": 0.03}
    return {"flows": 12, "rounds": 3, "concurrency": 4, "cores": 2, "load_average": [1.0, 1.2],
            "one_flows_per_s": 0.5, "many_flows_per_s": 0.5 * ratio, "ratio": ratio,
            "one_cpu_s_per_flow": 2.6, "many_cpu_s_per_flow": 2.6, "one_cpu_parts_per_flow": parts,
            "many_cpu_parts_per_flow": parts, "ceiling_flows_per_s": 2 / 2.6, "failures": 0,
            "target": TARGET, "met": ratio >= TARGET}


def test_the_rows_say_met_or_missed_against_one_at_a_time() -> None:
    met, missed = table_rows(_result(1.6))[0], table_rows(_result(1.2))[0]
    assert met[:4] == ("--concurrency 4 at -n 1, mocks x12 flows", "0.80 flows/s", "one at a time: 0.50 flows/s", "1.60x")
    assert met[4] == ">= 1.5x: met" and missed[4] == ">= 1.5x: MISSED"
    assert "ceiling 0.77 flows/s on 2 cores" in table_rows(_result(1.2))[1]


def test_the_bench_table_shows_the_measure() -> None:
    table = render_table({"concurrency": _result(1.2)})
    assert "--concurrency 4 at -n 1" in table and "MISSED" in table and "CPU per flow by part" in table
