"""``sso-harness bench``: every benchmark, each beside its same-run baseline."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from collections.abc import Sequence
from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("bench", help="run the benchmarks and print a table")
    p.add_argument("--quick", action="store_true", help="fewer rounds: a smoke run, numbers are rough")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--out", default="reports/bench.json", help="where to write the JSON results")
    p.add_argument("--only", default=None,
                   help="comma-separated subset: flows,throughput,concurrency,decoder,attributes,mock_idp,token,memory,startup,cold_run,shards")
    p.add_argument("--shards", action="store_true",
                   help="also simulate 2 and 4 shards on loopback, merged, against the unsharded run (a few minutes)")
    p.set_defaults(handler=run)


def _say(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from sso_harness.apps.bench import (
        attributes,
        cold_run,
        decoder,
        flow_latency,
        memory,
        mock_idp,
        shards,
        startup,
        throughput,
        token_endpoint,
    )

    quick = args.quick
    only = set(args.only.split(",")) if args.only else {"flows", "throughput", "concurrency", "decoder", "attributes", "mock_idp", "token", "memory", "startup", "cold_run"}
    if args.shards:
        only.add("shards")
    results: dict[str, Any] = {"quick": quick}
    if "flows" in only:
        _say("flow latency (floor, proxied, direct; interleaved)")
        times = flow_latency.measure_flow_latency(n=5 if quick else 30, warmup=1 if quick else 3, progress=_say)
        results["flows"] = times.rows()
    if "decoder" in only:
        _say("decoder against pysaml2")
        results["decoder"] = decoder.measure_isolated(300 if quick else 3000, 10 if quick else 60)
    if "attributes" in only:
        _say("decoding time at 10k, 20k and 40k SAML attributes")
        results["attributes"] = attributes.measure_attributes(rounds=1 if quick else 3)
    if "mock_idp" in only:
        _say("mock IdP signed responses against pysaml2")
        results["mock_idp"] = mock_idp.measure(60 if quick else 400, 6 if quick else 40)
    if "token" in only:
        _say("token endpoint against oauth2-mock-server")
        try:
            results["token"] = token_endpoint.measure_token_endpoint(seconds=0.5 if quick else 1.0, rounds=4 if quick else 10)
        except FileNotFoundError as exc:
            results["token"] = {"skipped": str(exc)}
    if "memory" in only:
        _say("recorder memory over 3 x 1000 hops")
        results["memory"] = memory.measure_memory(200 if quick else 1000)
    if "startup" in only:
        _say("start-up")
        results["startup"] = startup.measure_startup(2 if quick else 3)
    if "cold_run" in only:
        _say("cold `sso-harness run` on the embedded mocks, to the written report")
        results["cold_run"] = cold_run.measure_cold_run(1)
    if "concurrency" in only:
        from sso_harness.apps.bench import concurrency

        _say("flows at a time in one worker: --concurrency 4 against one at a time")
        results["concurrency"] = concurrency.measure_concurrency(repeat=1 if quick else 2, rounds=1 if quick else 3, progress=_say)
    if "throughput" in only:
        _say("suite throughput at -n 1 and -n 2")
        results["throughput"] = throughput.measure_throughput(8 if quick else 100)
    if "shards" in only:
        _say("2 and 4 shards on loopback, merged, against the unsharded run")
        results["shards"] = shards.measure_shards((2, 4), keyword="not mitel" if quick else None, progress=_say)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(render_table(results))
        print(f"\nwritten: {out}")
    return 0


def _f(value: Any, fmt: str) -> str:
    return "-" if value is None or value != value else format(value, fmt)


def render_table(r: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str, str, str]] = []
    for row in r.get("flows", []):
        rows += _flow_rows(row)
    if "throughput" in r:
        t = r["throughput"]
        rows.append((f"suite, {t['flows']} mixed flows, -n 2", f"{t['n2_flows_per_s']:.2f} flows/s", f"-n 1: {t['n1_flows_per_s']:.2f} flows/s",
                     f"{t['scaling']:.2f}x", f">= 1.0x (-n 2 never below -n 1): {_met(t['scaling'] >= 1.0)}"))
    if "concurrency" in r:
        from sso_harness.apps.bench.concurrency import table_rows

        rows += table_rows(r["concurrency"])
    if "decoder" in r:
        d = r["decoder"]
        rows.append(("decode + verify signed responses, 1 core", f"{d['ours_per_s']:.0f}/s", f"pysaml2: {d['pysaml2_per_s']:.1f}/s",
                     f"{d['ratio']:.0f}x", f">= 1000/s: {_met(d['ours_per_s'] >= 1000)}, >= 50x: {_met(d['ratio'] >= 50)}"))
    for row in r.get("attributes", []):
        first = r["attributes"][0]
        linear = row["attributes"] / first["attributes"]
        rows.append((f"decode + views, {row['attributes']} SAML attributes", f"{row['median_s'] * 1000:.0f} ms",
                     f"{first['attributes']} attributes: {first['median_s'] * 1000:.0f} ms",
                     f"{row['median_s'] / first['median_s']:.2f}x",
                     f"linear ({linear:.0f}x, +20% noise): {_met(row['median_s'] / first['median_s'] <= linear * 1.2)}"))
    if "mock_idp" in r:
        m = r["mock_idp"]
        base = m["pysaml2 baseline"]["per_second"]
        for name in ("entra issue", "entra http"):
            x = m[name]
            spread = f" (rounds: median {x['rounds']['median']:.0f}, {x['rounds']['min']:.0f}-{x['rounds']['max']:.0f}/s)" if "rounds" in x else ""
            versus = f"pysaml2+xmlsec1: {base:.0f}/s"
            ratio = f"{x['vs_baseline']:.0f}x"
            if name == "entra http" and "vs_in_process" in x:
                versus += f"; in-process: {m['entra issue']['per_second']:.0f}/s"
                ratio += f"; {x['vs_in_process']:.2f}x in-process"
            rows.append((f"mock IdP signed responses ({name})", f"{x['per_second']:.0f}/s{spread}", versus, ratio,
                         f">= 200/s: {_met(x['per_second'] >= 200)}"))
    if "token" in r:
        t = r["token"]
        if "skipped" in t:
            rows.append(("token endpoint", "-", t["skipped"], "-", ">= 1.5x oauth2-mock-server: not measured"))
        else:
            rows.append((f"token endpoint, client credentials ({t.get('rounds', 1)} paired rounds)", _token_side(t, "entra_mock"),
                         "oauth2-mock-server: " + _token_side(t, "oauth2_mock_server"), _token_ratio(t),
                         f">= {t.get('target', 1.5):.1f}x: {_met(t['ratio'] >= t.get('target', 1.5))}"))
    if "memory" in r:
        m = r["memory"]
        mb = 1024 * 1024
        rows.append((f"recorder RSS, {m['hops']} hops", f"+{(m['rss_recording'] - m['rss_before']) / mb:.1f} MB ({m['bytes_per_hop'] / 1024:.1f} KB/hop)",
                     f"idle proxy: {m['rss_before'] / mb:.0f} MB", f"after 3 rounds: +{(m['rss_after_round_3'] - m['rss_after_round_1']) / mb:.2f} MB vs round 1",
                     f"bounded, no growth (<= +1 MB): {_met(m['rss_after_round_3'] - m['rss_after_round_1'] <= mb)}"))
    if "startup" in r:
        from sso_harness.apps.bench.startup import startup_rows

        rows += startup_rows(r["startup"])
    if "shards" in r:
        rows += _shard_rows(r["shards"])
    if "cold_run" in r:
        c = r["cold_run"]
        rows.append((f"cold `sso-harness run`, mocks ({c['flows']} flows), to written report", f"{_f(c['median_s'], '.1f')} s",
                     f"exit status {c['exit_status']}", "-",
                     f"< 60 s on 2 cores: {_met(c['median_s'] is not None and c['median_s'] < 60 and c['exit_status'] == 0)}"))
    table = _grid(("measure", "result", "baseline (same run)", "ratio", "target"), rows)
    if r.get("flows"):
        table += "\n\nCPU seconds per flow by process (medians), wall time beside them:\n" + _cpu_breakdown(r["flows"])
    return table


def _grid(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    return "\n".join([line(headers), line(tuple("-" * w for w in widths)), *(line(row) for row in rows)])


def _met(ok: Any) -> str:
    return "met" if ok else "MISSED"


def _token_side(t: dict[str, Any], side: str) -> str:
    s = t.get(side)
    if not isinstance(s, dict):  # results from before the spread was recorded
        return f"{t[side + '_per_s']:.0f}/s"
    return f"median {s['median']:.0f}/s (IQR {s['q1']:.0f}-{s['q3']:.0f}, range {s['min']:.0f}-{s['max']:.0f})"


def _token_ratio(t: dict[str, Any]) -> str:
    paired = t.get("ratio_per_round")
    extra = f" (per round {paired['min']:.2f}-{paired['max']:.2f}x)" if isinstance(paired, dict) else ""
    return f"{t['ratio']:.2f}x{extra}"


def _flow_rows(row: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """Two rows per flow: CPU seconds (the primary measure), then wall time, proxied against floor and direct."""
    name, p, f, d = row["flow"], row["proxied"], row["floor"], row["direct"]
    bounds = f"<= {row['target_vs_floor']:.2f}x floor: {{}}, <= {row['target_vs_direct']:.2f}x direct: {{}}"
    return [
        (f"{name}: CPU per flow, proxied", f"{_f(p['cpu_median_s'], '.3f')} CPU-s (p95 {_f(p['cpu_p95_s'], '.3f')})",
         f"floor {_f(f['cpu_median_s'], '.3f')}, direct {_f(d['cpu_median_s'], '.3f')} CPU-s",
         f"{_f(row['cpu_vs_floor'], '.2f')}x floor, {_f(row['cpu_vs_direct'], '.2f')}x direct",
         bounds.format(_met(row["cpu_vs_floor_met"]), _met(row["cpu_vs_direct_met"]))),
        (f"{name}: wall per flow, proxied", f"{_f(p['wall_median_ms'], '.0f')} ms (p95 {_f(p['wall_p95_ms'], '.0f')})",
         f"floor {_f(f['wall_median_ms'], '.0f')}, direct {_f(d['wall_median_ms'], '.0f')} ms",
         f"{_f(row['wall_vs_floor'], '.2f')}x floor, {_f(row['wall_vs_direct'], '.2f')}x direct",
         "same, quiet run: " + bounds.format(_met(row["wall_vs_floor_met"]), _met(row["wall_vs_direct_met"]))),
    ]


def _cpu_breakdown(flows: list[dict[str, Any]]) -> str:
    from sso_harness.apps.bench.cpu import PARTS

    rows: list[tuple[str, ...]] = []
    for row in flows:
        for run in ("floor", "proxied", "direct"):
            x = row[run]
            parts = x["cpu_parts_median_s"]
            rows.append((row["flow"] if run == "floor" else "", run, f"{_f(x['cpu_median_s'], '.3f')}", f"{_f(x['cpu_p95_s'], '.3f')}",
                         *(f"{_f(parts.get(part), '.3f')}" for part in PARTS),
                         f"{_f(x['wall_median_ms'], '.0f')}", f"{_f(x['wall_p95_ms'], '.0f')}", str(x["n"])))
    return _grid(("flow", "run", "CPU-s", "p95", *PARTS, "wall ms", "p95", "n"), rows)


def _shard_rows(s: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    whole = s["unsharded"]
    rows = [(f"unsharded run, mocks ({whole['flows']} flows), {s['cores']} cores",
             f"{_f(whole['flows_per_hour_per_core'], '.0f')} flows/h/core ({whole['wall_s']:.1f} s)",
             f"{_f(whole['cpu_s_per_flow'], '.2f')} CPU-s/flow", "-", "(the baseline of the shard rows)")]
    for x in s["sharded"]:
        per_shard = ", ".join(f"{t:.0f}" for t in x["shard_seconds"])
        rows.append((f"{x['shards']} shards on loopback, merged",
                     f"{_f(x['flows_per_hour_per_core'], '.0f')} flows/h/core ({x['wall_s']:.1f} s; shards {per_shard} s)",
                     f"unsharded: {whole['wall_s']:.1f} s; {_f(x['cpu_s_per_flow'], '.2f')} CPU-s/flow",
                     f"{_f(x['speedup'], '.2f')}x throughput",
                     "merged = unsharded: " + ("met" if x["equivalent"] else f"MISSED {x['problems']}")))
    return rows
