"""Run the OAuth 2.0 / OpenID Connect attacks against one relying party through a browser.

The relying party's providers are the harness's loopback providers
(:class:`~sso_harness.mocks.attack_lab.oidc_provider.LoopbackProvider`), which the attacker
controls per attempt. Each attempt starts from a clean browser and clean
providers, plays the moves of one attack (see each ``_`` method), then
judges from the relying party's "who am I" page and what the attacker's
servers saw. Crafted callbacks leave from the attacker's site
(:meth:`~sso_harness.mocks.attack_lab.site.AttackerSite.stage_redirect`), as a
link a victim would follow.

As for SAML, the baseline (an untampered login) runs first; if it fails,
the run stops with :class:`~sso_harness.apps.security.battery_loop.ControlFailed`.

Before an attempt is judged, every provider stops signing anyone in: an RP
whose landing page sends a signed-out browser to its provider (any real
RP) must not be signed in again there by the provider's own doing. With
``detect_sign_in`` (a targets-file RP), "signed in" is the RP's declared
rule at ``probe.url`` (:mod:`sso_harness.browser.signed_in`), and the probe
only says as whom; the probe may read a person's ``sub`` or ``email``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode, urlsplit

from sso_harness.apps.security.battery_loop import run_controls_first
from sso_harness.apps.security.catalogue import OIDC_ATTACKS, Attack
from sso_harness.apps.security.driver import DeliveryFailed, Driver, Landing, SessionMark
from sso_harness.apps.security.judge import Observed, judge
from sso_harness.apps.security.verdicts import AttackResult, BatteryRun, Evidence, Verdict
from sso_harness.apps.security.subjects import OidcPersona, OidcRpUnderAttack, ProviderHandle
from sso_harness.mocks.attack_lab.id_tokens import Tamper
from sso_harness.mocks.attack_lab.site import AttackerSite
from sso_harness.report.redact import redact_url

__all__ = ["OidcBattery"]

_TAMPERS: dict[str, Tamper] = {"oidc-alg-none": "alg-none", "oidc-wrong-key": "wrong-key", "oidc-wrong-iss": "wrong-iss",
            "oidc-wrong-aud": "wrong-aud", "oidc-expired": "expired", "oidc-nonce-mismatch": "nonce-mismatch"}


@dataclass
class _Attempt:
    token: str
    landing: Landing | None = None
    code_leaked: bool = False
    weak_request: str | None = None
    observations: list[str] = field(default_factory=list)
    mark: SessionMark | None = None
    """Where the browser stood before the attempt's last move (the signed-in check compares with it)."""


