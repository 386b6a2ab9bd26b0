"""Run the SAML attacks against one SP through a browser, and judge each.

One attempt, as an attacker would do it:

1. a clean browser (a fresh context when the driver opens one per attempt,
   else no cookies);
2. unless the attack is about unsolicited responses, start an SP-initiated
   login at the SP and read the AuthnRequest it sends (its ID goes into the
   crafted response's InResponseTo; the SP's own state cookie stays in the
   browser, as in a real login); a response captured from a normal login
   leaves an IdP session behind, whose cookies are then dropped, so the IdP
   cannot sign the user in again behind a refused attack;
3. craft the response (:func:`sso_harness.apps.security.saml_forge.forge`);
4. open a page on the attacker's site that posts it to the ACS;
5. observe: whether the SP signed the browser in (its "who am I" page, or
   :mod:`sso_harness.browser.signed_in` for SPs described by a targets
   file), its session cookies, the DOM, and the attacker site's listeners;
   then judge (:func:`sso_harness.apps.security.judge.judge`).

The baseline (the untampered response) runs first; if the SP does not
accept even that, every other verdict would be meaningless, and the run
stops with :class:`~sso_harness.apps.security.battery_loop.ControlFailed`
saying what to configure.

Two attacks apply only to an SP that takes no unsolicited responses: the
unsolicited response itself, and an InResponseTo of a request the SP never
sent (which such an SP may fairly treat as unsolicited, as SimpleSAMLphp
does). Elsewhere they are listed as not applicable, with the reason. Other
attacks can turn out not applicable during the attempt, from the response
the IdP really sends: XSW1/XSW2 wrap a Response-level signature, and an IdP
that signs only the Assertion (Entra's default) gives none
(:class:`~sso_harness.apps.security.saml_xsw.XswNotApplicable`, coded).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from sso_harness.apps.security.battery_loop import run_controls_first
from sso_harness.apps.security.catalogue import SAML_ATTACKS, Attack
from sso_harness.apps.security.driver import DeliveryFailed, Driver, Landing, SessionMark, origin_of
from sso_harness.apps.security.judge import Observed, judge
from sso_harness.apps.security.verdicts import (
    DELIVERY_FAILED,
    FIRST_DELIVERY_REFUSED,
    MARKUP_UNREAD,
    NEEDS_IDP_KEY,
    NOT_FORGEABLE,
    OOB_UNREACHABLE,
    AttackNotApplicable,
    AttackResult,
    BatteryRun,
    Evidence,
    Goal,
    Verdict,
)
from sso_harness.apps.security.saml_forge import NotForgeable, SamlMaterial, forge
from sso_harness.apps.security.saml_tamper import AttackerKey, attacker_key
from sso_harness.apps.security.subjects import SamlSpUnderAttack
from sso_harness.mocks.attack_lab.site import AttackerSite
from sso_harness.browser.signed_in import SignedInVerdict
from sso_harness.protocols import DecodeError
from sso_harness.report.redact import redact_url
from sso_harness.protocols.saml import AuthnRequest, decode_redirect
from sso_harness.mocks.base.clock import Clock, system_clock

__all__ = ["SamlBattery", "SignInUndecided", "authn_request_in", "UNSOLICITED_BY_DESIGN"]

UNSOLICITED_BY_DESIGN = "security.not_applicable.unsolicited_by_design"


def authn_request_in(chain: Sequence[str]) -> tuple[str, str | None] | None:
    """``(request ID, RelayState)`` of the first HTTP-Redirect AuthnRequest among ``chain``'s URLs."""
    for url in chain:
        if "SAMLRequest=" not in url:
            continue
        try:
            carried = decode_redirect(url)
        except DecodeError:
            continue
        if isinstance(carried.message, AuthnRequest) and carried.message.id:
            return carried.message.id, carried.relay_state
    return None


class SignInUndecided(RuntimeError):
    """The signed-in check could not gather its evidence; ``code`` is the check's
    (``signed_in.landing_not_loaded`` ...), and the attempt comes out INCONCLUSIVE with it."""

    def __init__(self, verdict: SignedInVerdict) -> None:
        self.verdict = verdict
        self.code = verdict.code or "signed_in.undecided"
        super().__init__(f"{self.code}: {verdict.explain()}")


@dataclass
class _Attempt:
    token: str
    request_id: str | None = None
    relay_state: str | None = None
    observations: list[str] = field(default_factory=list)


