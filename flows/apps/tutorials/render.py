"""The checklist as text: one line per claim, ✓ / ✗ / – , with evidence and reasons."""

from __future__ import annotations

from sso_harness.apps.tutorials.predicates import show
from sso_harness.apps.tutorials.result import CheckResult, TutorialResult

__all__ = ["render_checklist", "MARKS"]

MARKS = {"passed": "✓", "failed": "✗", "not_checked": "–"}
_VALUE_LIMIT = 160


def _value(value: object) -> str:
    text = show(value)
    return text if len(text) <= _VALUE_LIMIT else text[: _VALUE_LIMIT - 1] + "…"


def _check(c: CheckResult) -> list[str]:
    lines = [f"  {MARKS[c.status]} {c.claim}"]
    if c.evidence is not None and c.status != "not_checked":
        lines.append(f"      evidence: {c.evidence.hop} → {_value(c.evidence.value)}")
    if c.message:
        lines += [f"      {line}" for line in c.message.splitlines()]
    return lines


def render_checklist(result: TutorialResult) -> str:
    lane = "emulation" if result.emulation else "real target"
    head = [f"{result.tutorial}: {result.title}", f"guide: {result.guide or '-'} · target: {result.target} ({lane})"]
    if result.drift:
        head.append(f"drift: {result.drift} (set up the way the guide warns against)")
    body = [line for c in result.checks for line in _check(c)]
    total = (
        f"{len(result.checks)} claims: {result.count('passed')} ✓, {result.count('failed')} ✗, "
        f"{result.count('not_checked')} not checked ({result.seconds:.1f} s)"
    )
    return "\n".join([*head, "", *body, "", total]) + "\n"
