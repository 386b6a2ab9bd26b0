"""``--until URL-PATTERN``: when the flow has arrived.

A pattern is a shell-style glob when it contains ``*`` or ``?``
(``https://app.example.com/home*``), a regular expression after ``re:``
(``re:^https://app\\.example\\.com/(home|start)``), and otherwise a prefix.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable

__all__ = ["UrlTest", "url_matcher"]

UrlTest = Callable[[str], bool]


def url_matcher(pattern: str) -> UrlTest:
    """Raises ``ValueError`` for an empty pattern or an invalid regular expression."""
    if not pattern:
        raise ValueError("the --until pattern is empty")
    if pattern.startswith("re:"):
        try:
            rx = re.compile(pattern[3:])
        except re.error as exc:
            raise ValueError(f"--until {pattern!r}: not a regular expression ({exc})") from None
        return lambda url: rx.search(url) is not None
    if any(c in pattern for c in "*?"):
        return lambda url: fnmatch.fnmatchcase(url, pattern)
    return lambda url: url.startswith(pattern)
