"""A real SP registered at the Entra-like mock IdP, the way an admin adds a non-gallery app.

"Basic SAML Configuration" takes the SP's Identifier (entity ID) and Reply
URL (ACS) from the SP's metadata; the app signs with a certificate of its
own (a name in the fleet's key ring, made on first use and kept for the
fleet's life, so the federation metadata an SP read at start stays true
after the fleet resets). The mock's directory forgets added apps when the
fleet resets between tests, so :func:`register_saml_app` is idempotent:
call it before each flow.
"""

from __future__ import annotations

from dataclasses import replace

from sso_harness.apps.peers.saml_entities import SamlEntity
from sso_harness.mocks.entra.idp import EntraIdp
from sso_harness.mocks.entra.tenant import EnterpriseApp, SigningCertificate

__all__ = ["register_saml_app", "EMAIL_NAME_ID"]

EMAIL_NAME_ID = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"


def register_saml_app(entra: EntraIdp, tenant_id: str, sp: SamlEntity, *, app_id: str, display_name: str,
                      certificate_key: str) -> EnterpriseApp:
    """The enterprise app ``app_id`` for ``sp`` in ``tenant_id``, added when absent.
    NameID: the user's ``mail``, emailAddress format; every user may sign in."""
    tenant = entra.tenant(tenant_id)
    for app in tenant.enterprise_apps:
        if app.app_id == app_id:
            return app
    app = EnterpriseApp(
        app_id=app_id,
        display_name=display_name,
        identifiers=(sp.entity_id,),
        reply_urls=tuple(e.location for e in sp.acs),
        name_id_source="user.mail",
        name_id_format=EMAIL_NAME_ID,
        certificates=(SigningCertificate(certificate_key),),
    )
    entra.update_tenant(replace(tenant, enterprise_apps=(*tenant.enterprise_apps, app)))
    return app
