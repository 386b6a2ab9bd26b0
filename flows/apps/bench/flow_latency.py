"""Flow latency against the browser's floor, proxied against direct.

Three flows: SP-initiated SAML (signed response and assertion), IdP-initiated
SAML (Entra-like launcher to the Atlassian-like SP) and OIDC code + PKCE
(the harness as client of the Entra-like IdP). The floor of each is its own
replay (:mod:`sso_harness.apps.bench.replay`): the same hops served statically.
One Chromium, a new context per flow; each round walks, for every flow,
the floor, the real flow through the capture proxy and the real flow direct
(in an order that turns from round to round), so drift on a shared machine
hits all alike.

Each flow is measured in wall time and in CPU seconds of every process it
runs on (:mod:`sso_harness.apps.bench.cpu`: Chromium's processes, the
Playwright driver, and this process split into harness, proxy and servers).
CPU seconds are the primary measure: unlike wall time, another job on the
machine does not inflate them much.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from playwright.sync_api import Browser, Page, sync_playwright

from sso_harness.apps.bench.cpu import PARTS, CpuMeter, CpuUse
from sso_harness.apps.bench.replay import Replay
from sso_harness.apps.bench.stats import median, p95, ratio
from sso_harness.browser.entra import EntraLogin
from sso_harness.browser.journeys import idp_initiated_saml, sp_initiated_saml
from sso_harness.browser.launch import launch_args
from sso_harness.browser.login import Credentials, FormLogin
from sso_harness.browser.oidc_client import OidcClientConfig, oidc_as_client
from sso_harness.capture import CaptureProxy, Recorder
from sso_harness.trace.recording import FlowRecording

if TYPE_CHECKING:  # the fleet is started by measure_flow_latency, which imports it
    from sso_harness.mocks.fleet import MockFleet

__all__ = ["RUNS", "TARGETS", "FlowTimes", "measure_flow_latency"]

SIMON = Credentials("b.simon@contoso.com", "Pa55w.rd-simon")
Mapper = Callable[[str], str]


RUNS = ("floor", "proxied", "direct")
TARGETS = {"floor": 1.10, "direct": 1.05}
"""Proxied against floor and against direct, in CPU seconds (and in wall time on a quiet run)."""


@dataclass
class FlowTimes:
    """Per flow and run (floor, proxied, direct): wall milliseconds and CPU use of every round."""

    wall_ms: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    cpu: dict[str, dict[str, list[CpuUse]]] = field(default_factory=dict)

    def add(self, flow: str, run: str, wall_ms: float, cpu: CpuUse) -> None:
        self.wall_ms.setdefault(flow, {}).setdefault(run, []).append(wall_ms)
        self.cpu.setdefault(flow, {}).setdefault(run, []).append(cpu)

    def rows(self) -> list[dict[str, object]]:
        """One row per flow: each run's medians and p95s, the ratios to the floor and to direct, and the targets met."""
        out: list[dict[str, object]] = []
        for name, walls in self.wall_ms.items():
            cpu_median = {run: median([c.total for c in self.cpu[name][run]]) for run in RUNS}
            wall_median = {run: median(walls[run]) for run in RUNS}
            row: dict[str, object] = {"flow": name}
            for run in RUNS:
                cpu = self.cpu[name][run]
                row[run] = {"n": len(cpu), "wall_median_ms": wall_median[run], "wall_p95_ms": p95(walls[run]),
                            "cpu_median_s": cpu_median[run], "cpu_p95_s": p95([c.total for c in cpu]),
                            "cpu_parts_median_s": {part: median([c.parts.get(part, 0.0) for c in cpu]) for part in PARTS}}
            for base, bound in TARGETS.items():
                cpu_ratio, wall_ratio = ratio(cpu_median["proxied"], cpu_median[base]), ratio(wall_median["proxied"], wall_median[base])
                row[f"cpu_vs_{base}"], row[f"wall_vs_{base}"] = cpu_ratio, wall_ratio
                row[f"cpu_vs_{base}_met"], row[f"wall_vs_{base}_met"] = cpu_ratio <= bound, wall_ratio <= bound
                row[f"target_vs_{base}"] = bound
            out.append(row)
        return out


