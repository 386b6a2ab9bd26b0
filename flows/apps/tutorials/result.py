"""The outcome of a tutorial run: one result per claim, with evidence.

A claim is *passed*, *failed* or *not checked* (a real target cannot run a
variant of the emulation, or lacks a value the check needs). ``--json``
prints :meth:`TutorialResult.to_json`: ``{"tutorial": NAME, "checks":
[{"claim", "passed", "evidence", ...}]}``, where ``passed`` is true, false,
or null for not checked, and ``evidence`` is ``{"hop", "value"}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Evidence", "CheckResult", "TutorialResult", "Status", "NotCheckedReason", "EMULATION_REASONS"]

Status = Literal["passed", "failed", "not_checked"]
#: Why a claim was not checked: the check reads the emulation (``emulation_only``), its flow is a
#: variant only the emulation can set up (``variant``), a real tenant can never show it and the spec
#: says why (``by_design``), or the target lacks a value or user (``missing``).
NotCheckedReason = Literal["emulation_only", "variant", "by_design", "missing"]
#: The reasons that make a claim *emulation-only*: it can never run against a real target as written.
EMULATION_REASONS: frozenset[str] = frozenset({"emulation_only", "variant", "by_design"})


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


@dataclass(frozen=True)
class Evidence:
    hop: str
    value: Any

    def to_json(self) -> dict[str, Any]:
        return {"hop": self.hop, "value": _jsonable(self.value)}


@dataclass(frozen=True)
class CheckResult:
    claim: str
    flow: str
    status: Status
    evidence: Evidence | None = None
    message: str = ""
    """Why it failed, in words (failed); why it was not checked (not_checked)."""
    reason: NotCheckedReason | None = None
    """Set exactly when ``status`` is ``not_checked``."""

    @property
    def passed(self) -> bool | None:
        return None if self.status == "not_checked" else self.status == "passed"

    @property
    def emulation_only(self) -> bool:
        """Not checked because only the emulation can check it (as opposed to a value the target lacks)."""
        return self.reason in EMULATION_REASONS

    def to_json(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "passed": self.passed,
            "evidence": self.evidence.to_json() if self.evidence else None,
            "status": self.status,
            "flow": self.flow,
            "message": self.message,
            "emulation_only": self.emulation_only,
            "not_checked_reason": self.reason,
        }


@dataclass(frozen=True)
class TutorialResult:
    tutorial: str
    title: str
    guide: str
    target: str
    emulation: bool
    checks: tuple[CheckResult, ...]
    drift: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """No claim failed (claims that could not be checked do not fail a run)."""
        return not any(c.status == "failed" for c in self.checks)

    def failed(self) -> list[CheckResult]:
        return [c for c in self.checks if c.status == "failed"]

    def count(self, status: Status) -> int:
        return sum(1 for c in self.checks if c.status == status)

    @property
    def ran(self) -> int:
        """Claims actually checked (passed or failed)."""
        return sum(1 for c in self.checks if c.status != "not_checked")

    @property
    def emulation_only_count(self) -> int:
        return sum(1 for c in self.checks if c.emulation_only)

    @property
    def by_design_count(self) -> int:
        """Emulation-only claims that a real tenant can never show (the spec says why)."""
        return sum(1 for c in self.checks if c.reason == "by_design")

    @property
    def open_count(self) -> int:
        """Claims left "not checked" that a real tenant could show: every not-checked claim but the by-design ones."""
        return sum(1 for c in self.checks if c.status == "not_checked" and c.reason != "by_design")

    @property
    def missing_count(self) -> int:
        """Claims not checked because the target lacks a value or a user."""
        return sum(1 for c in self.checks if c.reason == "missing")

    def to_json(self) -> dict[str, Any]:
        return {
            "tutorial": self.tutorial,
            "title": self.title,
            "target": self.target,
            "drift": self.drift,
            "passed": self.ok,
            "emulation": self.emulation,
            "counts": {"checks": len(self.checks), "ran": self.ran, "passed": self.count("passed"), "failed": self.count("failed"),
                       "emulation_only": self.emulation_only_count, "by_design": self.by_design_count,
                       "not_checked": self.missing_count},
            "checks": [c.to_json() for c in self.checks],
        }
