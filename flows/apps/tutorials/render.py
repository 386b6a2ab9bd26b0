"""The checklist as text: one line per claim, ✓ / ✗ / – , with evidence and reasons.

A claim only the emulation can check is marked ``[emulation only]`` (``[emulation
only by design]`` when a real tenant can never show it, with the spec's reason); a
run against a real target ends with how many checks ran, how many are
emulation-only (and of those by design) and how many lacked a value.
"""

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
    label = "[emulation only by design] " if c.reason == "by_design" else "[emulation only] " if c.emulation_only else ""
    lines = [f"  {MARKS[c.status]} {label}{c.claim}"]
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
    tail = [total]
    if not result.emulation:
        tail.append(
            f"on target {result.target}: {result.ran} of {len(result.checks)} checks ran; "
            f"{result.emulation_only_count} emulation-only ({result.by_design_count} by design), "
            f"{result.missing_count} not checked for want of a value "
            "(each – line says why)"
        )
    return "\n".join([*head, "", *body, "", *tail]) + "\n"
