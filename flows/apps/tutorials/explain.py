"""Failure messages a person understands: what was expected, what was seen, and why.

A failed check says the expectation and the observation (or what the flow
lacked), then the spec's ``hint`` (the guide's own advice), then the story
of the flow: the IdP error codes it met, each with its catalogue meaning and
usual fix, the IdP error page that stopped it, or the SP's error page text.
"""

from __future__ import annotations

from sso_harness.protocols.catalogues import lookup
from sso_harness.apps.tutorials.error_codes import error_codes
from sso_harness.apps.tutorials.observe import Observation
from sso_harness.apps.tutorials.outcome import FlowOutcome
from sso_harness.apps.tutorials.predicates import describe, show
from sso_harness.apps.tutorials.spec import CheckSpec

__all__ = ["flow_story", "brief_story", "failure_message", "one_line"]

_SNIPPET = 300


def one_line(text: str, limit: int = _SNIPPET) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def flow_story(outcome: FlowOutcome) -> list[str]:
    """Why the flow ended where it did, in sentences (empty when nothing went wrong)."""
    lines: list[str] = []
    if outcome.error:
        lines.append(f"The browser did not get through: {one_line(outcome.error)}")
    seen = error_codes(outcome)
    unexplained = not seen
    for s in seen:
        entry = lookup(s.code)
        if entry is None:
            unexplained = True
            lines.append(f"The IdP reported error code {s.code} (at {s.where}).")
        else:
            lines.append(f"The IdP reported {entry.label} (at {s.where}): {entry.meaning} Usual fix: {entry.fix}")
    if outcome.refusal and unexplained:  # the IdP's own words, when the catalogue has none
        lines.append(f"The IdP stopped the sign-in: {one_line(outcome.refusal)}")
    status = outcome.final_status
    if outcome.refusal is None and status is not None and status >= 400:
        text = one_line(outcome.page_text())
        lines.append(f"The flow ended on an error page (HTTP {status} at {outcome.final_hop})" + (f"; it says: {text}" if text else "."))
    return lines


def brief_story(outcome: FlowOutcome) -> list[str]:
    """A pointer to the flow's story told with an earlier claim: the codes only, no advice again."""
    if not flow_story(outcome):
        return []
    labels = []
    for s in error_codes(outcome):
        entry = lookup(s.code)
        labels.append(entry.label if entry is not None else f"error code {s.code}")
    if labels:
        return [f"Why the flow ended: see above ({', '.join(labels)})."]
    status = outcome.final_status
    if outcome.refusal is None and status is not None and status >= 400:
        return [f"Why the flow ended: see above (HTTP {status} at {outcome.final_hop})."]
    return ["Why the flow ended: see above (the same error page)."]


def failure_message(
    check: CheckSpec, expected: object, seen: Observation | None, problem: str | None, outcome: FlowOutcome,
    *, story_told: bool = False, hint_applies: bool = True,
) -> str:
    """Expectation and observation, then the hint (when it applies), then the flow's story.

    ``story_told``: an earlier claim of the same flow already told the story
    (codes, meanings, fixes), so only a pointer to it is added; advice is printed once.
    """
    if problem is not None:
        first = f"Expected {describe(check.op, expected)}, but {problem}."
    else:
        assert seen is not None
        first = f"Expected {describe(check.op, expected)}, saw {show(seen.value)} (at {seen.hop})."
    parts = [first]
    if check.hint and hint_applies:
        parts.append(check.hint)
    parts += brief_story(outcome) if story_told else flow_story(outcome)
    return "\n".join(parts)
