"""Run a tutorial spec in a lane: each flow in order, each claim checked right after its flow.

For every flow: reset the emulation, apply the spec's setup, the flow's own
setup and (for a drift demonstration) the drift's; read the IdP
certificates to trust; clear the browser's cookies; walk or fetch; then
evaluate that flow's checks while its final page is still open. A fetch
flow publishes what it read (``flows.<id>.entity_id``, ``.acs``,
``.sso_url``, ``.status``) for later flows' templates. On a real target,
flows that are variants of the emulation, and checks marked
``emulation_only``, are reported as not checked (by design, with the
spec's reason, when a real tenant can never show them). A browser flow
with ``redeem`` has, on a real target, the harness redeem the code in the
SP's place with the target's client secret (:mod:`.redeem`), so its
token-side claims are checked there too.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from playwright.sync_api import BrowserContext, Page

from sso_harness.browser.login import Credentials
from sso_harness.capture import Recorder
from sso_harness.trace.recording import FlowRecording
from sso_harness.protocols import DecodeError
from sso_harness.apps.tutorials.errors import NotObserved, StepFailed, ValueMissing
from sso_harness.apps.tutorials.explain import failure_message, one_line
from sso_harness.apps.tutorials.hook import Cleanup
from sso_harness.apps.tutorials.fetch import fetch_document
from sso_harness.apps.tutorials.lane import BEFORE_SIGN_IN_STEPS, ROLE_PREFIX, Lane, PageAction, user_values
from sso_harness.apps.tutorials.metadata_doc import metadata_facts
from sso_harness.apps.tutorials.observe import ProbeInput
from sso_harness.apps.tutorials.outcome import FlowOutcome
from sso_harness.apps.tutorials.predicates import holds
from sso_harness.apps.tutorials.probes import read_probe
from sso_harness.apps.tutorials.redeem import Redemption, hold_code, redeem_code
from sso_harness.apps.tutorials.result import CheckResult, Evidence, TutorialResult
from sso_harness.apps.tutorials.spec import CheckSpec, DriftSpec, FlowSpec, TutorialSpec
from sso_harness.apps.tutorials.template import fill, fill_any
from sso_harness.apps.tutorials.walk import WalkPlan, walk

__all__ = ["run_tutorial", "NEEDS_EMULATION"]

NEEDS_EMULATION = "not checked: needs the emulation"
#: The probes that read the token exchange (left "not checked" when the harness has no secret to redeem with).
_TOKEN_PROBES = ("oauth.token_request.", "oauth.token_response.")
_SECRET = "sp.client_secret"  # never a template value: the lane hands the secret to the redemption only


def run_tutorial(
    spec: TutorialSpec,
    lane: Lane,
    context: BrowserContext,
    recorder: Recorder,
    *,
    drift: DriftSpec | None = None,
    cafile: str | None = None,
) -> TutorialResult:
    """Run every flow (a drift: the flows it names, and the fetch flows) and check their claims."""
    started = time.monotonic()
    page = context.new_page()
    try:
        run = _Run(spec, lane, context, page, recorder, drift, cafile)
        # Fetch flows always run: later flows' templates may use what they read.
        chosen = [f for f in spec.flows if drift is None or f.id in drift.flows or f.kind == "fetch"]
        results = [pair for flow in chosen for pair in run.flow(flow)]
    finally:
        page.close()
    ordered = tuple(r for _, r in sorted(results, key=lambda pair: pair[0]))  # the spec's order of claims
    return TutorialResult(spec.name, spec.title, spec.guide, lane.name, lane.emulation, ordered,
                          drift.name if drift else None, time.monotonic() - started)


@dataclass
class _Run:
    spec: TutorialSpec
    lane: Lane
    context: BrowserContext
    page: Page
    recorder: Recorder
    drift: DriftSpec | None
    cafile: str | None
    published: dict[str, str] = field(default_factory=dict)
    base: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.base = self.lane.values(self.spec)

    def flow(self, flow: FlowSpec) -> list[tuple[int, CheckResult]]:
        indexed = [(i, c) for i, c in enumerate(self.spec.checks) if c.flow == flow.id]
        results = self._results(flow, [c for _, c in indexed])
        return [(i, r) for (i, _), r in zip(indexed, results)]

    def _results(self, flow: FlowSpec, checks: list[CheckSpec]) -> list[CheckResult]:
        lane = self.lane
        if not lane.emulation and flow.emulation_only:
            why = f"{NEEDS_EMULATION} by design: {flow.emulation_only}"
            return [CheckResult(c.claim, flow.id, "not_checked", message=why, reason="by_design") for c in checks]
        if not lane.emulation and not flow.runs_on_target:
            why = f"{NEEDS_EMULATION} (flow {flow.id!r} is a variant set up in the emulation)"
            # A claim no tenant can ever show keeps its own reason, even in a variant flow.
            return [_by_design(c) if c.by_design else CheckResult(c.claim, flow.id, "not_checked", message=why, reason="variant")
                    for c in checks]
        values = {**self.base, **self.published}
        press: PageAction | None = None
        try:
            role = lane.user(self.spec, flow.user) if flow.kind == "browser" and flow.sign_in else None
            if role is not None:
                values.update(user_values(role))
            if flow.kind == "browser":
                press = lane.before_sign_in(flow, role)
            start = fill(flow.start, values)
            until = fill(flow.until or "{sp.origin}/", values)
        except ValueMissing as missing:
            return [_missing(c, lane, missing) for c in checks]
        redemption, no_secret = self._redemption(flow, values)
        steps = (*self.spec.setup, *flow.setup, *(self.drift.setup if self.drift is not None else ()))
        lane.reset()
        undo: list[Cleanup] = []
        try:
            try:
                undo = lane.prepare(steps, values)
                certs = lane.trust(self.spec, values)
            except (StepFailed, ValueMissing) as exc:
                why = f"The emulation could not be set up: {exc}"
                return [CheckResult(c.claim, flow.id, "failed", message=why) for c in checks]
            recording = FlowRecording(self.recorder, trusted_certs=certs)
            if flow.kind == "fetch":
                outcome = self._fetch(flow, start, recording)
            else:
                outcome = self._browse(flow, start, until, recording, redemption, values, press)
            results: list[CheckResult] = []
            for c in checks:  # the flow's story (codes, meanings, fixes) is told with its first ✗ only
                if no_secret is not None and c.probe.startswith(_TOKEN_PROBES) and not c.emulation_only:
                    results.append(_missing(c, lane, no_secret))  # the harness had no secret to redeem the code with
                    continue
                told = any(r.status == "failed" for r in results)
                results.append(evaluate(c, outcome, values, lane, story_told=told))
            self.recorder.discard_before(self.recorder.mark())
            return results
        finally:
            for cleanup in reversed(undo):
                cleanup()
            lane.reset()

    def _redemption(self, flow: FlowSpec, values: Mapping[str, str]) -> tuple[Redemption | None, ValueMissing | None]:
        """On a real target, how the harness redeems the flow's code (``redeem``), or the value it lacks for that."""
        if flow.redeem is None or self.lane.emulation:
            return None, None
        secret = self.lane.client_secret()
        try:
            if not secret:
                raise ValueMissing(_SECRET)
            return Redemption(fill(flow.redeem, values), fill("{sp.client_id}", values), secret), None
        except ValueMissing as missing:
            return None, missing

    def _browse(self, flow: FlowSpec, start: str, until: str, recording: FlowRecording, redemption: Redemption | None,
                values: Mapping[str, str], press: PageAction | None) -> FlowOutcome:
        self.context.clear_cookies()
        driver, section = self.lane.login(self.spec)
        credentials = None
        if flow.sign_in:
            user = self.lane.user(self.spec, flow.user)
            credentials = Credentials(user.username, user.password)
        plan = WalkPlan(start=start, until=until, before_sign_in=press, sign_in=flow.sign_in, ready=section.ready,
                        error=section.error, timeout_ms=flow.timeout_s * 1000)
        release = hold_code(self.page, until) if redemption is not None else None
        try:
            end = walk(self.page, plan, driver if flow.sign_in else None, credentials)
        finally:
            if release is not None:
                release()
        error = end.error
        if redemption is not None and end.error is None and end.refusal is None:
            error = redeem_code(self.page.url, recording.trace(), redemption, proxy_url=self.lane.proxy_url, cafile=self.cafile,
                                timeout_s=flow.timeout_s)
        return FlowOutcome(flow.id, recording.trace(), self.page, self.page.url, end.refusal, error, fleet=self.lane.fleet,
                           signed_in_rule=self.lane.signed_in_rule(self.spec, values))

    def _fetch(self, flow: FlowSpec, url: str, recording: FlowRecording) -> FlowOutcome:
        doc, problem = fetch_document(url, recording, proxy_url=self.lane.proxy_url, method=flow.method, form=flow.form,
                                      cafile=self.cafile, timeout_s=flow.timeout_s)
        if doc is not None:
            self.published[f"flows.{flow.id}.status"] = str(doc.status)
            try:
                facts = metadata_facts(doc.text)
            except DecodeError:
                facts = None  # not metadata: only the status is published
            for key in ("entity_id", "acs", "sso_url"):
                if facts is not None and getattr(facts, key):
                    self.published[f"flows.{flow.id}.{key}"] = str(getattr(facts, key))
        return FlowOutcome(flow.id, recording.trace(), None, url, None, problem, doc, fleet=self.lane.fleet)


