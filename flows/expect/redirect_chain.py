"""Expectations on the top-level navigations: the whole chain, or the page the flow ended on."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from sso_harness.expect.codes import EXPECT_CHAIN
from sso_harness.expect.failure import ExpectationFailed
from sso_harness.expect.subject import Subject
from sso_harness.trace.trace import Trace, TraceHop

__all__ = ["ChainExpectations"]


class ChainExpectations:
    """``steps`` are the navigations as ``"METHOD scheme://host:port/path"`` (queries left out)."""

    def __init__(self, trace: Trace) -> None:
        self._trace = trace
        self.steps = [_step(h) for h in trace.redirect_chain]

    def follows(self, expected: Sequence[str]) -> None:
        """The navigations are exactly ``expected``: ``"METHOD scheme://host:port/path"`` (queries ignored)."""
        if list(expected) != self.steps:
            width = max([len(s) for s in expected] + [8])
            rows = [f"  {'expected':<{width}}  seen"]
            for i in range(max(len(expected), len(self.steps))):
                e = expected[i] if i < len(expected) else "-"
                s = self.steps[i] if i < len(self.steps) else "-"
                mark = " " if e == s else "≠"
                rows.append(f"{mark} {e:<{width}}  {s}")
            raise ExpectationFailed("redirect chain differs:\n" + "\n".join(rows) + f"\ntrace:\n{self._trace.summary()}",
                                    EXPECT_CHAIN)

    def ends_at(self, url: str) -> None:
        final = self._trace.final_hop
        Subject("final page", _strip_query(final.hop.url), final.label, self._trace, EXPECT_CHAIN).equals(url)


def _strip_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _step(h: TraceHop) -> str:
    return f"{h.hop.method} {_strip_query(h.hop.url)}"
