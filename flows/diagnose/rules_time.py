"""Time rules: clock skew between IdP and the rest of the world, assertion windows, certificate expiry.

The proxy stamps every hop with its own clock, so the skew of the IdP's
clock is measured directly: a Response's IssueInstant (or an ID token's
``iat``) minus the moment the browser delivered it, a few milliseconds
after it was issued. SPs tolerate a little (pysaml2 60 s, Entra 5 min);
beyond that they refuse assertions as "not yet valid" or "expired".
Certificates are judged at the evaluation time (RFC 5280 §4.1.2.5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sso_harness.diagnose.evidence import Evidence
from sso_harness.diagnose.finding import Finding
from sso_harness.protocols.certinfo import CertificateInfo
from sso_harness.trace.decoded import carried_id_token

__all__ = ["clock_skew", "certificate_expiry"]


def _arrival(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc)


def _seconds(delta: dt.timedelta) -> str:
    s = abs(delta.total_seconds())
    return f"{s:.0f} s" if s < 120 else f"{s / 60:.1f} min" if s < 7200 else f"{s / 3600:.1f} h"


def _skew_finding(rule_hop: int, label: str, issued: dt.datetime, arrived: dt.datetime, what: str, tolerance: dt.timedelta) -> Finding:
    skew = issued - arrived
    direction = "ahead of" if skew.total_seconds() > 0 else "behind"
    return Finding(
        "clock-skew", "error", rule_hop, label,
        f"The IdP's clock is {_seconds(skew)} {direction} the capture's: {what} {issued:%Y-%m-%dT%H:%M:%SZ}, "
        f"delivered at {arrived:%Y-%m-%dT%H:%M:%SZ} (measured skew {skew.total_seconds():+.0f} s; "
        f"SPs tolerate about {tolerance.total_seconds():.0f} s).",
        "Synchronise the IdP's clock with NTP (and check the SP's too); widening the SP's allowed clock skew "
        "only hides the problem.",
    )


def clock_skew(ev: Evidence) -> Iterator[Finding]:
    tolerance = ev.tolerances.clock
    for h, _b, response in ev.saml_responses():
        arrived = _arrival(h.hop.started)
        if response.issue_instant is not None and abs(response.issue_instant - arrived) > tolerance:
            yield _skew_finding(h.hop.index, h.label, response.issue_instant, arrived, "the Response was issued at", tolerance)
            continue
        a = response.assertion
        if a is None:
            continue
        if a.not_before is not None and a.not_before - arrived > tolerance:
            yield Finding(
                "assertion-window", "error", h.hop.index, h.label,
                f"The assertion was not yet valid when it arrived: NotBefore {a.not_before:%Y-%m-%dT%H:%M:%SZ}, "
                f"arrival {arrived:%Y-%m-%dT%H:%M:%SZ}.",
                "Check the IdP's clock and the validity window it issues (SAML core §2.5.1.2).",
            )
        for name, limit in (("Conditions NotOnOrAfter", a.not_on_or_after), ("SubjectConfirmationData NotOnOrAfter", a.subject_not_on_or_after)):
            if limit is not None and limit <= arrived:
                yield Finding(
                    "assertion-window", "error", h.hop.index, h.label,
                    f"The assertion had already expired when it arrived: {name} {limit:%Y-%m-%dT%H:%M:%SZ}, "
                    f"arrival {arrived:%Y-%m-%dT%H:%M:%SZ} ({_seconds(arrived - limit)} late).",
                    "Check the IdP's clock and its assertion lifetime setting; a lifetime of a few minutes is normal.",
                )
                break
    for h, message in ev.oauth():
        for jwt in (carried_id_token(message),):
            iat = None if jwt is None else jwt.claims.get("iat")
            if isinstance(iat, (int, float)) and not isinstance(iat, bool):
                issued = dt.datetime.fromtimestamp(iat, dt.timezone.utc)
                arrived = _arrival(h.hop.started)
                # An ID token is issued at most seconds before it travels; iat well after arrival is a fast clock.
                if issued - arrived > tolerance or arrived - issued > max(tolerance, dt.timedelta(minutes=10)):
                    yield _skew_finding(h.hop.index, h.label, issued, arrived, "the ID token's iat is", tolerance)


def certificate_expiry(ev: Evidence) -> Iterator[Finding]:
    now = ev.moment
    if now is None:
        return
    seen: set[str] = set()
    for h, b in ev.saml():
        for info in b.certificates:
            if info.sha256_fingerprint in seen:
                continue
            seen.add(info.sha256_fingerprint)
            finding = _judge(info, now, ev.tolerances.cert_horizon, h.hop.index, h.label)
            if finding is not None:
                yield finding


def _judge(info: CertificateInfo, now: dt.datetime, horizon: dt.timedelta, hop: int, label: str) -> Finding | None:
    day = f"{info.not_after:%Y-%m-%d}"
    if info.not_after < now:
        return Finding(
            "certificate-expired", "error", hop, label,
            f"The IdP signs with certificate {info.short()}, which expired on {day}; many SPs refuse its signatures.",
            "Create a new signing certificate at the IdP, make it active, and give it to the SP "
            "(upload it, or re-import the IdP's metadata).",
        )
    if info.not_before > now:
        return Finding(
            "certificate-expired", "error", hop, label,
            f"The IdP signs with certificate {info.short()}, which is not valid until {info.not_before:%Y-%m-%d}.",
            "Check the IdP's clock and the certificate's validity dates.",
        )
    left = info.not_after - now
    if left <= horizon:
        return Finding(
            "certificate-expiring", "warning", hop, label,
            f"The IdP's signing certificate {info.short()} expires on {day}, in {left.days} days.",
            "Plan the rollover now: add the next certificate at the IdP, give it to the SP while the old one "
            "still works (SPs can trust both), then switch the IdP to it.",
        )
    return None
