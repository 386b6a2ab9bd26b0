"""A Playwright trace teaches its own secrets: typed credentials, password inputs, cookies, flow-state tokens.

The events are shaped like those Playwright 1.5x writes (``before`` with
``params``, ``log``, ``frame-snapshot`` with ``__playwright_value_`` and
``__playwright_target__``, ``resource-snapshot`` HAR entries).
"""

from __future__ import annotations

import io
import json
import zipfile

from sso_harness.report.bundle.pwtrace import scrub_playwright_trace, trace_secrets
from sso_harness.report.html.scrub import SecretValues

from ..secret_scan import leaks

PASSWORD = "pw-unknown-canary-1"
SHORT_PIN = "4242"
OTC = "735194"
COOKIE = "ESTSAUTH-canary-value-2"
FLOW_TOKEN = "flowtoken-canary-3"
S_FT = "sft-config-canary-4"
USERNAME = "alice@contoso.test"


def _event(**fields: object) -> str:
    return json.dumps(fields, separators=(",", ":"))


def _trace() -> dict[str, bytes]:
    trace = "\n".join([
        _event(type="before", callId="c1", method="fill", params={"selector": "#i0116", "value": USERNAME}),
        _event(type="before", callId="c2", method="fill", params={"selector": "#field-7", "value": PASSWORD}),
        _event(type="log", callId="c2", message=f'  fill("{PASSWORD}")'),
        _event(type="frame-snapshot", snapshot={"callId": "c2", "phase": "before", "html": [
            "HTML", {}, ["BODY", {}, ["INPUT", {"__playwright_target__": "c2", "id": "field-7", "type": "password"}]]]}),
        _event(type="before", callId="c3", method="type", params={"selector": "input[name=pin]", "text": SHORT_PIN}),
        _event(type="frame-snapshot", snapshot={"callId": "c3", "phase": "after", "html": [
            "HTML", {}, ["INPUT", {"__playwright_value_": SHORT_PIN, "__playwright_target__": "", "type": "password"}]]}),
        _event(type="before", callId="c4", method="fill", params={"selector": "#idTxtBx_SAOTCC_OTC", "value": OTC}),
        _event(type="frame-snapshot", snapshot={"callId": "c5", "phase": "before", "html": [
            "HTML", {}, ["INPUT", {"__playwright_value_": USERNAME, "type": "email"}]], "wallTime": 1796563206025}),
    ])
    network = _event(type="resource-snapshot", snapshot={
        "request": {"method": "POST", "url": "https://login.test/login", "cookies": [{"name": "ESTSAUTH", "value": COOKIE}],
                    "headers": [{"name": "Content-Type", "value": "application/x-www-form-urlencoded"}],
                    "postData": {"mimeType": "application/x-www-form-urlencoded", "_sha1": "body1.dat"}},
        "response": {"headers": [], "cookies": []}})
    page = f'<script>$Config={{"sFT":"{S_FT}","urlPost":"/login"}};</script>'
    return {"trace.trace": trace.encode(), "trace.network": network.encode(),
            "resources/body1.dat": f"login={USERNAME}&passwd={PASSWORD}&flowToken={FLOW_TOKEN}".encode(),
            "resources/page1.html": page.encode(), "screencast/a.jpeg": b"\xff\xd8" + PASSWORD.encode()}


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def test_the_trace_shows_its_own_secrets_and_not_the_user_name() -> None:
    found = trace_secrets(_trace())
    assert {PASSWORD, SHORT_PIN, OTC, COOKIE, FLOW_TOKEN, S_FT} <= found
    assert USERNAME not in found


def test_every_member_is_scrubbed_and_typed_credentials_are_masked_whatever_their_length() -> None:
    scrubbed = scrub_playwright_trace(_zip(_trace()), SecretValues())
    with zipfile.ZipFile(io.BytesIO(scrubbed.data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    texts = {n: b.decode() for n, b in members.items() if not n.endswith(".jpeg")}
    assert {n: hits for n, t in texts.items() if (hits := leaks(t, [PASSWORD, COOKIE, FLOW_TOKEN, S_FT]))} == {}
    events = [json.loads(line) for line in texts["trace.trace"].splitlines()]
    assert [e["params"].get("value", e["params"].get("text")) for e in events if e["type"] == "before"] == [
        USERNAME, "[redacted]", "[redacted]", "[redacted]"]
    assert events[2]["message"] == '  fill("[redacted]")'
    assert SHORT_PIN not in texts["trace.trace"] and USERNAME in texts["trace.trace"]
    assert events[-1]["snapshot"]["wallTime"] == 1796563206025  # numbers untouched
    assert members["screencast/a.jpeg"] == _trace()["screencast/a.jpeg"]  # images are kept as they are


def test_without_the_rules_the_trace_leaks() -> None:
    # The negative control: disabled scrubbing copies every member's secrets through.
    scrubbed = scrub_playwright_trace(_zip(_trace()), SecretValues(enabled=False))
    with zipfile.ZipFile(io.BytesIO(scrubbed.data)) as z:
        text = z.read("trace.trace").decode() + z.read("resources/body1.dat").decode()
    assert leaks(text, [PASSWORD, FLOW_TOKEN]) == [PASSWORD, FLOW_TOKEN]
