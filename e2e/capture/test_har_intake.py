"""Issue item 7: a HAR recorded by Chromium itself, of a SAML sign-in that fails, is diagnosed from the file alone.

Chromium (through Playwright's ``record_har_path``, with and without
response content) records an SP-initiated login against the mock fleet
while the mock IdP sends a wrong audience. ``sso-harness diagnose`` and
``open`` then work from the HAR alone, as support would with a customer's
file: the diagnosis names the fault at the ACS hop, and the bundle holds
neither the password typed nor any session cookie the HAR carries.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from playwright.sync_api import Browser

from sso_harness.apps.capture_service import Plan, StopRequest, drive
from sso_harness.apps.cli.main import main
from sso_harness.mocks.base.faults import ResponseFaults

from .capture_support import MOCK_IDP_LOGIN, SIMON

pytestmark = pytest.mark.e2e
WRONG_AUDIENCE = "https://evil.example/sp"


def _cookie_values(har: dict[str, object]) -> set[str]:
    values = set()
    for entry in har["log"]["entries"]:  # type: ignore[index]
        for side in ("request", "response"):
            for cookie in entry[side]["cookies"]:
                if len(cookie["value"]) >= 5:
                    values.add(cookie["value"])
    return values


@pytest.mark.parametrize("content", ["embed", "omit"])
def test_a_chromium_har_of_a_wrong_audience_is_diagnosed(browser: Browser, mock_fleet, inject_fault, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         capsys: pytest.CaptureFixture[str], content: str) -> None:
    inject_fault(mock_fleet.idp, ResponseFaults(audience=WRONG_AUDIENCE))
    har_path = tmp_path / "customer.har"
    context = browser.new_context(record_har_path=str(har_path), record_har_content=content)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        drive(page, Plan(mock_fleet.sp.settings.base_url + "/protected/reports?quarter=q3", login=MOCK_IDP_LOGIN,
                         credentials=SIMON, timeout_s=20), StopRequest())
    finally:
        context.close()  # Playwright writes the HAR when the context closes
    har = json.loads(har_path.read_text())
    har_text = har_path.read_text()
    assert SIMON.password in har_text  # the customer's file carries the password typed...
    cookies = _cookie_values(har)
    assert cookies  # ...and the sessions' cookies

    cert = tmp_path / "idp.pem"
    cert.write_bytes(mock_fleet.idp.settings.signing.cert.public_bytes(serialization.Encoding.PEM))
    bundle = tmp_path / "bundle.zip"
    code = main(["diagnose", str(har_path), "--json", "--out", str(bundle), "--idp-cert", str(cert)])
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == "har" and code == 1
    audience = [f for f in report["findings"] if f["rule"] == "audience"]
    assert audience and audience[0]["severity"] == "error"
    assert {f["rule"] for f in report["findings"]}.isdisjoint({"missed-rollover", "signature-unchecked", "clock-skew"})
    with zipfile.ZipFile(bundle) as z:
        files = {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()}
        trace = json.loads(files["trace.json"])
    acs = [h for h in trace["hops"] if h["url"].endswith("/acs") and h["method"] == "POST"]
    assert acs and audience[0]["hop"] == acs[0]["index"]
    for name, text in files.items():
        assert SIMON.password not in text, name
        assert not [c for c in cookies if c in text], name

    assert main(["open", str(har_path), "--extract", str(tmp_path / "opened")]) == 0
    assert "audience" in (tmp_path / "opened" / "index.html").read_text()
