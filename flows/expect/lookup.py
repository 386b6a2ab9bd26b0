"""Finding what an expectation reads in a trace; what is not there fails with ``expect.missing``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sso_harness.expect.codes import EXPECT_MISSING
from sso_harness.expect.failure import ExpectationFailed
from sso_harness.trace.trace import Trace, TraceHop, TraceQueryError

__all__ = ["messages", "query"]


def query(trace: Trace, getter: Callable[[Trace], TraceHop]) -> TraceHop:
    """``getter(trace)``; a hop the trace lacks fails with ``expect.missing`` (the trace lists what it has)."""
    try:
        return getter(trace)
    except TraceQueryError as exc:
        raise ExpectationFailed(str(exc), EXPECT_MISSING) from None


def messages(trace: Trace, kind: str) -> list[tuple[TraceHop, Any]]:
    """Every decoded message of ``kind`` in hop order, with its hop."""
    return [(h, m.message) for h in trace for m in h.messages if m.kind == kind]
