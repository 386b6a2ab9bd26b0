"""Secrets that reach a text in a shape no exact match finds: shortened by pytest, or printed as a Python repr.

pytest shortens a long repr in an assertion message by cutting its middle
(``head...tail``), so a token can appear as only its first or last few dozen
characters. And a failing ``assert`` prints the dict it compared, e.g.
``{'id_token': 'eyJ…'}``, with the token in clear even when no hop carried it
to the book. Two rules, for any text:

- :func:`scrub_shortened`: a run of token characters directly before or after
  ``...`` that is the start or the end of a known secret (at least
  :data:`MIN_FRAGMENT` characters) is replaced;
- :func:`scrub_reprs`: in a single-quoted Python repr, ``'<secret name>': '<value>'``
  loses its value, whether or not the value is known. Double-quoted JSON is
  left alone: the harness's own JSON has members such as ``"code"`` (a
  finding's code) that are not secrets.
"""

from __future__ import annotations

import re
import string

from sso_harness.protocols.secrets import SECRET_PARAMETERS
from sso_harness.report.redact import REDACTED

__all__ = ["MIN_FRAGMENT", "scrub_shortened", "scrub_reprs"]

MIN_FRAGMENT = 8
"""Shorter pieces would match ordinary text."""
_MIN_SECRET = 16  # only long values (tokens, cookies) are worth cutting; a short one is matched whole
_TOKEN = frozenset(string.ascii_letters + string.digits + "-_~+/=%.")
_ELLIPSIS = re.compile(r"\.\.\.")
_REPR_MEMBER = re.compile(
    r"'(" + "|".join(sorted((re.escape(n) for n in SECRET_PARAMETERS), key=len, reverse=True))
    + r")'(\s*:\s*)'(?!\[redacted\]')([^'\\\s]{5,})'",
    re.I,
)


def scrub_shortened(text: str, secrets: list[str]) -> tuple[str, int]:
    """``text`` with every start or end piece of a long secret that borders ``...`` replaced; and how many."""
    long = [s for s in secrets if len(s) >= _MIN_SECRET]
    if not long or "..." not in text:
        return text, 0
    spans: list[tuple[int, int]] = []
    for m in _ELLIPSIS.finditer(text):
        end = m.end()
        while end < len(text) and text[end] in _TOKEN:
            end += 1
        tail = text[m.end():end].lstrip(".")
        if len(tail) >= MIN_FRAGMENT and any(s.endswith(tail) for s in long):
            spans.append((end - len(tail), end))
        start = m.start()
        while start > 0 and text[start - 1] in _TOKEN:
            start -= 1
        head = text[start:m.start()].rstrip(".")
        if len(head) >= MIN_FRAGMENT and any(s.startswith(head) for s in long):
            spans.append((start, start + len(head)))
    if not spans:
        return text, 0
    out: list[str] = []
    cursor = 0
    for a, b in sorted(set(spans)):
        if a < cursor:
            continue  # overlapping pieces: the first one already covers this text
        out.append(text[cursor:a] + REDACTED)
        cursor = b
    out.append(text[cursor:])
    return "".join(out), len(spans)


def scrub_reprs(text: str) -> tuple[str, int]:
    """``text`` with the value of every ``'<secret name>': '<value>'`` repr member replaced; and how many."""
    return _REPR_MEMBER.subn(lambda m: f"'{m.group(1)}'{m.group(2)}'{REDACTED}'", text)
