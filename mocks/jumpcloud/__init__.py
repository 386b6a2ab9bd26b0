"""The JumpCloud-like SAML IdP (federated IdP of the Entra-like tenant, and an IdP for SPs directly)."""

from __future__ import annotations

from sso_harness.mocks.jumpcloud.idp import JumpCloudIdp
from sso_harness.mocks.jumpcloud.org import JcApp, JcAttribute, JcUser

__all__ = ["JcApp", "JcAttribute", "JcUser", "JumpCloudIdp"]
