"""The run loop every battery shares: controls first, then the attacks.

A control is an untampered login. If the subject refuses it, a refusal of
any attack proves nothing, so those come out INCONCLUSIVE instead of
REJECTED; attacks that do not apply to the subject are listed with why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sso_harness.apps.security.catalogue import Attack
from sso_harness.apps.security.verdicts import AttackResult, BatteryRun, Verdict

__all__ = ["run_controls_first"]


def run_controls_first(
    attacks: Sequence[Attack],
    *,
    protocol: str,
    subject: str,
    not_applicable: Callable[[Attack], str | None],
    attempt: Callable[[Attack], AttackResult],
    control_refused: Callable[[Attack], AttackResult],
) -> BatteryRun:
    ordered = sorted((a for a in attacks if a.protocol == protocol), key=lambda a: not a.control)
    results: list[AttackResult] = []
    skipped: list[tuple[str, str]] = []
    baseline_ok: bool | None = None
    for attack in ordered:
        why = not_applicable(attack)
        if why is not None:
            skipped.append((attack.id, why))
            continue
        if not attack.control and baseline_ok is False:
            results.append(control_refused(attack))
            continue
        result = attempt(attack)
        if attack.control:
            baseline_ok = result.verdict is Verdict.ACCEPTED
        results.append(result)
    return BatteryRun(subject, protocol, tuple(results), tuple(skipped))
