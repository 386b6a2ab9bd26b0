"""Token-endpoint throughput: the Entra-like mock against oauth2-mock-server.

Both answer the same client-credentials request (an RS256-signed access
token per request) on loopback, driven by the same load generator: a few
threads, each with one keep-alive connection, posting as fast as answers
come. Rounds alternate between the two servers so machine noise hits both.
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

__all__ = ["measure_token_endpoint", "BASELINE_SOURCE", "BASELINE_TOOL"]

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


def measure_token_endpoint(*, seconds: float = 2.0, rounds: int = 3, threads: int = 4) -> dict[str, object]:
    from sso_harness.mocks.fleet import MockFleet
    from sso_harness.mocks.scenario import IDS

    form = {"grant_type": "client_credentials", "scope": "https://graph.microsoft.com/.default",
            "client_id": IDS.jira_client, "client_secret": IDS.jira_secret_value}
    body = urlencode(form).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    ours = [0, 0, 0.0]
    theirs = [0, 0, 0.0]
    with MockFleet() as fleet, _Baseline() as baseline:
        ours_url = fleet.entra.token_url(fleet.tenant_id)
        _load(ours_url, body, headers, seconds=0.3, threads=1)  # warm both (first-request work)
        _load(baseline.url, body, headers, seconds=0.3, threads=1)
        for _ in range(rounds):
            for acc, url in ((ours, ours_url), (theirs, baseline.url)):
                ok, err = _load(url, body, headers, seconds=seconds, threads=threads)
                acc[0] += ok
                acc[1] += err
                acc[2] += seconds
    return {
        "entra_mock_per_s": ours[0] / ours[2], "entra_mock_errors": ours[1],
        "oauth2_mock_server_per_s": theirs[0] / theirs[2], "oauth2_mock_server_errors": theirs[1],
        "ratio": (ours[0] / ours[2]) / (theirs[0] / theirs[2]) if theirs[0] else float("nan"),
        "threads": threads, "seconds_each": seconds * rounds,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure_token_endpoint(), indent=2))
