"""Suite throughput: the same mixed flows at ``-n 1`` and ``-n 2`` (pytest-xdist).

A generated suite of flows (clean SP-initiated logins and the three
negative kinds the SP must refuse) runs as a real pytest session, through
the harness's own fixtures, once per worker count. Wall time includes each
worker's start-up: that is what a nightly job pays.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["SUITE", "measure_throughput"]

SUITE = '''
import pytest
from sso_harness.browser.journeys import sp_initiated_saml
from sso_harness.browser.login import Credentials, FormLogin
from sso_harness.mocks.base.faults import ResponseFaults

LOGIN = FormLogin(submit="#signin")
FAULTS = [None, ResponseFaults(audience="urn:other"), ResponseFaults(sign_nothing=True), ResponseFaults(expired=True)]

@pytest.mark.parametrize("i", range({flows}))
def test_flow(i, page, mock_fleet, sso_capture):
    fault = FAULTS[i % len(FAULTS)]
    if fault:
        mock_fleet.idp.inject(fault)
    user = mock_fleet.users["b.simon@contoso.com"]
    sso_capture.trusted_certs = [mock_fleet.idp.settings.signing.cert]
    trace = sp_initiated_saml(page, sso_capture, start_url=mock_fleet.sp.settings.base_url + "/protected/x",
                              login=LOGIN, credentials=Credentials(user.username, user.password))
    assert trace.saml_response.trusted == (i % len(FAULTS) != 2)
'''


def _run(workers: int, suite: Path) -> float:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", str(suite), "-q", "-p", "no:cacheprovider", "-n", str(workers),
         "--rootdir", str(suite.parent), "-o", "addopts=", "-W", "ignore::DeprecationWarning"],
        capture_output=True, text=True, env=env, cwd=suite.parent,
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"throughput suite failed at -n {workers}:\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}")
    return elapsed


def measure_throughput(flows: int = 100) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="sso-harness-bench-") as d:
        suite = Path(d) / "test_bench_flows.py"
        suite.write_text(SUITE.replace("{flows}", str(flows)))
        one = _run(1, suite)
        two = _run(2, suite)
    return {"flows": flows, "n1_seconds": one, "n2_seconds": two, "n1_flows_per_s": flows / one,
            "n2_flows_per_s": flows / two, "scaling": one / two}


if __name__ == "__main__":
    import json

    print(json.dumps(measure_throughput(int(sys.argv[1]) if len(sys.argv) > 1 else 100), indent=2))