class SamlBattery:
    def __init__(
        self,
        sp: SamlSpUnderAttack,
        driver: Driver,
        site: AttackerSite,
        *,
        clock: Clock = system_clock,
        key: AttackerKey | None = None,
    ) -> None:
        self.sp, self.driver, self.site, self.clock = sp, driver, site, clock
        self._key = key

    @property
    def key(self) -> AttackerKey:
        if self._key is None:
            self._key = attacker_key(now=self.clock())
        return self._key

    def not_applicable(self, attack: Attack) -> str | None:
        """Decided up front; :class:`AttackNotApplicable` (code :data:`UNSOLICITED_BY_DESIGN`) or None."""
        if attack.id == "saml-unsolicited" and not self.sp.sp_initiated_only:
            raise AttackNotApplicable(UNSOLICITED_BY_DESIGN, "the SP accepts IdP-initiated (unsolicited) logins by design")
        if attack.id == "saml-in-response-to-mismatch" and not self.sp.sp_initiated_only:
            # A response answering none of the SP's requests gains the attacker nothing an
            # IdP-initiated login does not already give at an SP that takes those.
            raise AttackNotApplicable(UNSOLICITED_BY_DESIGN, "the SP accepts unsolicited responses by design, "
                                      "which a mismatched InResponseTo amounts to")
        return None

    def run(self, attacks: Sequence[Attack] = SAML_ATTACKS) -> BatteryRun:
        """Raises :class:`~sso_harness.apps.security.battery_loop.ControlFailed` when the untampered response is not accepted."""
        return run_controls_first(
            attacks, protocol="saml", subject=self.sp.name, not_applicable=self.not_applicable, attempt=self.attempt,
            advice=self.advice,
        )

    def advice(self, control: AttackResult) -> str:
        """What to configure when the control login was not accepted."""
        sp = self.sp
        if control.verdict is Verdict.INCONCLUSIVE:
            return f"fix what stopped the control login at SP {sp.name} (login driver, its selectors, the SP's URLs); no attack was run"
        if sp.detect_sign_in and (sp.sign_in_rule is None or not sp.sign_in_rule.declared):
            return (f"declare signed_in for SP {sp.name} in the targets file (url, selector, text, cookie or probe_url "
                    f"describing what {sp.probe.url} shows once signed in): the SAML default did not see a sign-in; "
                    "no attack was run")
        if sp.detect_sign_in:
            return f"check signed_in of SP {sp.name} in the targets file against what {sp.probe.url} shows once signed in; no attack was run"
        return (f"check that SP {sp.name} trusts the signing key and accepts a response for {sp.user.name_id}, and that "
                f"{sp.probe.url} shows the signed-in user at {sp.probe.xpath}; no attack was run")

    # -- one attempt ---------------------------------------------------------------------------
    def attempt(self, attack: Attack) -> AttackResult:
        started = time.perf_counter()
        sp = self.sp
        if attack.needs_signer and sp.signer is None:
            reason = "needs a response signed by the SP's IdP, whose key the harness does not hold"
            return self._result(attack, Verdict.INCONCLUSIVE, reason, Evidence(), started, NEEDS_IDP_KEY)
        if attack.id == "saml-xxe" and not sp.loopback:
            reason = "the out-of-band listener is on this machine, out of a remote SP's reach"
            return self._result(attack, Verdict.INCONCLUSIVE, reason, Evidence(), started, OOB_UNREACHABLE)
        attempt = _Attempt(self.site.token())
        landing: Landing | None = None
        try:
            self.driver.clear_session()
            material = self._material(attack, attempt)
            forged = forge(attack, material)
            attempt.observations.append(forged.note)
            page = self.site.stage_form(sp.facts.acs_url, {
                "SAMLResponse": base64.b64encode(forged.xml).decode("ascii"), "RelayState": forged.relay_state,
            })
            mark = self.driver.session_mark()
            landing = self.driver.open(page, until_leaves=self.site.origin)
            if attack.id == "saml-replay":
                signed, first = self._signed_in(mark, attempt)
                if not signed:
                    reason = "the first, legitimate delivery was already refused, so the replay proves nothing"
                    return self._result(attack, Verdict.INCONCLUSIVE, reason, self._evidence(landing, None, attempt, signed), started,
                                        FIRST_DELIVERY_REFUSED)
                attempt.observations.append(f"first delivery signed in {first or '(the SP names nobody)'}")
                self.driver.clear_session()
                mark = self.driver.session_mark()
                landing = self.driver.open(page, until_leaves=self.site.origin)
            return self._observe(attack, attempt, landing, started, mark)
        except SignInUndecided as exc:
            # The evidence could not be gathered (a landing page that never loaded, a probe without answer):
            # say so with its code rather than read a slow page as a refusal.
            evidence = self._evidence(landing, None, attempt) if landing is not None else Evidence(observations=tuple(attempt.observations))
            gap = exc.verdict.undecided
            reason = f"{exc.code}: could not tell whether the SP signed the browser in" + (f" ({gap.name}: {gap.detail})" if gap else "")
            return self._result(attack, Verdict.INCONCLUSIVE, reason, evidence, started, exc.code)
        except NotForgeable as exc:
            return self._result(attack, Verdict.INCONCLUSIVE, f"cannot be mounted here: {exc}", Evidence(), started, NOT_FORGEABLE)
        except DeliveryFailed as exc:
            return self._result(attack, Verdict.INCONCLUSIVE, f"the browser could not complete the attempt: {exc}",
                                Evidence(observations=tuple(attempt.observations)), started, DELIVERY_FAILED)

    def _material(self, attack: Attack, attempt: _Attempt) -> SamlMaterial:
        sp = self.sp
        captured = None
        if sp.signer is None:
            if sp.capture is None:
                raise NotForgeable("holds neither a key the SP trusts nor a way to log in normally")
            login = sp.capture(self.driver)
            captured, attempt.relay_state = login.response, login.relay_state
            attempt.observations.append("legitimate response captured from a normal login")
            # The normal login left an IdP session: with it, a refused delivery could be followed by
            # the IdP signing the user in again on its own, and the attack would look accepted.
            self.driver.forget_idp_session(origin_of(sp.facts.acs_url))
        elif attack.id != "saml-unsolicited" and sp.sign_on_url:
            start = self.driver.open(sp.sign_on_url, wait="commit")
            found = authn_request_in(start.chain)
            if found is None:
                raise DeliveryFailed(f"the SP-initiated start at {sp.sign_on_url} sent no AuthnRequest (ended at {start.url})")
            attempt.request_id, attempt.relay_state = found
        return SamlMaterial(
            sp=sp.facts, user=sp.user, victim=sp.victim, attacker_key=self.key, now=self.clock(),
            signer=sp.signer, captured=captured, idp_certificate=sp.idp_certificate,
            request_id=attempt.request_id, relay_state=attempt.relay_state,
            oob_url=self.site.oob_url(attempt.token), external_url=self.site.external_url(attempt.token),
            marker=f"sso-harness-markup-{attempt.token}",
        )

    def _signed_in(self, mark: SessionMark, attempt: _Attempt) -> tuple[bool, str | None]:
        """(signed in?, as whom when the SP says): the signed-in check when the subject asks for it, else the probe;
        :class:`SignInUndecided` when the check's evidence could not be gathered."""
        sp = self.sp
        if not sp.detect_sign_in:
            who = self.driver.identity(sp.probe)
            return who is not None, who
        verdict = self.driver.signed_in(sp.sign_in_rule, acs_url=sp.facts.acs_url, landing_url=sp.probe.url, since=mark)
        attempt.observations.append(f"signed-in check: {verdict.explain()}")
        if verdict.signed_in is None:
            raise SignInUndecided(verdict)
        return verdict.signed_in, (self.driver.identity(sp.probe) if verdict.signed_in else None)

    def _observe(self, attack: Attack, attempt: _Attempt, landing: Landing, started: float, mark: SessionMark) -> AttackResult:
        marker = f"sso-harness-markup-{attempt.token}"
        looks = [self.driver.has_element(marker)]  # the page the delivery landed on, then the landing page
        signed, who = self._signed_in(mark, attempt)
        if looks[0] is not True:
            looks.append(self.driver.has_element(marker))
        rendered = True in looks
        if attack.goal is Goal.REFLECTED and not rendered and None in looks:
            # A page that could not be read is not a page without the markup: say so rather than guess REJECTED.
            reason = f"{MARKUP_UNREAD}: could not tell whether the SP rendered the markup: its page could not be read"
            return self._result(attack, Verdict.INCONCLUSIVE, reason, self._evidence(landing, who, attempt, signed), started,
                                MARKUP_UNREAD)
        oob = bool(self.site.hits("oob", attempt.token))
        redirected = bool(self.site.hits("landing", attempt.token))
        if oob:
            attempt.observations.append("out-of-band fetch received")
        if redirected:
            attempt.observations.append("browser reached the attacker's site")
        if rendered:
            attempt.observations.append(f"element #{marker} present in the SP's page")
        seen = Observed(signed_in_as=who, user=self.sp.user.shown, victim=self.sp.victim.shown,
                        signed_in=signed if self.sp.detect_sign_in else None,
                        markup_rendered=rendered, oob_fetched=oob, reached_attacker_site=redirected)
        verdict, reason = judge(attack.goal, seen)
        return self._result(attack, verdict, reason, self._evidence(landing, who, attempt, signed), started)

    def _evidence(self, landing: Landing, who: str | None, attempt: _Attempt, signed: bool | None = None) -> Evidence:
        cookies = tuple(c for c in self.driver.cookie_names() if c in self.sp.session_cookies)
        return Evidence(
            landing_url=redact_url(landing.url), landing_status=landing.status, landing_title=landing.title,
            failed_checks=landing.failed_checks, signed_in_as=who, session_cookies=cookies,
            observations=tuple(attempt.observations), signed_in=signed if self.sp.detect_sign_in else None,
        )

    def _result(self, attack: Attack, verdict: Verdict, reason: str, evidence: Evidence, started: float,
                code: str | None = None) -> AttackResult:
        return AttackResult(
            attack_id=attack.id, title=attack.title, verdict=verdict, reason=reason, reference=attack.reference,
            target=self.sp.name, evidence=evidence, control=attack.control,
            seconds=time.perf_counter() - started if started else 0.0, code=code,
        )
