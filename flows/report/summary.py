"""A readable summary of a test run, written next to the Allure results."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Outcome", "render_summary", "write_summary"]


@dataclass(frozen=True)
class Outcome:
    test: str
    result: str  # "passed", "failed", "skipped", "error"
    seconds: float
    first_failure: str = ""


def render_summary(outcomes: list[Outcome]) -> str:
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.result] = counts.get(o.result, 0) + 1
    total = ", ".join(f"{n} {r}" for r, n in sorted(counts.items())) or "no tests"
    lines = ["# sso-harness run summary", "", f"Result: {total}", "", "| test | result | time (s) | first failure |", "|---|---|---|---|"]
    for o in outcomes:
        failure = o.first_failure.replace("|", "\\|")
        lines.append(f"| `{o.test}` | {o.result} | {o.seconds:.2f} | {failure} |")
    return "\n".join(lines) + "\n"


def write_summary(path: Path, outcomes: list[Outcome]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_summary(outcomes), encoding="utf-8")
