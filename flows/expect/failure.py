"""How an expectation fails: :class:`ExpectationFailed`, with its code, what was expected and seen, and where."""

from __future__ import annotations

from sso_harness.trace.trace import Trace

__all__ = ["ExpectationFailed", "fail"]


class ExpectationFailed(AssertionError):
    """An expectation did not hold; ``code`` says what kind (an ``EXPECT_*`` code, or None
    for a caller's own). ``str()`` is the full explanation, starting with ``code:``."""

    def __init__(self, message: str, code: str | None = None) -> None:
        self.code = code
        super().__init__(f"{code}: {message}" if code else message)


# Public as sso_harness.expect.ExpectationFailed: failure messages (and the Allure categories) name it so.
ExpectationFailed.__module__ = "sso_harness.expect"


def fail(what: str, where: str, expected: object, seen: object, trace: Trace, note: str = "", *,
         code: str) -> ExpectationFailed:
    """The failure to raise: what was expected, what was seen, at which hop, then the trace's hops."""
    extra = f"\n  note:     {note}" if note else ""
    return ExpectationFailed(
        f"{what} (at hop {where})\n  expected: {expected!r}\n  seen:     {seen!r}{extra}\n"
        f"trace:\n{trace.summary()}", code
    )

