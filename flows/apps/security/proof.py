"""Assertions over a battery run, with failure messages that show the matrix.

* :func:`expect_all_rejected`: a hardened target. The control must be
  ACCEPTED (else nothing was proven), and every attack REJECTED;
  INCONCLUSIVE fails too, because "could not tell" is not "safe".
* :func:`expect_caught_exactly`: a target with known weaknesses. Exactly the
  attacks it is open to come out ACCEPTED, every other one REJECTED.
* :func:`expect_none_accepted`: a real target, where some attacks cannot be
  mounted (no IdP key): the control ACCEPTED and no attack ACCEPTED;
  INCONCLUSIVE rows stay in the matrix for a person to read.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from sso_harness.apps.security.matrix import matrix_text
from sso_harness.apps.security.verdicts import BatteryRun, Verdict

__all__ = ["BatteryFailed", "expect_all_rejected", "expect_caught_exactly", "expect_none_accepted", "problems"]


class BatteryFailed(AssertionError):
    """The run differs from what was expected; the message lists each difference and the matrix."""


def problems(run: BatteryRun, open_to: Collection[str]) -> list[str]:
    """Every difference between ``run`` and "ACCEPTED exactly on ``open_to``, REJECTED elsewhere"."""
    found: list[str] = []
    controls = [r for r in run.results if r.control]
    if not controls:
        found.append("the run has no control (baseline) row")
    for r in controls:
        if r.verdict is not Verdict.ACCEPTED:
            found.append(f"{r.attack_id}: the untampered message was {r.verdict.value} ({r.reason})")
    ran = {r.attack_id for r in run.results}
    for attack_id in sorted(set(open_to) - ran):
        found.append(f"{attack_id}: expected ACCEPTED, but it was not run")
    for r in run.results:
        if r.control:
            continue
        wanted = Verdict.ACCEPTED if r.attack_id in open_to else Verdict.REJECTED
        if r.verdict is not wanted:
            found.append(f"{r.attack_id}: expected {wanted.value}, got {r.verdict.value} ({r.reason})")
    return found


def _check(run: BatteryRun, open_to: Collection[str]) -> None:
    found = problems(run, open_to)
    if found:
        raise BatteryFailed(f"{run.target}: " + "\n  ".join(["", *found]) + "\n\n" + matrix_text([run]))


def expect_all_rejected(run: BatteryRun) -> None:
    _check(run, ())


def expect_caught_exactly(run: BatteryRun, open_to: Collection[str]) -> None:
    _check(run, open_to)


def expect_none_accepted(run: BatteryRun) -> None:
    # INCONCLUSIVE attack rows are left out by their verdict (the control's is still a problem); the
    # matrix in the message shows every row.
    decided = replace(run, results=tuple(r for r in run.results if r.control or r.verdict is not Verdict.INCONCLUSIVE))
    found = problems(decided, ())
    if found:
        raise BatteryFailed(f"{run.target}: " + "\n  ".join(["", *found]) + "\n\n" + matrix_text([run]))
