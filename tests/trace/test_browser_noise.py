"""Chromium's favicon request lands anywhere in a flow; the flow's own hop numbers must not move with it."""

from __future__ import annotations

from mitmproxy.test import taddons, tflow, tutils

from sso_harness.capture.hop import Hop
from sso_harness.capture.recorder import Recorder
from sso_harness.trace.noise import NOISE_NOTE, is_browser_noise, number_flow
from sso_harness.trace.recording import FlowRecording

_BROWSER = (("User-Agent", "Mozilla/5.0"), ("Sec-Fetch-Mode", "no-cors"), ("Sec-Fetch-Dest", "image"))


def _visit(rec: Recorder, path: str) -> None:
    req = tutils.treq(host="127.0.0.1", port=8080, path=path.encode())
    for name, value in _BROWSER:
        req.headers[name] = value
    flow = tflow.tflow(req=req, resp=tutils.tresp(status_code=200))
    rec.request(flow)
    rec.response(flow)


def _flow_numbers(icon_after: int) -> list[tuple[int, str]]:
    """The same three-page flow with the favicon finishing after page ``icon_after``."""
    rec = Recorder(loopback_only=True)
    with taddons.context(rec):
        recording = FlowRecording(rec)
        for i, path in enumerate(("/login", "/sso", "/acs")):
            _visit(rec, path)
            if i == icon_after:
                _visit(rec, "/favicon.ico")
    return [(h.hop.index, h.hop.path) for h in recording.trace()]


def test_the_flows_hop_numbers_are_the_same_wherever_the_favicon_lands() -> None:
    runs = {tuple(_flow_numbers(k)) for k in range(3)}
    assert runs == {((0, "/login"), (1, "/sso"), (2, "/acs"), (3, "/favicon.ico"))}


def test_noise_is_kept_marked_and_numbered_after_the_flow() -> None:
    icon = Hop(1, "GET", "http://127.0.0.1:8080/favicon.ico", _BROWSER, b"", 404, (), 0.0, 0.0)
    pages = [Hop(i, "GET", f"http://127.0.0.1:8080/p{i}", _BROWSER, b"", 200, (), 0.0, 0.0) for i in (0, 2)]
    numbered = number_flow([pages[0], icon, pages[1]])
    assert [(h.index, h.path, h.notes) for h in numbered] == [
        (0, "/p0", ()), (1, "/p2", ()), (2, "/favicon.ico", (NOISE_NOTE,)),
    ]
    assert number_flow(numbered) == numbered  # placing twice changes nothing (one mark)
    assert icon.index == 1 and icon.notes == ()  # the input is not changed


def test_only_a_browser_get_of_a_favicon_is_noise() -> None:
    def hop(method: str, path: str, headers: tuple[tuple[str, str], ...] = _BROWSER) -> Hop:
        return Hop(0, method, f"http://127.0.0.1:8080{path}", headers, b"", 200, (), 0.0, 0.0)

    assert is_browser_noise(hop("GET", "/favicon.ico"))
    assert is_browser_noise(hop("GET", "/app/favicon.ico"))
    assert not is_browser_noise(hop("POST", "/favicon.ico"))
    assert not is_browser_noise(hop("GET", "/favicon.ico.php"))
    assert not is_browser_noise(hop("GET", "/favicon.ico", (("User-Agent", "python-httpx/0.27"),)))  # a server's own call
