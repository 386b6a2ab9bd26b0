"""The sign-in screens a login driver went through: a strip above the flow's timeline, and trace JSON metadata."""

from __future__ import annotations

import json
from pathlib import Path

from sso_harness.report.html import PageInfo, render_flow_page, write_flow_timeline
from sso_harness.report.html.screens import render_screens
from sso_harness.report.redact import Redactor
from sso_harness.report.trace_json import dump_trace
from sso_harness.trace.trace import Trace

SCREENS = ("account_picker", "password", "method_choice", "totp", "kmsi")


def test_the_strip_lists_the_screens_in_order() -> None:
    strip = render_screens(SCREENS)
    assert strip.startswith('<ol class="screens card" id="signin-screens"') and "Sign-in screens (5)" in strip
    positions = [strip.index(f">{name}<") for name in SCREENS]
    assert positions == sorted(positions)


def test_federated_and_terminal_screens_stand_out_and_names_are_escaped() -> None:
    strip = render_screens(("username", "federated", "error", "<b>"))
    assert '<span class="scr fed"' in strip and '<span class="scr bad"' in strip and "&lt;b&gt;" in strip


def test_no_screens_no_strip() -> None:
    page = render_flow_page(Trace.from_hops([]), Redactor())
    assert "signin-screens" not in page and render_screens(()) == ""


def test_the_page_shows_the_strip_above_the_timeline(tmp_path: Path) -> None:
    page = render_flow_page(Trace.from_hops([]), Redactor(), info=PageInfo(signin_screens=SCREENS))
    assert page.index("id='timeline'") < page.index('id="signin-screens"') < page.index('class="timeline card"')
    written = write_flow_timeline(Trace.from_hops([]), tmp_path / "t.html", Redactor(), signin_screens=SCREENS)
    assert "Sign-in screens (5)" in written.read_text(encoding="utf-8")


def test_the_screens_travel_in_the_trace_json_metadata() -> None:
    body = json.loads(dump_trace(Trace.from_hops([]), Redactor(), metadata={"signin_screens": list(SCREENS)}))
    assert body["metadata"]["signin_screens"] == list(SCREENS)
