"""Every bench row names its target and says met or MISSED (rendering only: made-up numbers, no timing)."""

from __future__ import annotations

from typing import Any

from sso_harness.apps.bench.token_endpoint import spread
from sso_harness.apps.cli.bench import render_table


def _startup(harness_ms: float, harness_cpu: float) -> dict[str, dict[str, float]]:
    def kind(ms: float, cpu: float) -> dict[str, float]:
        return {"first_flow": ms, "first_flow_min": ms - 100, "first_flow_max": ms + 100,
                "cpu_first_flow_s": cpu, "cpu_first_flow_s_min": cpu - 0.1, "cpu_first_flow_s_max": cpu + 0.1, "rounds": 3}

    return {"harness": kind(harness_ms, harness_cpu), "baseline": kind(2000.0, 4.0)}


def _results(**over: Any) -> dict[str, Any]:
    mb = 1024 * 1024
    results: dict[str, Any] = {
        "throughput": {"flows": 10, "n1_flows_per_s": 1.0, "n2_flows_per_s": 0.9, "scaling": 0.9},
        "decoder": {"ours_per_s": 1200.0, "pysaml2_per_s": 10.0, "ratio": 120.0},
        "attributes": [{"attributes": 10000, "median_s": 0.1}, {"attributes": 20000, "median_s": 0.3}],
        "mock_idp": {"pysaml2 baseline": {"per_second": 15.0},
                     "entra issue": {"per_second": 400.0, "vs_baseline": 26.7, "rounds": spread([380.0, 400.0, 420.0])},
                     "entra http": {"per_second": 150.0, "vs_baseline": 10.0, "vs_in_process": 0.375, "rounds": spread([140.0, 150.0, 160.0])}},
        "token": {"entra_mock_per_s": 600.0, "entra_mock": spread([500.0, 600.0, 700.0]),
                  "oauth2_mock_server_per_s": 300.0, "oauth2_mock_server": spread([250.0, 300.0, 350.0]),
                  "ratio": 2.0, "ratio_per_round": spread([1.5, 2.0, 2.5]), "target": 1.5, "rounds": 3},
        "memory": {"hops": 1000, "rss_before": 50 * mb, "rss_recording": 60 * mb, "bytes_per_hop": 10240.0,
                   "rss_after_round_1": 52 * mb, "rss_after_round_3": 55 * mb},
        "startup": _startup(2400.0, 5.5),
        "cold_run": {"flows": 12, "median_s": 45.0, "exit_status": 0},
    }
    results.update(over)
    return results


def _row(table: str, starts: str) -> str:
    return next(line for line in table.splitlines() if line.startswith(starts))


def test_each_row_carries_its_target_and_a_verdict() -> None:
    table = render_table(_results())
    for measure in ("suite, 10 mixed flows", "decode + verify", "decode + views, 20000", "mock IdP signed responses (entra issue)",
                    "mock IdP signed responses (entra http)", "token endpoint", "recorder RSS", "start-up to first flow done, wall",
                    "start-up to first flow done, CPU", "cold `sso-harness run`"):
        row = _row(table, measure)
        assert "met" in row or "MISSED" in row, row


def test_the_verdicts_follow_the_numbers() -> None:
    table = render_table(_results())
    assert "-n 2 never below -n 1): MISSED" in _row(table, "suite,")
    assert ">= 1000/s: met, >= 50x: met" in _row(table, "decode + verify")
    assert "MISSED" in _row(table, "decode + views, 20000")  # 3x time for 2x attributes
    assert ">= 200/s: met" in _row(table, "mock IdP signed responses (entra issue)")
    http = _row(table, "mock IdP signed responses (entra http)")
    assert ">= 200/s: MISSED" in http and "in-process: 400/s" in http and "0.38x in-process" in http
    assert "bounded, no growth (<= +1 MB): MISSED" in _row(table, "recorder RSS")
    wall, cpu = _row(table, "start-up to first flow done, wall"), _row(table, "start-up to first flow done, CPU")
    assert "1.20x" in wall and "<= 1.25x: met" in wall and "(2300-2500)" in wall
    assert "1.38x" in cpu and "<= 1.25x: MISSED" in cpu
    assert "< 60 s on 2 cores: met" in _row(table, "cold `sso-harness run`")


def test_the_token_row_shows_both_spreads_and_the_paired_ratios() -> None:
    row = _row(render_table(_results()), "token endpoint")
    assert "median 600/s (IQR 550-650, range 500-700)" in row
    assert "oauth2-mock-server: median 300/s (IQR 275-325, range 250-350)" in row
    assert "2.00x (per round 1.50-2.50x)" in row and ">= 1.5x: met" in row
    slow = render_table(_results(token={**_results()["token"], "ratio": 1.2}))
    assert ">= 1.5x: MISSED" in _row(slow, "token endpoint")
