"""The attack lab's targets described for the battery, with the people the attacks are about.

The lab (:class:`sso_harness.mocks.attack_lab.AttackLab`) only serves; here
its vulnerable SAML SP and its relying parties become
:class:`~sso_harness.apps.security.subjects.SamlSpUnderAttack` and
:class:`~sso_harness.apps.security.subjects.OidcRpUnderAttack`: the
attacker's own account (``user``), the ``victim``, the identity probe, and
for SAML a signer holding the key the SP trusts.
"""

from __future__ import annotations

from sso_harness.apps.security.driver import IdentityProbe
from sso_harness.apps.security.saml_mint import Persona, SamlSigner, SpFacts
from sso_harness.apps.security.subjects import OidcPersona, OidcRpUnderAttack, ProviderHandle, SamlSpUnderAttack
from sso_harness.mocks.attack_lab import LAB_IDP_ENTITY_ID, RELYING_PARTIES, AttackLab

__all__ = ["LAB_USER", "LAB_VICTIM", "OIDC_USER", "OIDC_VICTIM", "lab_signer", "rp_subject", "vulnerable_saml_subject"]

LAB_USER = Persona("b.simon@contoso.com", "b.simon@contoso.com", {
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": ("B.",),
    "http://schemas.microsoft.com/identity/claims/displayname": ("B. Simon",),
})
LAB_VICTIM = Persona("adele.vance@contoso.com", "adele.vance@contoso.com")
OIDC_USER = OidcPersona("b-simon", "b.simon@contoso.com", "b.simon@contoso.com", "B. Simon")
OIDC_VICTIM = OidcPersona("adele-vance", "adele.vance@contoso.com", "adele.vance@contoso.com", "Adele Vance")
_USER_XPATH = "//*[@id='user']"


def lab_signer(lab: AttackLab) -> SamlSigner:
    """Mints as the IdP the lab's vulnerable SAML SP trusts."""
    key, cert = lab.idp_key
    return SamlSigner(LAB_IDP_ENTITY_ID, key, cert)


def vulnerable_saml_subject(lab: AttackLab) -> SamlSpUnderAttack:
    """The lab's vulnerable SAML SP (SP-initiated logins only), with whatever weaknesses it has on."""
    sp = lab.vulnerable_sp
    return SamlSpUnderAttack(
        name="vulnerable-sp", facts=SpFacts(sp.entity_id, sp.acs_url), user=LAB_USER, victim=LAB_VICTIM,
        probe=IdentityProbe(f"{sp.base_url}/whoami", _USER_XPATH), sign_on_url=f"{sp.base_url}/login",
        sp_initiated_only=True, session_cookies=(sp.cookie("session"),), signer=lab_signer(lab),
    )


def rp_subject(lab: AttackLab, which: str = "oidc-rp") -> OidcRpUnderAttack:
    """One of the lab's relying parties (``oidc-rp``, hardened, or ``vulnerable-rp``) and its two providers."""
    if which not in RELYING_PARTIES:
        raise KeyError(f"no relying party {which!r} in the lab; known: {', '.join(RELYING_PARTIES)}")
    rp = lab.relying_parties[which]
    handles = tuple(ProviderHandle(p.name, provider, p.client_id)
                    for p, provider in zip(rp.providers.values(), lab.providers, strict=True))
    return OidcRpUnderAttack(
        name=which, login_url=rp.login_url, callback_url=rp.callback_url,
        probe=IdentityProbe(f"{rp.base_url}/whoami", _USER_XPATH), providers=handles,
        user=OIDC_USER, victim=OIDC_VICTIM, session_cookies=(rp.cookie("session"),),
    )
