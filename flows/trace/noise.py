"""Browser noise: requests the browser makes on its own, numbered after the flow.

Chromium asks for ``/favicon.ico`` whenever it shows a page, and when that
request finishes depends on timing: it can land between two hops of a
login one run and after the last hop the next. Counted in order, it would
shift the hop numbers of everything after it. A flow's hops are numbered
first, in the order they finished; noise is kept (a reader or a HAR still
sees it) but numbered after them and marked with :data:`NOISE_NOTE`, so a
flow's hop numbers are the same from run to run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sso_harness.capture.hop import Hop

__all__ = ["NOISE_NOTE", "is_browser_noise", "number_flow"]

NOISE_NOTE = "browser noise: numbered after the flow's own hops"
"""The note a noise hop carries in :attr:`Hop.notes` once :func:`number_flow` has placed it."""


def is_browser_noise(hop: Hop) -> bool:
    """True for a request the browser makes by itself, not the flow: a GET of a ``favicon.ico``.

    A server's own call (a back channel) never is: only the browser fetches icons.
    """
    return hop.method == "GET" and hop.path.endswith("/favicon.ico") and not hop.back_channel


def number_flow(hops: Sequence[Hop]) -> list[Hop]:
    """``hops`` numbered from 0: the flow's own in their order, then the noise, each marked.

    Pure; the hops given are not changed. A hop already marked keeps a single mark.
    """
    flow = [h for h in hops if not is_browser_noise(h)]
    noise = [h for h in hops if is_browser_noise(h)]
    numbered = [replace(h, index=i) for i, h in enumerate(flow)]
    for i, h in enumerate(noise, start=len(flow)):
        notes = h.notes if NOISE_NOTE in h.notes else (*h.notes, NOISE_NOTE)
        numbered.append(replace(h, index=i, notes=notes))
    return numbered
