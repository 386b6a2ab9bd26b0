"""A flow's hop numbers are the same from run to run, wherever Chromium's favicon request lands.

The second run of the same sign-in, in a browser that already holds the icon
(or not), must number the flow's own hops exactly as the first did; any
favicon request is kept, marked as browser noise, after them.
"""

from __future__ import annotations

import pytest

from sso_harness.trace.noise import NOISE_NOTE, is_browser_noise
from sso_harness.trace.trace import Trace

pytestmark = pytest.mark.e2e


def _numbers(trace: Trace) -> list[tuple[int, str, str]]:
    hops = [h.hop for h in trace]
    flow = [h for h in hops if not is_browser_noise(h)]
    noise = hops[len(flow):]
    assert hops[:len(flow)] == flow and all(is_browser_noise(h) and NOISE_NOTE in h.notes for h in noise)
    assert [h.index for h in hops] == list(range(len(hops)))
    return [(h.index, h.method, h.path) for h in flow]


def test_the_same_sign_in_numbers_its_hops_the_same_twice(sp_initiated, sso_capture, page) -> None:  # type: ignore[no-untyped-def]
    first = _numbers(sp_initiated("/protected/app"))
    page.context.clear_cookies()
    sso_capture.restart()
    second = _numbers(sp_initiated("/protected/app"))
    assert first == second and len(first) > 3
