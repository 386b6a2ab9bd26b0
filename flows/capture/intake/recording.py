"""Imported flows become hops through a capture recorder, as live ones do."""

from __future__ import annotations

from collections.abc import Iterable

from mitmproxy import flow, http

from sso_harness.capture.hop import Hop
from sso_harness.capture.recorder import Recorder

__all__ = ["record_flows"]


def record_flows(flows: Iterable[http.HTTPFlow], recorder: Recorder) -> list[Hop]:
    """Feed finished ``flows`` to ``recorder`` in order and return the hops it made of them.

    A flow without a response is recorded as failed (with its error, or
    "no response"). The recorder's own hooks do the work, so a subclass that
    keeps more (a page's error lines) keeps it for imported flows too.
    """
    mark = recorder.mark()
    for f in flows:
        if f.response is not None:
            recorder.response(f)
        else:
            if f.error is None:
                f.error = flow.Error("no response")
            recorder.error(f)
    return recorder.hops(mark)
