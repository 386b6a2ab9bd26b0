"""The mock fleet's SAML SPs described for the battery (the hardened profiles).

Each SP trusts an IdP of the fleet whose key the harness holds, so the
attacker's "legitimately signed response for user A" is minted with that
key: the generic SP trusts the generic mock IdP, the Atlassian-, Alibaba-
and Mitel-like SPs trust the Entra-like IdP's signing key of their
enterprise app. The victim is another account each SP really has, so an
impersonation refused by the SP's account lookup cannot pass for safety.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from sso_harness.apps.security.driver import IdentityProbe
from sso_harness.apps.security.saml_mint import Persona, SamlSigner, SpFacts
from sso_harness.apps.security.subjects import SamlSpUnderAttack
from sso_harness.mocks.fleet import MockFleet
from sso_harness.mocks.sps.base import ProfileSp

__all__ = ["FLEET_SAML_SPS", "fleet_saml_subjects", "persona_of"]

FLEET_SAML_SPS: tuple[str, ...] = ("sp", "atlassian", "alibaba", "mitel")
_USER_XPATH = "//*[@id='user']"


def persona_of(fleet: MockFleet, username: str, shown: str | None = None) -> Persona:
    """A fleet user as an IdP asserts them (email NameID, Entra claim URIs)."""
    user = fleet.users.get(username)
    attributes: Mapping[str, Sequence[str]] = dict(user.attributes) if user is not None else {}
    return Persona(name_id=username, shown=shown or username, attributes=attributes)


def _generic(fleet: MockFleet) -> SamlSpUnderAttack:
    sp, idp = fleet.sp, fleet.idp
    s = sp.settings
    pair = idp.settings.signing
    return SamlSpUnderAttack(
        name="sp", facts=SpFacts(s.entity_id, s.acs_url),
        user=persona_of(fleet, "b.simon@contoso.com"), victim=persona_of(fleet, "adele.vance@contoso.com"),
        probe=IdentityProbe(f"{s.base_url}/whoami", "//*[@id='name-id']"),
        sign_on_url=f"{s.base_url}/protected/attack-battery", sp_initiated_only=not sp.engine.allow_unsolicited,
        session_cookies=(sp.cookie("session"),), signer=SamlSigner(idp.settings.entity_id, pair.key, pair.cert),
    )


def _entra_signer(fleet: MockFleet, app_id: str, idp_entity_id: str) -> SamlSigner:
    pair = fleet.entra.signing_key(app_id)
    return SamlSigner(idp_entity_id, pair.key, pair.cert)


def _profile(fleet: MockFleet, name: str, *, app_id: str, sign_on_url: str, probe_url: str, victim: str) -> SamlSpUnderAttack:
    sp: ProfileSp = getattr(fleet, name)
    assert sp.idp is not None, f"the fleet's {name} SP has no IdP configured"
    return SamlSpUnderAttack(
        name=name, facts=SpFacts(sp.entity_id, sp.acs_url),
        user=persona_of(fleet, "b.simon@contoso.com"), victim=persona_of(fleet, victim),
        probe=IdentityProbe(probe_url, _USER_XPATH), sign_on_url=sign_on_url,
        sp_initiated_only=not sp.allow_unsolicited, session_cookies=(sp.cookie("session"),),
        signer=_entra_signer(fleet, app_id, sp.idp.entity_id),
    )


def fleet_saml_subjects(fleet: MockFleet, names: Sequence[str] = FLEET_SAML_SPS) -> dict[str, SamlSpUnderAttack]:
    """The named SPs of a started :class:`sso_harness.mocks.fleet.MockFleet` (generic ``sp`` and the seed profiles)."""
    from sso_harness.mocks.scenario import IDS

    out: dict[str, SamlSpUnderAttack] = {}
    for name in names:
        if name == "sp":
            out[name] = _generic(fleet)
        elif name == "atlassian":
            site = fleet.atlassian.instance_url("contoso")
            out[name] = _profile(fleet, name, app_id=IDS.atlassian_app, sign_on_url=site, probe_url=site,
                                 victim="adele.vance@contoso.com")
        elif name == "alibaba":
            a = fleet.alibaba
            out[name] = _profile(fleet, name, app_id=IDS.alibaba_app, sign_on_url=f"{a.user_logon_url}/sso",
                                 probe_url=a.portal_url, victim="brittasimon@contoso.com")
        elif name == "mitel":
            portal = fleet.mitel.app_url("portal")
            out[name] = _profile(fleet, name, app_id=IDS.mitel_app, sign_on_url=portal, probe_url=portal,
                                 victim="brittasimon@contoso.com")
        else:
            raise KeyError(f"no SAML SP {name!r} in the fleet; known: {', '.join(FLEET_SAML_SPS)}")
    return out