class OidcBattery:
    def __init__(self, rp: OidcRpUnderAttack, driver: Driver, site: AttackerSite) -> None:
        self.rp, self.driver, self.site = rp, driver, site

    @property
    def main(self) -> ProviderHandle:
        return self.rp.providers[0]

    def not_applicable(self, attack: Attack) -> str | None:
        if attack.id == "oidc-mix-up" and len(self.rp.providers) < 2:
            return "the relying party has a single provider, so there is nothing to mix up"
        return None

    def run(self, attacks: Sequence[Attack] = OIDC_ATTACKS) -> BatteryRun:
        """Raises :class:`~sso_harness.apps.security.battery_loop.ControlFailed` when the untampered login fails."""
        rp = self.rp
        advice = (f"check that {rp.name} trusts the provider {self.main.name} at {self.main.provider.issuer} "
                  f"(client {self.main.client_id}, redirect URI {rp.callback_url}) and that ")
        if rp.detect_sign_in:
            advice += f"its signed_in rule in the targets file holds at {rp.probe.url} once signed in; no attack was run"
        else:
            advice += (f"its page {rp.probe.url} names the signed-in user (or declare signed_in for it in the targets "
                       "file); no attack was run")
        return run_controls_first(
            attacks, protocol="oidc", subject=self.rp.name, not_applicable=self.not_applicable, attempt=self.attempt,
            advice=lambda _result: advice,
        )

    def attempt(self, attack: Attack) -> AttackResult:
        started = time.perf_counter()
        for handle in self.rp.providers:
            handle.provider.reset()
        self.driver.clear_session()
        attempt = _Attempt(self.site.token())
        moves = self._moves(attack.id)
        try:
            moves(attempt)
            return self._observe(attack, attempt, started)
        except DeliveryFailed as exc:
            return self._result(attack, Verdict.INCONCLUSIVE, f"the browser could not complete the attempt: {exc}", Evidence(), started)

    def _moves(self, attack_id: str) -> Callable[[_Attempt], None]:
        if attack_id in _TAMPERS:
            return lambda a: self._tampered(a, _TAMPERS[attack_id])
        table: dict[str, Callable[[_Attempt], None]] = {
            "oidc-baseline": self._baseline,
            "oidc-state-missing": lambda a: self._login_csrf(a, with_state=False),
            "oidc-state-mismatch": lambda a: self._login_csrf(a, with_state=True),
            "oidc-code-injection": self._code_injection,
            "oidc-redirect-uri": self._redirect_uri,
            "oidc-pkce-downgrade": self._pkce_downgrade,
            "oidc-mix-up": self._mix_up,
        }
        return table[attack_id]

    # -- moves -------------------------------------------------------------------------------------
    def _login(self, attempt: _Attempt, provider: str | None = None) -> Landing:
        attempt.mark = self.driver.session_mark()
        attempt.landing = self.driver.open(self.rp.login_url(provider or self.main.name))
        return attempt.landing

    def _deliver_callback(self, attempt: _Attempt, params: dict[str, str]) -> None:
        page = self.site.stage_redirect(_with_query(self.rp.callback_url, urlencode(params)))
        attempt.mark = self.driver.session_mark()
        attempt.landing = self.driver.open(page, until_leaves=self.site.origin)

    def _baseline(self, attempt: _Attempt) -> None:
        self.main.provider.switches.persona = self.rp.user
        self._login(attempt)

    def _tampered(self, attempt: _Attempt, tamper: Tamper) -> None:
        p = self.main.provider
        p.switches.persona = self.rp.user
        p.switches.tamper = (tamper, self.rp.victim)
        attempt.observations.append(f"ID token tampered ({tamper}), naming {self.rp.victim.email}")
        self._login(attempt)

    def _login_csrf(self, attempt: _Attempt, *, with_state: bool) -> None:
        p = self.main.provider
        params: dict[str, str] = {}
        if with_state:
            # The attacker starts a login of their own and keeps its state.
            p.switches.persona, p.switches.hold = self.rp.user, True
            self._login(attempt)
            seen = p.last_authorization()
            if seen is None or "state" not in seen.params:
                raise DeliveryFailed("the relying party sent no state to steal")
            params["state"] = seen.params["state"]
            p.switches.hold = False
            self.driver.clear_session()
        code = p.mint_code(self.main.client_id, self.rp.callback_url, self.rp.user)
        params.update(code=code, iss=p.issuer)
        attempt.observations.append("attacker's own code delivered " + ("with the attacker's state" if with_state else "without state"))
        self._deliver_callback(attempt, params)

    def _code_injection(self, attempt: _Attempt) -> None:
        p = self.main.provider
        p.switches.persona, p.switches.hold = self.rp.victim, True
        self._login(attempt)  # the victim's flow; the attacker steals its code
        stolen = p.last_authorization()
        if stolen is None or stolen.code is None:
            raise DeliveryFailed("the victim's login produced no code")
        self.driver.clear_session()
        self._login(attempt)  # the attacker's own flow, stopped at the provider
        mine = p.last_authorization()
        if mine is None or "state" not in mine.params:
            raise DeliveryFailed("the attacker's login sent no state")
        attempt.observations.append("victim's code injected into the attacker's own flow")
        self._deliver_callback(attempt, {"code": stolen.code, "state": mine.params["state"], "iss": p.issuer})

    def _redirect_uri(self, attempt: _Attempt) -> None:
        p = self.main.provider
        p.switches.persona, p.switches.lax_redirect = self.rp.victim, True
        steer = self.site.callback_url(attempt.token)
        link = _with_query(self.rp.login_url(self.main.name), f"{self.rp.redirect_parameter}={quote(steer, safe='')}")
        attempt.observations.append(f"login link with {self.rp.redirect_parameter}={steer}")
        attempt.mark = self.driver.session_mark()
        attempt.landing = self.driver.open(self.site.stage_redirect(link), until_leaves=self.site.origin)
        seen = p.last_authorization()
        if seen is not None:
            attempt.observations.append(f"the relying party asked for redirect_uri={seen.params.get('redirect_uri')}")
        attempt.code_leaked = any("code" in h.query for h in self.site.hits("callback", attempt.token))

    def _pkce_downgrade(self, attempt: _Attempt) -> None:
        p = self.main.provider
        p.switches.persona, p.switches.advertise_pkce = self.rp.user, False
        self._login(attempt)
        seen = p.authorizations[0] if p.authorizations else None
        if seen is None:
            raise DeliveryFailed("the relying party sent no authorization request")
        method = seen.params.get("code_challenge_method")
        if "code_challenge" not in seen.params:
            attempt.weak_request = "the relying party dropped PKCE when discovery did not advertise it"
        elif method != "S256":
            attempt.weak_request = f"the relying party downgraded PKCE to {method or 'plain'}"
        attempt.observations.append(f"authorization request: code_challenge_method={method or '(none)'}")

    def _mix_up(self, attempt: _Attempt) -> None:
        honest, evil = self.rp.providers[0], self.rp.providers[1]
        h, a = honest.provider, evil.provider
        h.switches.persona = self.rp.victim
        a.switches.forward_to = (h, honest.client_id)
        attempt.observations.append(f"login started with {evil.name}, which forwards to {honest.name}")
        self._login(attempt, evil.name)
        leaked = [r for r in a.redemptions if not r.issued_here]
        if leaked:
            attempt.observations.append(f"{evil.name}'s token endpoint received a code it never issued")
        attempt.code_leaked = bool(leaked)

    # -- verdict -------------------------------------------------------------------------------------
    def _close_providers(self) -> None:
        """From now on no provider signs anyone in (nor holds, tampers or forwards): opening the RP's
        landing page cannot start a sign-in of the providers' own doing."""
        for handle in self.rp.providers:
            s = handle.provider.switches
            s.persona, s.hold, s.tamper, s.forward_to = None, False, None, None

    def _signed_in(self, attempt: _Attempt) -> tuple[bool | None, str | None]:
        """(the declared rule's answer, or None without one; who the probe names, as the RP's persona)."""
        rp = self.rp
        signed: bool | None = None
        if rp.detect_sign_in:
            since = attempt.mark or self.driver.session_mark()
            verdict = self.driver.signed_in(rp.sign_in_rule, acs_url=rp.callback_url, landing_url=rp.probe.url, since=since)
            attempt.observations.append(f"signed-in check: {verdict.explain()}")
            signed = verdict.signed_in
            if not signed:
                return False, None
        return signed, self._person(self.driver.identity(rp.probe))

    def _person(self, shown: str | None) -> str | None:
        """What the probe read, as the ``shown`` of the person it names (a page may show ``sub`` or ``email``)."""
        people: tuple[OidcPersona, ...] = (self.rp.victim, self.rp.user)
        return next((p.shown for p in people if shown is not None and shown in (p.shown, p.sub, p.email)), shown)

    def _observe(self, attack: Attack, attempt: _Attempt, started: float) -> AttackResult:
        self._close_providers()
        signed, who = self._signed_in(attempt)
        seen = Observed(signed_in_as=who, user=self.rp.user.shown, victim=self.rp.victim.shown, signed_in=signed,
                        code_leaked=attempt.code_leaked, weak_request=attempt.weak_request)
        verdict, reason = judge(attack.goal, seen)
        landing = attempt.landing or Landing(url="")
        cookies = tuple(c for c in self.driver.cookie_names() if c in self.rp.session_cookies)
        evidence = Evidence(landing_url=redact_url(landing.url) if landing.url else None, landing_status=landing.status,
                            landing_title=landing.title, failed_checks=landing.failed_checks, signed_in_as=who,
                            session_cookies=cookies, observations=tuple(attempt.observations), signed_in=signed)
        return self._result(attack, verdict, reason, evidence, started)

    def _result(self, attack: Attack, verdict: Verdict, reason: str, evidence: Evidence, started: float) -> AttackResult:
        return AttackResult(attack_id=attack.id, title=attack.title, verdict=verdict, reason=reason,
                            reference=attack.reference, target=self.rp.name, evidence=evidence, control=attack.control,
                            seconds=time.perf_counter() - started if started else 0.0)


def _with_query(url: str, query: str) -> str:
    """``url`` with ``query`` appended to its query string (a login URL may have none yet)."""
    return url + ("&" if urlsplit(url).query else "?") + query if query else url
