"""SP emulations of the seed systems: one SAML SP engine with a profile per system, and a Jira-like OAuth client."""

from __future__ import annotations

from mocks.sps.alibaba import AlibabaCloudSsoSp
from mocks.sps.atlassian import AtlassianSp
from mocks.sps.base import Account, ProfileSp
from mocks.sps.jira import SCOPE_SETS, JiraOAuthClient, OAuthIntegration
from mocks.sps.mitel import MITEL_APPS, MitelSp

__all__ = ["MITEL_APPS", "SCOPE_SETS", "Account", "AlibabaCloudSsoSp", "AtlassianSp", "JiraOAuthClient", "MitelSp", "OAuthIntegration", "ProfileSp"]
