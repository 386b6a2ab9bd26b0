"""The operators a check applies to an observed value, and how to say them in words.

Numbers written in YAML and numbers read from a flow compare by value even
when one side is text (``7000215`` and ``"7000215"``), since error codes
travel both ways. ``present: true`` holds for any value but null, false, an
empty string or an empty list; ``present: false`` for exactly those.
``in_domain`` is a domain rule on a URL's host (the port does not count):
``*.example.com`` holds for any host strictly below ``example.com``, a
plain ``example.com`` for exactly that host.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

__all__ = ["holds", "describe", "show"]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple):
        a = list(a)
    if isinstance(b, tuple):
        b = list(b)
    if a == b:
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    numbers = (int, float)
    mixed = (isinstance(a, str) and isinstance(b, numbers) and not isinstance(b, bool)) or (
        isinstance(b, str) and isinstance(a, numbers) and not isinstance(a, bool)
    )
    return mixed and str(a).strip() == str(b).strip()


def _contains(value: Any, item: Any) -> bool:
    if isinstance(value, str):
        return str(item) in value
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_same(v, item) for v in value)
    return False


def _present(value: Any) -> bool:
    return value not in (None, False, "") and not (isinstance(value, (list, tuple)) and not value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _in_domain(value: Any, rule: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    domain = str(rule).strip().lower()
    if domain.startswith("*."):
        return host.endswith(domain[1:]) and len(host) > len(domain) - 1
    return host == domain


def holds(op: str, value: Any, expected: Any) -> bool:
    """Whether ``value`` satisfies ``op expected``; unknown operators never hold."""
    if op == "equals":
        return _same(value, expected)
    if op == "not_equals":
        return not _same(value, expected)
    if op == "one_of":
        return any(_same(value, e) for e in (expected if isinstance(expected, (list, tuple)) else [expected]))
    if op == "contains":
        return _contains(value, expected)
    if op == "not_contains":
        return not _contains(value, expected)
    if op == "starts_with":
        return isinstance(value, str) and value.startswith(str(expected))
    if op == "not_starts_with":
        return not (isinstance(value, str) and value.startswith(str(expected)))
    if op == "matches":
        return isinstance(value, str) and re.fullmatch(str(expected), value) is not None
    if op == "in_domain":
        return _in_domain(value, expected)
    if op == "present":
        return _present(value) == bool(expected)
    if op in ("at_least", "at_most"):
        v, e = _number(value), _number(expected)
        if v is None or e is None:
            return False
        return v >= e if op == "at_least" else v <= e
    return False


def show(value: Any) -> str:
    """A value as a spec author wrote it: ``true``, ``null``, ``'text'``, ``[...]``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return repr(value)


def describe(op: str, expected: Any) -> str:
    """``equal to 'x'``, ``to contain 7000215``... for failure messages."""
    words = {
        "equals": "equal to", "not_equals": "anything but", "one_of": "one of", "contains": "to contain",
        "not_contains": "not to contain", "starts_with": "to start with", "not_starts_with": "not to start with",
        "matches": "to match", "at_least": "at least", "at_most": "at most", "in_domain": "a URL in the domain",
    }
    if op == "present":
        return "a value" if expected else "no value"
    shown = f"/{expected}/" if op == "matches" else show(expected)
    return f"{words.get(op, op)} {shown}"