def evaluate(check: CheckSpec, outcome: FlowOutcome, values: Mapping[str, str], lane: Lane, *, story_told: bool = False) -> CheckResult:
    """One claim against one flow's outcome.

    ``story_told``: an earlier ✗ of this flow already explained why the flow
    ended, so this one only points to it. The check's hint is shown when its
    ``hint_when`` holds (always when it has none).
    """
    if check.emulation_only and not lane.emulation and check.by_design:
        return _by_design(check)
    if check.emulation_only and not lane.emulation:
        return CheckResult(check.claim, check.flow, "not_checked", message=f"{NEEDS_EMULATION} (it reads the emulation's own pages or state)",
                           reason="emulation_only")
    try:
        expected: Any = fill_any(check.expected, values)
        params = fill_any(dict(check.params), values)
    except ValueMissing as missing:
        return _missing(check, lane, missing)
    hint_check = check if not check.hint else _with_hint(check, values)
    try:
        seen = read_probe(check.probe, ProbeInput(outcome, params, values))
    except (NotObserved, StepFailed) as exc:
        message = failure_message(hint_check, expected, None, str(exc), outcome, story_told=story_told,
                                  hint_applies=_hint_applies(check, outcome, values))
        return CheckResult(check.claim, check.flow, "failed", Evidence(outcome.final_hop, None), message)
    evidence = Evidence(seen.hop, seen.value)
    if holds(check.op, seen.value, expected):
        return CheckResult(check.claim, check.flow, "passed", evidence)
    message = failure_message(hint_check, expected, seen, None, outcome, story_told=story_told,
                              hint_applies=_hint_applies(check, outcome, values))
    return CheckResult(check.claim, check.flow, "failed", evidence, message)


