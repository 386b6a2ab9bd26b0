"""Time one SP-initiated SAML flow through the mocks, and say where it goes.

Prints a table (median and p95 over N flows, each in a new browser context)
for: the whole flow, the new context+page, and the server-side time of each
hop as the proxy measured it. Not a test: nothing here asserts on time.

    .venv/bin/python bench/flow_time.py [N]
"""

from __future__ import annotations

import statistics
import sys
import time

from playwright.sync_api import sync_playwright

from flows.browser.journeys import sp_initiated_saml
from flows.browser.launch import launch_args
from flows.browser.login import Credentials, FormLogin
from flows.capture import CaptureProxy
from flows.capture.recording import FlowRecording
from mocks.fleet import SamlFleet

LOGIN = FormLogin(submit="#signin")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(n: int = 20) -> None:
    totals: list[float] = []
    contexts: list[float] = []
    per_hop: dict[str, list[float]] = {}
    with SamlFleet() as fleet, CaptureProxy() as proxy, sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_args(proxy_url=proxy.url, spki_pin=proxy.spki_pin))
        user = fleet.users["b.simon@contoso.com"]
        creds = Credentials(user.username, user.password)
        certs = [fleet.idp.settings.signing.cert]
        for i in range(n + 2):  # two warm-up flows
            fleet.reset()
            t0 = time.perf_counter()
            context = browser.new_context()
            page = context.new_page()
            t1 = time.perf_counter()
            recording = FlowRecording(proxy.recorder, trusted_certs=certs)
            trace = sp_initiated_saml(page, recording, start_url=fleet.sp.settings.base_url + "/protected/x", login=LOGIN, credentials=creds)
            t2 = time.perf_counter()
            context.close()
            assert trace.saml_response.trusted
            if i < 2:
                continue
            totals.append((t2 - t0) * 1000)
            contexts.append((t1 - t0) * 1000)
            for h in trace.redirect_chain:
                key = f"{h.hop.method} {h.hop.path}"
                per_hop.setdefault(key, []).append(h.hop.duration_ms)
        browser.close()
    print(f"SP-initiated SAML flow through the capture proxy, n={n}")
    print(f"{'measure':<34}{'median ms':>10}{'p95 ms':>10}")
    print(f"{'whole flow (new context each)':<34}{statistics.median(totals):>10.0f}{pct(totals, .95):>10.0f}")
    print(f"{'  new context + page':<34}{statistics.median(contexts):>10.0f}{pct(contexts, .95):>10.0f}")
    for key, values in per_hop.items():
        print(f"{'  hop ' + key:<34}{statistics.median(values):>10.1f}{pct(values, .95):>10.1f}")
    hop_sum = sum(statistics.median(v) for v in per_hop.values())
    print(f"{'  sum of hop server+proxy times':<34}{hop_sum:>10.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
