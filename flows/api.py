"""The public API for writing tests, in one place (docs/api.md describes each name).

    from sso_harness.api import expect, sp_initiated_saml, FormLogin, Credentials

Every name here keeps its meaning across minor releases; the modules they
come from are free to move. The pytest fixtures (``sp_initiated``,
``mock_fleet``, ``sso_capture``...) need no import: the installed plugin
provides them. Importing this module imports Playwright (the journeys and
drivers drive it); ``import sso_harness`` alone does not.
"""

from __future__ import annotations

from sso_harness.browser.drivers import JumpCloudLogin, OidcProviderDevLogin, SimpleSamlPhpLogin
from sso_harness.browser.entra import EntraLogin, EntraScreenNotRecognised, EntraSignInFailed
from sso_harness.browser.journeys import idp_initiated_saml, oauth_code, single_logout, sp_initiated_saml, walk, wsfed_sign_in
from sso_harness.browser.login import Credentials, FormLogin, LoginDriver, LoginPageNotRecognised, SignInRefused
from sso_harness.browser.oidc_client import OidcClientConfig, OidcRun, oidc_as_client
from sso_harness.expect import (
    EXPECT_AUDIENCE,
    EXPECT_CHAIN,
    EXPECT_CLAIMS,
    EXPECT_CORRELATION,
    EXPECT_IDP_ERROR,
    EXPECT_MISSING,
    EXPECT_NAME_ID,
    EXPECT_RECIPIENT,
    EXPECT_RELAY_STATE,
    EXPECT_TIME,
    EXPECT_TOKEN,
    EXPECT_TRUST,
    EXPECT_VALUE,
    ExpectationFailed,
    Subject,
    expect,
)
from sso_harness.plugin.fixtures import FaultInjector
from sso_harness.plugin.journeys import MOCK_IDP_LOGIN, IdpInitiated, OidcLogin, SpInitiated
from sso_harness.trace.recording import FlowRecording
from sso_harness.trace.trace import Trace, TraceQueryError

__all__ = [
    # expectations
    "expect", "ExpectationFailed", "Subject",
    "EXPECT_AUDIENCE", "EXPECT_CHAIN", "EXPECT_CLAIMS", "EXPECT_CORRELATION", "EXPECT_IDP_ERROR", "EXPECT_MISSING",
    "EXPECT_NAME_ID", "EXPECT_RECIPIENT", "EXPECT_RELAY_STATE", "EXPECT_TIME", "EXPECT_TOKEN", "EXPECT_TRUST", "EXPECT_VALUE",
    # what a flow produced
    "Trace", "TraceQueryError", "FlowRecording",
    # journeys
    "sp_initiated_saml", "idp_initiated_saml", "wsfed_sign_in", "oauth_code", "single_logout", "walk",
    "oidc_as_client", "OidcClientConfig", "OidcRun",
    # login drivers
    "Credentials", "LoginDriver", "FormLogin", "EntraLogin", "JumpCloudLogin", "SimpleSamlPhpLogin", "OidcProviderDevLogin",
    "MOCK_IDP_LOGIN", "LoginPageNotRecognised", "SignInRefused", "EntraSignInFailed", "EntraScreenNotRecognised",
    # the fixtures' callable types, for annotating a test's parameters
    "SpInitiated", "IdpInitiated", "OidcLogin", "FaultInjector",
]
