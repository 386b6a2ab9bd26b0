"""One diagnosis finding: which rule, how bad, at which hop, what is wrong, what to change.

A finding is plain data so every writer (the HTML page, ``bundle.json``,
a terminal) can show it; the sentences are written for the person who has
to fix the configuration, not for the harness's developers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

__all__ = ["Finding", "Severity", "SEVERITY_ORDER"]

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    """``hop`` is the evidence hop's ``Hop.index`` (None when the evidence is the
    absence of a hop); ``hop_label`` its short form (``#4 POST host:port/acs``).
    ``what`` says what is wrong, ``change`` what to change, both in plain words."""

    rule: str
    severity: Severity
    hop: int | None
    hop_label: str | None
    what: str
    change: str

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "severity": self.severity, "hop": self.hop, "hop_label": self.hop_label,
            "what": self.what, "change": self.change,
        }

    def rewritten(self, text: Callable[[str], str]) -> "Finding":
        """The same finding with every sentence passed through ``text`` (redaction of quoted values)."""
        return replace(
            self, what=text(self.what), change=text(self.change),
            hop_label=None if self.hop_label is None else text(self.hop_label),
        )

    def line(self) -> str:
        """One terminal line: ``ERROR aadsts at #3 GET host/path: what → change``."""
        at = f" at {self.hop_label}" if self.hop_label else ""
        return f"{self.severity.upper():7} {self.rule}{at}: {self.what} → {self.change}"
