"""The run loop every battery shares: controls first, then the attacks.

A control is an untampered login. If the subject does not accept it, a
refusal of any attack proves nothing, and the usual cause is the harness's
setup (how "signed in" is recognised, the login driver), not the target:
the run stops at once with :class:`ControlFailed`, which says what to
configure, instead of a matrix of INCONCLUSIVE rows. Attacks that do not
apply to the subject are listed with a coded reason: either decided up
front (``not_applicable``), or found while the attempt prepared the attack
(it raises :class:`~sso_harness.apps.security.verdicts.AttackNotApplicable`,
e.g. the response captured from the target has no signature of the kind
the attack abuses). A control can never be not applicable: one that raises
it stops the run like any control that was not accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sso_harness.apps.security.catalogue import Attack
from sso_harness.apps.security.verdicts import (
    NOT_APPLICABLE,
    AttackNotApplicable,
    AttackResult,
    BatteryRun,
    NotApplicable,
    Verdict,
)

__all__ = ["run_controls_first", "ControlFailed"]


class ControlFailed(RuntimeError):
    """Code ``security.control_failed``: the untampered login was not accepted, so no attack was run.

    ``subject`` names the SP or relying party, ``result`` is the control's
    result (its reason and evidence say what was seen, and where), ``advice``
    what to configure.
    """

    code = "security.control_failed"

    def __init__(self, subject: str, result: AttackResult, advice: str) -> None:
        self.subject, self.result, self.advice = subject, result, advice
        seen = result.evidence.summary()
        why = f"{result.code}: {result.reason}" if result.code else result.reason
        super().__init__(f"{self.code}: the control login ({result.attack_id}) at {subject} came out {result.verdict}: "
                         f"{why} [{seen}]; {advice}")


def run_controls_first(
    attacks: Sequence[Attack],
    *,
    protocol: str,
    subject: str,
    not_applicable: Callable[[Attack], str | None],
    attempt: Callable[[Attack], AttackResult],
    advice: Callable[[AttackResult], str],
) -> BatteryRun:
    """Run the controls, then the attacks; raises :class:`ControlFailed` (with ``advice(result)``)
    as soon as a control is not ACCEPTED.

    ``not_applicable(attack)`` answers up front: a reason (code
    :data:`~sso_harness.apps.security.verdicts.NOT_APPLICABLE`), or raises
    :class:`~sso_harness.apps.security.verdicts.AttackNotApplicable` for a finer code; ``attempt``
    may raise the latter too, once what the target produced shows it."""
    ordered = sorted((a for a in attacks if a.protocol == protocol), key=lambda a: not a.control)
    results: list[AttackResult] = []
    skipped: list[NotApplicable] = []
    for attack in ordered:
        try:
            why = not_applicable(attack)
            if why is not None:
                skipped.append(NotApplicable(attack.id, why, NOT_APPLICABLE))
                continue
            result = attempt(attack)
        except AttackNotApplicable as exc:
            if not attack.control:
                skipped.append(NotApplicable(attack.id, exc.reason, exc.code))
                continue
            result = AttackResult(attack.id, attack.title, Verdict.INCONCLUSIVE, exc.reason, attack.reference, subject,
                                  control=True, code=exc.code)
        if attack.control and result.verdict is not Verdict.ACCEPTED:
            raise ControlFailed(subject, result, advice(result))
        results.append(result)
    return BatteryRun(subject, protocol, tuple(results), tuple(skipped))
