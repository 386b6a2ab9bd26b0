"""One observed value, where it was seen, and the checks a test makes on it."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from sso_harness.expect.codes import EXPECT_VALUE
from sso_harness.expect.failure import fail
from sso_harness.trace.trace import Trace

__all__ = ["Subject"]


@dataclass(frozen=True, eq=False)
class Subject:
    """One observed value, where it was seen, and checks on it."""

    what: str
    actual: object
    where: str
    trace: Trace
    code: str = EXPECT_VALUE

    def equals(self, expected: object) -> None:
        if self.actual != expected:
            raise fail(self.what, self.where, expected, self.actual, self.trace, code=self.code)

    def __eq__(self, expected: object) -> bool:
        # Lets `expect(t).x == v` read as a statement: a mismatch raises with context.
        self.equals(expected)
        return True

    __hash__ = None  # type: ignore[assignment]  # an expectation is not a value: unhashable, like any class defining __eq__

    def contains(self, item: object) -> None:
        if not _holds(self.actual, item):
            raise fail(self.what, self.where, f"to contain {item!r}", self.actual, self.trace, code=self.code)

    def has(self, *values: str) -> None:
        """A JSON claim as written in a targets file: a list claim (``aud``, ``amr``) contains every
        value; any other claim equals the single value. Booleans compare as ``true``/``false``, numbers as text."""
        seen = self.actual
        if isinstance(seen, list):
            texts = [_claim_text(v) for v in seen]
            missing = [v for v in values if v not in texts]
            if missing:
                raise fail(self.what, self.where, f"to contain {list(values)!r}", seen, self.trace, f"missing: {missing!r}",
                           code=self.code)
            return
        if seen is None or len(values) != 1 or _claim_text(seen) != values[0]:
            raise fail(self.what, self.where, values[0] if len(values) == 1 else list(values), seen, self.trace,
                       code=self.code)

    def matches(self, pattern: str) -> None:
        if not isinstance(self.actual, str) or re.fullmatch(pattern, self.actual) is None:
            raise fail(self.what, self.where, f"to match /{pattern}/", self.actual, self.trace, code=self.code)

    def __repr__(self) -> str:
        return f"<{self.what} = {self.actual!r} at {self.where}>"


Subject.__module__ = "sso_harness.expect"  # public under that name


def _claim_text(value: object) -> str:
    """A JSON value as a targets file writes it: ``true``/``false`` for booleans, text otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _holds(container: object, item: object) -> bool:
    """``item in container`` for the containers an observed value can be (text, list, mapping, set)."""
    if isinstance(container, str):
        return isinstance(item, str) and item in container
    if isinstance(container, (Sequence, Mapping, Collection)):
        return item in container
    return False
