"""The recorder's memory: peak RSS while recording 1,000 hops, and after.

Runs in a fresh subprocess so the numbers are the proxy's alone, not the
benchmark's. Baseline: the same process with the proxy started but idle.
RSS is read from /proc/self/status (VmRSS, and VmHWM for the peak).
"""

from __future__ import annotations

import gc
import http.client
import json
import subprocess
import sys

from sso_harness.apps.bench.stats import json_numbers

__all__ = ["measure_memory"]


def _status() -> dict[str, int]:
    out = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                out[key] = int(value.split()[0]) * 1024
    return out


def _child(hops: int) -> dict[str, float]:
    from sso_harness.capture import CaptureProxy
    from sso_harness.mocks.web.http import MockServer, Response

    body = b"x" * 2048
    server = MockServer(lambda req: Response(body=body, content_type="application/json")).start()
    with CaptureProxy() as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        form = b"SAMLResponse=" + b"A" * 8000 + b"&RelayState=%2Fx"
        for _ in range(20):  # warm the proxy's code paths before the baseline
            conn.request("POST", f"{server.base_url}/warm", body=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
            conn.getresponse().read()
        proxy.recorder.discard_before(proxy.recorder.mark())
        gc.collect()
        before = _status()["VmRSS"]
        after_rounds: list[int] = []
        for _round in range(3):
            # One "flow" of `hops` hops, then the flow ends and is discarded, as
            # the pytest fixture does. A bounded recorder plateaus across rounds.
            for i in range(hops):
                conn.request("POST", f"{server.base_url}/acs?i={i}", body=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
                conn.getresponse().read()
            if _round == 0:
                during = _status()
                recorded = len(proxy.recorder.hops())
            proxy.recorder.discard_before(proxy.recorder.mark())
            gc.collect()
            after_rounds.append(_status()["VmRSS"])
    server.stop()
    return {
        "hops": recorded, "rss_before": before, "rss_recording": during["VmRSS"], "rss_peak": during["VmHWM"],
        "rss_after_round_1": after_rounds[0], "rss_after_round_3": after_rounds[-1],
        "bytes_per_hop": (during["VmRSS"] - before) / max(1, recorded),
    }


def measure_memory(hops: int = 1000) -> dict[str, float]:
    code = f"import json, sso_harness.apps.bench.memory as m; print(json.dumps(m._child({hops})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json_numbers(out.stdout)


if __name__ == "__main__":
    print(json.dumps(measure_memory(), indent=2))