@dataclass
class _Flow:
    name: str
    walk: Callable[[Page, FlowRecording, Mapper, str | None], bool]  # returns whether the flow succeeded
    exclude: tuple[str, ...] = ()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _flows(fleet: MockFleet) -> list[_Flow]:
    from sso_harness.mocks.entra.tenant import RedirectUri
    from sso_harness.mocks.scenario import IDS

    generic_user = fleet.users["b.simon@contoso.com"]
    generic_creds = Credentials(generic_user.username, generic_user.password)
    generic_certs = [fleet.idp.settings.signing.cert]
    entra_certs = [fleet.entra.signing_key(IDS.atlassian_app).cert]
    launch = fleet.entra.user_access_url(fleet.tenant_id, IDS.atlassian_app)
    instance = fleet.atlassian.instance_url("contoso")
    port = _free_port()
    issuer = f"{fleet.entra.base_url}/{fleet.tenant_id}/v2.0"

    def sp_saml(page: Page, rec: FlowRecording, m: Mapper, proxy: str | None) -> bool:
        rec.trusted_certs = generic_certs
        trace = sp_initiated_saml(page, rec, start_url=m(fleet.sp.settings.base_url + "/protected/x"),
                                  login=FormLogin(submit="#signin"), credentials=generic_creds)
        return proxy is None or trace.saml_response.trusted  # only a proxied run has a trace to check

    def idp_saml(page: Page, rec: FlowRecording, m: Mapper, proxy: str | None) -> bool:
        rec.trusted_certs = entra_certs
        trace = idp_initiated_saml(page, rec, launch_url=m(launch), sp_url=m(instance), login=EntraLogin(), credentials=SIMON)
        return proxy is None or trace.saml_response.trusted

    def oidc(page: Page, rec: FlowRecording, m: Mapper, proxy: str | None) -> bool:
        # Registered each time: a fleet reset restores the scenario's redirect URIs.
        fleet.entra.configure_registration(IDS.spa_client, redirect_uris=(RedirectUri(f"http://127.0.0.1:{port}/callback", "spa"),))
        config = OidcClientConfig(issuer=m(issuer), client_id=IDS.spa_client, auth_method="none", redirect_port=port)
        run = oidc_as_client(page, rec, config, login=EntraLogin(), credentials=SIMON, proxy_url=proxy)
        return run.token_status == 200

    return [
        _Flow("SP-initiated SAML", sp_saml),
        _Flow("IdP-initiated SAML", idp_saml),
        _Flow("OIDC code + PKCE", oidc, exclude=(f"http://127.0.0.1:{port}",)),
    ]


def _timed(browser: Browser, proxy: str | None, walk: Callable[[Page], bool], meter: CpuMeter | None = None) -> tuple[float, CpuUse]:
    """Wall milliseconds and CPU use of one flow in a new context, its closing included."""
    meter = meter or CpuMeter()
    before = meter.sample()
    t0 = time.perf_counter()
    context = browser.new_context(proxy={"server": proxy} if proxy else None)
    try:
        ok = walk(context.new_page())
    finally:
        context.close()
        elapsed = (time.perf_counter() - t0) * 1000
        used = meter.between(before, meter.sample())
    if not ok:
        raise RuntimeError("a benchmark flow did not succeed")
    return elapsed, used


def measure_flow_latency(n: int = 20, warmup: int = 3, progress: Callable[[str], None] = lambda s: None) -> FlowTimes:
    from sso_harness.mocks.fleet import MockFleet

    times = FlowTimes()
    idle = Recorder()
    meter = CpuMeter()
    with MockFleet() as fleet, CaptureProxy() as proxy, sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_args(proxy_url=None, spki_pin=proxy.spki_pin))
        flows = _flows(fleet)
        replays: dict[str, Replay] = {}
        identity: Mapper = lambda url: url  # noqa: E731
        for flow in flows:  # calibrate: record each flow once, with every response body
            fleet.reset()
            proxy.recorder.all_response_bodies = True
            mark = proxy.recorder.mark()
            _timed(browser, proxy.url, lambda page: flow.walk(page, FlowRecording(proxy.recorder), identity, proxy.url))
            proxy.recorder.all_response_bodies = False
            replays[flow.name] = Replay(proxy.recorder.hops(mark), exclude_origins=flow.exclude).start()
            proxy.recorder.discard_before(proxy.recorder.mark())
        try:
            for i in range(warmup + n):
                for flow in flows:
                    replay = replays[flow.name]
                    replay.rewind()
                    walks: dict[str, tuple[str | None, Callable[[Page], bool]]] = {
                        "floor": (None, lambda page: flow.walk(page, FlowRecording(idle), replay.url, None)),
                        "proxied": (proxy.url, lambda page: flow.walk(page, FlowRecording(proxy.recorder), identity, proxy.url)),
                        "direct": (None, lambda page: flow.walk(page, FlowRecording(idle), identity, None)),
                    }
                    # The order turns each round: what one flow leaves behind (a renderer
                    # exiting, Chromium's spare renderer starting) lands on each run alike.
                    for run in RUNS[i % 3:] + RUNS[: i % 3]:
                        wall, cpu = _timed(browser, walks[run][0], walks[run][1], meter)
                        proxy.recorder.discard_before(proxy.recorder.mark())
                        if i >= warmup:
                            times.add(flow.name, run, wall, cpu)
                progress(f"flow round {i + 1}/{warmup + n}")
        finally:
            for replay in replays.values():
                replay.stop()
            browser.close()
    return times
