"""``/{tenant}/federationmetadata/2007-06/federationmetadata.xml[?appid=]``.

The tenant document publishes the tenant's signing key; with ``?appid=`` the
document of one enterprise app ("App Federation Metadata Url") publishes
that app's active SAML signing certificate. Both are a signed
``EntityDescriptor`` (ID ``_<guid>``) for ``https://sts.windows.net/<tid>/``
with one ``IDPSSODescriptor``: SSO on ``/{tid}/saml2`` (HTTP-Redirect and
HTTP-POST), logout on the same URL (HTTP-Redirect). Real Entra documents also
carry WS-Federation ``RoleDescriptor``s; those need schemas outside SAML 2.0
metadata, so they are left out and every document validates against
``saml-schema-metadata-2.0.xsd``.
"""

from __future__ import annotations

from collections.abc import Mapping

from sso_harness.protocols.xml import dsig as xmldsig
from sso_harness.mocks.entra.claims import sts_issuer
from sso_harness.mocks.entra.context import EntraContext
from sso_harness.mocks.entra.directory import MULTI_TENANT_SEGMENTS
from sso_harness.mocks.entra.error_shapes import page_error
from sso_harness.mocks.entra.errors import AadstsError, aadsts
from sso_harness.mocks.web.http import Request, Response
from sso_harness.mocks.base.keys import KeyPair
from sso_harness.mocks.saml.metadata import BINDING_POST, BINDING_REDIRECT, Endpoint, idp_descriptor, to_xml

__all__ = ["FederationMetadata", "METADATA_PATH"]

METADATA_PATH = "/{tenant}/federationmetadata/2007-06/federationmetadata.xml"
#: The tenant-independent document names no tenant (entra.md §1).
COMMON_ENTITY_ID = "https://sts.windows.net/{tenant}/"


class FederationMetadata:
    def __init__(self, ctx: EntraContext) -> None:
        self.ctx = ctx

    def handle(self, request: Request, path: Mapping[str, str]) -> Response:
        try:
            xml = self.document(path["tenant"], request.query.get("appid"))
        except AadstsError as err:
            return page_error(err, self.ctx.correlation())
        headers = [("Cache-Control", "max-age=86400, private"), ("Access-Control-Allow-Origin", "*")]
        return Response(body=xml.encode(), content_type="text/xml; charset=utf-8", headers=headers)

    def document(self, segment: str, app_id: str | None = None) -> str:
        """The metadata XML for a tenant segment (GUID, domain, ``common``) and optional app."""
        if segment.lower() in MULTI_TENANT_SEGMENTS:
            tenant_path, entity_id = segment, COMMON_ENTITY_ID
            key = self.ctx.tenant_key(self.ctx.directory.tenants[0].tenant_id)
        else:
            tenant = self.ctx.directory.tenant(segment)
            if tenant is None:
                raise aadsts(90002, tenant=segment)
            tenant_path, entity_id = tenant.tenant_id, sts_issuer(tenant.tenant_id)
            key = self.ctx.tenant_key(tenant.tenant_id)
            if app_id:
                app = tenant.app_by_id(app_id)
                if app is None:
                    raise aadsts(700016, app_id=app_id, tenant=tenant.tenant_id)
                cert = app.active_certificate
                if cert is None:
                    raise aadsts(50003, app_name=app.display_name, app_id=app.app_id)
                key = self.ctx.keys.get(cert.key, "accounts.accesscontrol.windows.net")
        return self._signed(entity_id, tenant_path, key)

    def _signed(self, entity_id: str, tenant_path: str, key: KeyPair) -> str:
        sso = f"{self.ctx.base_url}/{tenant_path}/saml2"
        root = idp_descriptor(
            entity_id,
            sso=[Endpoint(BINDING_REDIRECT, sso), Endpoint(BINDING_POST, sso)],
            slo=[Endpoint(BINDING_REDIRECT, sso)],
            certificates=[key.cert],
            descriptor_id=f"_{self.ctx.new_guid()}",
        )
        # Entra signs its metadata; the Signature is the EntityDescriptor's first child (metadata schema order).
        xmldsig.sign_element(root, key.key, key.cert, position="first")
        return to_xml(root)
