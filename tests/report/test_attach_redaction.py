"""Allure attachments follow the run's redaction mode: redacted by default, untouched under the opt-out, and named so."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from sso_harness.capture.hop import Hop
from sso_harness.report import allure_attach
from sso_harness.report.redact import Redactor
from sso_harness.trace.trace import Trace

CODE = "authz-code-canary-5d1e"
TOKEN = "refresh-canary-0a9f"
T0 = 1_800_000_000.0


def _trace() -> Trace:
    callback = Hop(0, "GET", f"http://127.0.0.1:5000/callback?state=s1&code={CODE}", (), b"", 200, (), T0, T0 + 0.01)
    token = Hop(1, "POST", "http://127.0.0.1:5001/token", (("User-Agent", "python-httpx"),), b"", 200,
                (("Content-Type", "application/json"),), T0 + 0.02, T0 + 0.03,
                response_body=json.dumps({"access_token": "a", "refresh_token": TOKEN}).encode())
    return Trace.from_hops([callback, token])


@pytest.fixture
def attached(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    made: dict[str, str] = {}

    def attach(body: Any, *, name: str, attachment_type: object) -> None:
        made[name] = body if isinstance(body, str) else body.decode()

    types = SimpleNamespace(JSON="json", CSV="csv", XML="xml", PNG="png", HTML="html")
    monkeypatch.setattr(allure_attach, "allure", SimpleNamespace(attach=attach, attachment_type=types))
    return made


def test_by_default_every_attachment_is_redacted_and_says_so(attached: dict[str, str]) -> None:
    allure_attach.attach_trace(_trace())
    allure_attach.attach_har(_trace())
    assert set(attached) == {"hops", "trace.json (redacted)", "trace.har (redacted)"}
    assert not any(CODE in text or TOKEN in text for text in attached.values())
    assert json.loads(attached["trace.json (redacted)"])["redaction"]["enabled"] is True


def test_the_opt_out_attaches_values_as_they_were_and_says_so(attached: dict[str, str]) -> None:
    off = Redactor(enabled=False)
    allure_attach.attach_trace(_trace(), off)
    allure_attach.attach_har(_trace(), off)
    assert set(attached) == {"hops", "trace.json (NOT redacted)", "trace.har (NOT redacted)"}
    assert CODE in attached["hops"] and CODE in attached["trace.json (NOT redacted)"]
    assert TOKEN in attached["trace.json (NOT redacted)"] and TOKEN in attached["trace.har (NOT redacted)"]
    written = json.loads(attached["trace.json (NOT redacted)"])
    assert written["redaction"]["enabled"] is False and written["redactions"] == []


def test_each_attachment_lists_only_its_own_redactions(attached: dict[str, str]) -> None:
    redactor = Redactor()
    allure_attach.attach_trace(_trace(), redactor)
    allure_attach.attach_trace(_trace(), redactor)
    first = json.loads(attached["trace.json (redacted)"])["redactions"]
    assert first and len(first) == len({(r["where"], r["what"]) for r in first})
    assert redactor.log == []  # the caller's redactor is a template, not a shared log
