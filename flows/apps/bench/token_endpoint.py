"""Token-endpoint throughput: the Entra-like mock against oauth2-mock-server.

Both answer the same client-credentials request (an RS256-signed access
token per request) on loopback, driven by the same load generator: a
separate Python process (so it takes no interpreter time from the mock,
which runs in this one) with a few threads, each with one keep-alive
connection, posting as fast as answers come. Rounds alternate between the two servers, in ABBA order (which side
goes first flips each round) so load that drifts during the run hits both
alike; each side's answers/s is reported as the median of its rounds with
the min, max and interquartile range beside it, and the ratio as the ratio
of the medians, with the min and max of the per-round (paired) ratios.
oauth2-mock-server is installed by ``scripts/install-bench.sh`` (npm) into
the tools folder (:mod:`sso_harness.tools_dir`), where Node runs a copy of
the checked-in ``npm/token_server.mjs`` next to it.
"""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from sso_harness.tools_dir import current_script, tool_dir

__all__ = ["measure_token_endpoint", "spread", "BASELINE_SOURCE", "BASELINE_TOOL", "TARGET"]

TARGET = 1.5  # the mock's answers/s over oauth2-mock-server's (issue 17)

# The checked-in token_server.mjs, package.json and package-lock.json (package data; never run from here).
BASELINE_SOURCE = Path(__file__).with_name("npm")
# Its folder's name in the tools folder; scripts/install-bench.sh installs under the same name.
BASELINE_TOOL = "oauth2-mock-server"


def _load(url: str, body: bytes, headers: dict[str, str], *, seconds: float, threads: int) -> tuple[int, int]:
    """(answered, errors) in ``seconds`` from ``threads`` keep-alive clients."""
    parts = urlsplit(url)
    if parts.hostname is None:
        raise ValueError(f"no host in {url!r}")
    host = parts.hostname
    stop = time.perf_counter() + seconds
    counts = [[0, 0] for _ in range(threads)]

    def worker(slot: list[int]) -> None:
        conn = http.client.HTTPConnection(host, parts.port, timeout=10)
        while time.perf_counter() < stop:
            conn.request("POST", parts.path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            ok = response.status == 200 and b"access_token" in data
            slot[0 if ok else 1] += 1
        conn.close()

    pool = [threading.Thread(target=worker, args=(counts[i],)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def _load_in_child(url: str, body: bytes, headers: dict[str, str], *, seconds: float, threads: int) -> tuple[int, int]:
    """:func:`_load` in a new process; (answered, errors)."""
    import json
    import sys

    args = json.dumps({"url": url, "body": body.decode(), "headers": headers, "seconds": seconds, "threads": threads})
    code = "import sys; from sso_harness.apps.bench.token_endpoint import _load_main; _load_main(sys.argv[1])"
    out = subprocess.run([sys.executable, "-c", code, args], capture_output=True, text=True, check=True, timeout=seconds + 60)
    ok, err = (int(x) for x in out.stdout.split()[-2:])
    return ok, err


def _load_main(args: str) -> None:
    import json

    a = json.loads(args)
    ok, err = _load(a["url"], a["body"].encode(), a["headers"], seconds=a["seconds"], threads=a["threads"])
    print(ok, err)


class _Baseline:
    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> "_Baseline":
        node = shutil.which("node")
        if node is None or not (tool_dir(BASELINE_TOOL) / "node_modules" / "oauth2-mock-server").is_dir():
            raise FileNotFoundError("oauth2-mock-server is not installed: run scripts/install-bench.sh")
        script = current_script(BASELINE_TOOL, BASELINE_SOURCE / "token_server.mjs")
        self.proc = subprocess.Popen([node, script.name], cwd=script.parent, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None  # stdout=PIPE above
        line = self.proc.stdout.readline()
        match = re.search(r"issuer https?://[^:]+:(\d+)", line)
        if match is None:
            raise RuntimeError(f"oauth2-mock-server did not start: {line!r}")
        self.url = f"http://127.0.0.1:{match.group(1)}/token"
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def spread(values: list[float]) -> dict[str, float]:
    """Median, min, max and the interquartile range (q1, q3) of ``values`` (at least one)."""
    from statistics import median, quantiles

    ordered = sorted(values)
    q1, _, q3 = quantiles(ordered, n=4, method="inclusive") if len(ordered) > 1 else (ordered[0],) * 3
    return {"median": median(ordered), "min": ordered[0], "max": ordered[-1], "q1": q1, "q3": q3}


def measure_token_endpoint(*, seconds: float = 1.0, rounds: int = 8, threads: int = 4) -> dict[str, object]:
    """``rounds`` paired rounds of ``seconds`` per side; see the module docstring for what is reported."""
    from sso_harness.mocks.fleet import MockFleet
    from sso_harness.mocks.scenario import IDS

    form = {"grant_type": "client_credentials", "scope": "https://graph.microsoft.com/.default",
            "client_id": IDS.jira_client, "client_secret": IDS.jira_secret_value}
    body = urlencode(form).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    rates: dict[str, list[float]] = {"ours": [], "theirs": []}
    errors = {"ours": 0, "theirs": 0}
    with MockFleet() as fleet, _Baseline() as baseline:
        urls = {"ours": fleet.entra.token_url(fleet.tenant_id), "theirs": baseline.url}
        for url in urls.values():  # warm both (first-request work)
            _load(url, body, headers, seconds=0.3, threads=1)
        for i in range(rounds):
            for side in ("ours", "theirs") if i % 2 == 0 else ("theirs", "ours"):
                ok, err = _load_in_child(urls[side], body, headers, seconds=seconds, threads=threads)
                rates[side].append(ok / seconds)
                errors[side] += err
    ours, theirs = spread(rates["ours"]), spread(rates["theirs"])
    paired = spread([a / b for a, b in zip(rates["ours"], rates["theirs"]) if b]) if any(rates["theirs"]) else None
    return {
        "entra_mock_per_s": ours["median"], "entra_mock": ours, "entra_mock_errors": errors["ours"],
        "oauth2_mock_server_per_s": theirs["median"], "oauth2_mock_server": theirs, "oauth2_mock_server_errors": errors["theirs"],
        "ratio": ours["median"] / theirs["median"] if theirs["median"] else float("nan"),
        "ratio_per_round": paired, "target": TARGET,
        "threads": threads, "rounds": rounds, "seconds_per_round": seconds,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure_token_endpoint(), indent=2))
