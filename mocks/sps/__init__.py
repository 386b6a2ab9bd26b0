"""SP emulations of the seed systems: one SAML SP engine with a profile per system, and a Jira-like OAuth client."""

from __future__ import annotations

from sso_harness.mocks.sps.alibaba import AlibabaCloudSsoSp
from sso_harness.mocks.sps.atlassian import AtlassianSp
from sso_harness.mocks.sps.base import Account, ProfileSp
from sso_harness.mocks.sps.jira import SCOPE_SETS, JiraOAuthClient, OAuthIntegration
from sso_harness.mocks.sps.mitel import MITEL_APPS, MitelSp

__all__ = ["MITEL_APPS", "SCOPE_SETS", "Account", "AlibabaCloudSsoSp", "AtlassianSp", "JiraOAuthClient", "MitelSp", "OAuthIntegration", "ProfileSp"]