def _by_design(check: CheckSpec) -> CheckResult:
    return CheckResult(check.claim, check.flow, "not_checked", message=f"{NEEDS_EMULATION} by design: {check.by_design}", reason="by_design")


def _hint_applies(check: CheckSpec, outcome: FlowOutcome, values: Mapping[str, str]) -> bool:
    """Whether one of the check's ``hint_when`` conditions holds on this flow (True without any;
    a condition that cannot be read does not hold)."""
    if not check.hint_when:
        return True
    for when in check.hint_when:
        try:
            expected = fill_any(when.expected, values)
            seen = read_probe(when.probe, ProbeInput(outcome, fill_any(dict(when.params), values), values))
        except (NotObserved, StepFailed, ValueMissing):
            continue
        if holds(when.op, seen.value, expected):
            return True
    return False


def _with_hint(check: CheckSpec, values: Mapping[str, str]) -> CheckSpec:
    try:
        return replace(check, hint=fill(check.hint, values))
    except ValueMissing:
        return check


def _missing(check: CheckSpec, lane: Lane, missing: ValueMissing) -> CheckResult:
    if lane.emulation:
        why = f"The spec refers to {{{missing.name}}}, which has no value here (an earlier flow may have failed)."
        return CheckResult(check.claim, check.flow, "failed", message=why)
    if missing.name == _SECRET:
        why = ("not checked: the target's SP has no client_secret for the harness to redeem the code with "
               "(add client_secret: ${VARIABLE} to the SP in the targets file)")
    elif missing.name == BEFORE_SIGN_IN_STEPS:
        why = ("not checked: the guide presses a button on the SP's page here, and the target's SP declares no "
               "steps for it (add steps: {before_sign_in: [{click: \"<the button's selector>\"}]} to the SP)")
    elif missing.name.startswith(ROLE_PREFIX):
        role = missing.name.removeprefix(ROLE_PREFIX)
        why = f"not checked: the target has no user with role {role} (give one 'role: {role}' in its users)"
    else:
        why = f"not checked: the target does not provide {missing.name} (add it to the targets file, or pass --set {missing.name}=VALUE)"
    return CheckResult(check.claim, check.flow, "not_checked", message=one_line(why), reason="missing")

