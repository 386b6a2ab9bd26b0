"""Start-up: from a new process to the first flow done (fleet, proxy, browser).

Baseline in the same run: a new process that launches the same browser and
walks the static replica once, with no fleet and no proxy.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

__all__ = ["measure_startup"]


def _child(kind: str) -> None:
    marks: dict[str, float] = {"start": time.perf_counter()}
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
            browser.close()
    else:
        from sso_harness.mocks.fleet import SamlFleet

        with SamlFleet() as fleet:
            marks["fleet"] = time.perf_counter()
            with CaptureProxy() as proxy, sync_playwright() as pw:
                marks["proxy"] = time.perf_counter()
                browser = pw.chromium.launch(**launch_args(proxy_url=proxy.url, spki_pin=proxy.spki_pin))
                marks["browser"] = time.perf_counter()
                page = browser.new_page()
                rec = FlowRecording(proxy.recorder, trusted_certs=[fleet.idp.settings.signing.cert])
                trace = sp_initiated_saml(page, rec, start_url=fleet.sp.settings.base_url + "/protected/x", login=login, credentials=creds)
                assert trace.saml_response.trusted
                marks["first_flow"] = time.perf_counter()
                browser.close()
    t0 = marks["start"]
    print(json.dumps({k: (v - t0) * 1000 for k, v in marks.items() if k != "start"}))


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


def measure_startup(rounds: int = 3) -> dict[str, dict[str, float]]:
    """Median of ``rounds`` interleaved runs of each, in ms."""
    runs: dict[str, list[dict[str, float]]] = {"harness": [], "baseline": []}
    for _ in range(rounds):
        runs["baseline"].append(_run("baseline"))
        runs["harness"].append(_run("harness"))
    out = {}
    for kind, items in runs.items():
        keys = items[0].keys()
        out[kind] = {k: sorted(i[k] for i in items)[len(items) // 2] for k in keys}
    return out


if __name__ == "__main__":
    print(json.dumps(measure_startup(1), indent=2))
