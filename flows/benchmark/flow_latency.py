"""Flow latency against the browser's floor, proxied against direct.

One Chromium, a new context per flow. Each round walks, in turn: the static
replica (the floor), the real flow through the capture proxy, and the real
flow direct, so drift on a shared machine hits all three alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from playwright.sync_api import Browser, sync_playwright

from flows.benchmark.replica import Replica
from flows.benchmark.stats import median, p95, ratio
from flows.browser.journeys import sp_initiated_saml
from flows.browser.launch import launch_args
from flows.browser.login import Credentials, FormLogin
from flows.capture import CaptureProxy, Recorder
from flows.capture.recording import FlowRecording
from mocks.fleet import SamlFleet

__all__ = ["FlowTimes", "measure_flow_latency"]

LOGIN = FormLogin(submit="#signin")


@dataclass
class FlowTimes:
    floor_ms: list[float] = field(default_factory=list)
    proxied_ms: dict[str, list[float]] = field(default_factory=dict)
    direct_ms: dict[str, list[float]] = field(default_factory=dict)

    def rows(self) -> list[dict[str, object]]:
        floor = median(self.floor_ms)
        out: list[dict[str, object]] = [
            {"measure": "floor: static replica, new context", "median_ms": floor, "p95_ms": p95(self.floor_ms), "n": len(self.floor_ms)}
        ]
        for name, proxied in self.proxied_ms.items():
            direct = self.direct_ms.get(name, [])
            out.append({
                "measure": f"{name} through the proxy", "median_ms": median(proxied), "p95_ms": p95(proxied), "n": len(proxied),
                "vs_floor": ratio(median(proxied), floor),
                "proxied_vs_direct": ratio(median(proxied), median(direct)),
            })
            out.append({"measure": f"{name} direct", "median_ms": median(direct), "p95_ms": p95(direct), "n": len(direct),
                        "vs_floor": ratio(median(direct), floor)})
        return out


def _timed(browser: Browser, proxy: str | None, walk: Callable[..., object]) -> float:
    t0 = time.perf_counter()
    context = browser.new_context(proxy={"server": proxy} if proxy else None)
    try:
        walk(context.new_page())
    finally:
        elapsed = (time.perf_counter() - t0) * 1000
        context.close()
    return elapsed


def measure_flow_latency(n: int = 20, warmup: int = 3, progress: Callable[[str], None] = lambda s: None) -> FlowTimes:
    times = FlowTimes()
    idle = Recorder()
    with SamlFleet() as fleet, Replica() as replica, CaptureProxy() as proxy, sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_args(proxy_url=None, spki_pin=proxy.spki_pin))
        user = fleet.users["b.simon@contoso.com"]
        creds = Credentials(user.username, user.password)
        certs = [fleet.idp.settings.signing.cert]
        start = fleet.sp.settings.base_url + "/protected/x"

        def floor(page) -> None:  # type: ignore[no-untyped-def]
            sp_initiated_saml(page, FlowRecording(idle), start_url=replica.start_url, login=LOGIN, credentials=creds)

        def saml(recorder: Recorder) -> Callable[..., object]:
            def walk(page) -> None:  # type: ignore[no-untyped-def]
                fleet.reset()
                rec = FlowRecording(recorder, trusted_certs=certs)
                trace = sp_initiated_saml(page, rec, start_url=start, login=LOGIN, credentials=creds)
                if recorder is proxy.recorder and not trace.saml_response.trusted:
                    raise RuntimeError("benchmark flow did not produce a trusted response")
                recorder.discard_before(recorder.mark())
            return walk

        for i in range(warmup + n):
            f = _timed(browser, None, floor)
            p = _timed(browser, proxy.url, saml(proxy.recorder))
            d = _timed(browser, None, saml(idle))
            if i >= warmup:
                times.floor_ms.append(f)
                times.proxied_ms.setdefault("SP-initiated SAML", []).append(p)
                times.direct_ms.setdefault("SP-initiated SAML", []).append(d)
            progress(f"flow round {i + 1}/{warmup + n}")
        browser.close()
    return times
