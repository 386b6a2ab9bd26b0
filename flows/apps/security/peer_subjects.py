"""SimpleSAMLphp's SP (the peers lane) described for the battery.

SimpleSAMLphp's ``saml:SP`` trusts the peers lane's mock IdP, whose key the
harness holds, so the attacker's legitimately signed response is minted
with it. SimpleSAMLphp 1.19 accepts unsolicited responses (there is no
switch to refuse them), so the unsolicited attack does not apply. Its test
page, ``core/authenticate.php``, shows the NameID it accepted in the "SAML
Subject" table; when nobody is signed in it starts a login instead.
"""

from __future__ import annotations

from sso_harness.apps.security.driver import IdentityProbe
from sso_harness.apps.security.saml_mint import Persona, SamlSigner, SpFacts
from sso_harness.apps.peers import MockPartners, SimpleSamlPhp
from sso_harness.apps.security.subjects import SamlSpUnderAttack

__all__ = ["simplesamlphp_sp_subject", "SSP_NAME_ID_XPATH"]

SSP_NAME_ID_XPATH = "//tr[td[@class='attrname']/code[normalize-space()='NameId']]/td[@class='attrvalue']"


def simplesamlphp_sp_subject(ssp: SimpleSamlPhp, mocks: MockPartners, *, cookie_prefix: str = "sspeer") -> SamlSpUnderAttack:
    """``ssp``: a started :class:`sso_harness.apps.peers.SimpleSamlPhp`; ``mocks``: its federated :class:`sso_harness.apps.peers.MockPartners`."""
    e, idp = ssp.endpoints, mocks.idp
    assert e is not None and idp is not None, "start SimpleSAMLphp and its partners first"
    pair = idp.settings.signing

    def persona(username: str) -> Persona:
        user = mocks.users[username]
        return Persona(user.email, user.email, dict(user.attributes))

    return SamlSpUnderAttack(
        name="simplesamlphp-sp", facts=SpFacts(e.sp_entity_id, e.sp_acs),
        user=persona("b.simon@contoso.com"), victim=persona("adele.vance@contoso.com"),
        probe=IdentityProbe(e.sp_login, SSP_NAME_ID_XPATH), sign_on_url=e.sp_login, sp_initiated_only=False,
        session_cookies=(f"{cookie_prefix}_SessionID", f"{cookie_prefix}_AuthToken"),
        signer=SamlSigner(idp.settings.entity_id, pair.key, pair.cert),
    )
