"""Start-up: from a new process to the first flow done (proxy, fleet, browser).

Each run is a new Python process (so imports count) of one kind:

``baseline``
    launches the same browser and walks the static replica once, with no
    fleet and no proxy: the floor any harness start-up is held to.
``harness``
    what the pytest plugin does: the capture proxy, then the full mock
    fleet started on a background thread (``_sso_fleet_start``) while
    Playwright launches the browser, then the first flow through the proxy.
``sequential``
    the order before that overlap (fleet, then browser), for comparison.

Per run: wall-clock marks in ms from the child's first line, and CPU seconds
of the whole process tree (the Python process with all its threads, the
Playwright driver, Chromium) up to the first flow done. Kinds alternate
round by round, so machine noise hits them alike; the result is the median
per mark with min and max beside it.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

__all__ = ["KINDS", "TARGET", "measure_startup"]

KINDS = ("baseline", "harness")
TARGET = 1.25  # harness / baseline, wall time to the first flow done (issue 17)


class _Marks(dict[str, float]):
    """Wall-clock marks (perf_counter); each also notes this process's CPU so far (every thread)."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: dict[str, float] = {}

    def __setitem__(self, name: str, value: float) -> None:
        super().__setitem__(name, value)
        self.cpu[name] = time.process_time()


def _child(kind: str) -> None:
    marks = _Marks()
    marks["start"] = time.perf_counter()
    from playwright.sync_api import sync_playwright

    from sso_harness.browser.journeys import sp_initiated_saml
    from sso_harness.browser.launch import launch_args
    from sso_harness.browser.login import Credentials, FormLogin
    from sso_harness.capture import CaptureProxy, Recorder
    from sso_harness.trace.recording import FlowRecording

    marks["imports"] = time.perf_counter()
    creds = Credentials("b.simon@contoso.com", "Pa55w.rd-simon")
    login = FormLogin(submit="#signin")
    if kind == "baseline":
        from sso_harness.apps.bench.replica import Replica

        with Replica() as replica, sync_playwright() as pw:
            browser = pw.chromium.launch(**launch_args(proxy_url=None, spki_pin=None))
            marks["browser"] = time.perf_counter()
            page = browser.new_page()
            sp_initiated_saml(page, FlowRecording(Recorder()), start_url=replica.start_url, login=login, credentials=creds)
            marks["first_flow"] = time.perf_counter()
            cpu = _tree_cpu_seconds()
            browser.close()
    else:
        from sso_harness.mocks.fleet_start import background_fleet

        with CaptureProxy() as proxy:
            marks["proxy"] = time.perf_counter()
            start = background_fleet(proxy.url)
            if kind == "sequential":
                start.result()
            else:
                start.begin()  # the plugin's order: begun in browser_type_launch_args, before the launch
            try:
                with sync_playwright() as pw:
                    browser = pw.chromium.launch(**launch_args(proxy_url=proxy.url, spki_pin=proxy.spki_pin))
                    marks["browser"] = time.perf_counter()
                    page = browser.new_page()
                    fleet = start.result()
                    marks["fleet"] = time.perf_counter()
                    rec = FlowRecording(proxy.recorder, trusted_certs=[fleet.idp.settings.signing.cert])
                    trace = sp_initiated_saml(page, rec, start_url=fleet.sp.settings.base_url + "/protected/x", login=login, credentials=creds)
                    assert trace.saml_response.trusted
                    marks["first_flow"] = time.perf_counter()
                    cpu = _tree_cpu_seconds()
                    browser.close()
            finally:
                start.stop()
    t0 = marks["start"]
    result = {k: (v - t0) * 1000 for k, v in marks.items() if k != "start"}
    result.update({f"py_cpu_{k}_s": v for k, v in marks.cpu.items() if k != "start"})
    result["cpu_first_flow_s"] = cpu
    print(json.dumps(result))


def _tree_cpu_seconds() -> float:
    """CPU seconds so far of this process (every thread) and its live descendants."""
    from sso_harness.apps.bench.cpu import process_tree_seconds

    return time.process_time() + sum(seconds for _, seconds in process_tree_seconds(os.getpid()).values())


def _run(kind: str) -> dict[str, float]:
    # Imported here, not at the top: the child imports this module, and its start-up is what is measured.
    from sso_harness.apps.bench.stats import json_numbers

    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", f"from sso_harness.apps.bench.startup import _child; _child({kind!r})"],
        capture_output=True, text=True, check=True,
    )
    result = json_numbers(out.stdout)
    result["process_total"] = (time.perf_counter() - t0) * 1000
    return result


def measure_startup(rounds: int = 3, kinds: tuple[str, ...] = KINDS) -> dict[str, dict[str, float]]:
    """Per kind, every mark's median over ``rounds`` interleaved runs (ms; CPU in s), and
    ``first_flow_min`` / ``first_flow_max`` / ``cpu_first_flow_s_min`` / ``_max`` for the spread."""
    runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    for _ in range(rounds):
        for kind in kinds:
            runs[kind].append(_run(kind))
    out: dict[str, dict[str, float]] = {}
    for kind, items in runs.items():
        summary = {k: statistics.median(i[k] for i in items) for k in items[0]}
        for k in ("first_flow", "cpu_first_flow_s"):
            summary[f"{k}_min"] = min(i[k] for i in items)
            summary[f"{k}_max"] = max(i[k] for i in items)
        summary["rounds"] = len(items)
        out[kind] = summary
    return out


def startup_rows(s: dict[str, dict[str, float]]) -> list[tuple[str, str, str, str, str]]:
    """Table rows: wall time, then CPU seconds, to the first flow done, harness against baseline."""
    h, b = s["harness"], s["baseline"]
    rows = []
    for label, key, unit, fmt in (("wall", "first_flow", "ms", ".0f"), ("CPU, process tree", "cpu_first_flow_s", "CPU-s", ".2f")):
        ratio = h[key] / b[key] if b[key] else float("nan")
        rows.append((
            f"start-up to first flow done, {label} ({int(h.get('rounds', 1))} rounds)",
            f"{h[key]:{fmt}} {unit} ({h[key + '_min']:{fmt}}-{h[key + '_max']:{fmt}})",
            f"browser + replica: {b[key]:{fmt}} {unit} ({b[key + '_min']:{fmt}}-{b[key + '_max']:{fmt}})",
            f"{ratio:.2f}x",
            f"<= {TARGET:.2f}x: {'met' if ratio <= TARGET else 'MISSED'}",
        ))
    return rows


if __name__ == "__main__":
    print(json.dumps(measure_startup(int(sys.argv[1]) if len(sys.argv) > 1 else 1, ("baseline", "sequential", "harness")), indent=2))
