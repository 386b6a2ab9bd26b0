"""The JumpCloud-like SAML IdP (federated IdP of the Entra-like tenant, and an IdP for SPs directly)."""

from __future__ import annotations

from mocks.jumpcloud.idp import JumpCloudIdp
from mocks.jumpcloud.model import JcApp, JcAttribute, JcUser

__all__ = ["JcApp", "JcAttribute", "JcUser", "JumpCloudIdp"]
