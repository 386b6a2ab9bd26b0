"""Hooks of the Mitel Connect / CloudLink spec: a signing-certificate rollover.

The guide's advice: paste every signing certificate into Mitel's field, one
after the other, so a rollover in Entra (the next certificate becomes
active) does not break sign-in. The emulation's Mitel app starts with the
current certificate active and the next one inactive, and the Mitel SP
trusts both, as the guide says.
"""

from __future__ import annotations

from sso_harness.apps.tutorials.errors import NotObserved, StepFailed
from sso_harness.apps.tutorials.hook import HookContext
from sso_harness.apps.tutorials.observe import Observation

__all__ = ["roll_over_signing_certificate", "trust_first_certificate_only", "sp_certificate_count"]


def roll_over_signing_certificate(ctx: HookContext) -> None:
    """Entra: make the inactive certificate the active one ("Make certificate active")."""
    from sso_harness.mocks.entra import SigningCertificate
    from sso_harness.mocks.scenario import IDS

    entra = ctx.emulation.entra
    app = entra.enterprise_app(IDS.mitel_app)[1]
    rolled = tuple(SigningCertificate(c.key, active=not c.active) for c in app.certificates)
    entra.configure_app(IDS.mitel_app, certificates=rolled)


def trust_first_certificate_only(ctx: HookContext) -> None:
    """Mitel: only the certificate in use today is pasted (what the guide warns against)."""
    mitel = ctx.emulation.mitel
    idp = mitel.idp
    if idp is None:
        raise StepFailed("the Mitel SSO settings hold no IdP to trim")
    mitel.configure_idp(idp.entity_id, idp.sso_url, idp.certificates[:1])


def sp_certificate_count(ctx: HookContext) -> Observation:
    """How many certificates Mitel's "Signing Certificate" field holds."""
    if ctx.fleet is None or ctx.fleet.mitel.idp is None:
        raise NotObserved("the Mitel SSO settings hold no IdP")
    return Observation(len(ctx.fleet.mitel.idp.certificates), "Mitel SSO settings: Signing Certificate field")
