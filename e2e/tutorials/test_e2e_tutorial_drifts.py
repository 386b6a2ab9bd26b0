"""Drift demonstrations: the emulation set up the way each guide warns against, caught with a reason.

Each case names the claims that must turn ✗ and words their message must
contain, so the message is one a person can act on: the expectation, what
was seen, the guide's advice and, where the IdP said so, its error code
with meaning and fix.
"""

from __future__ import annotations

import pytest

from sso_harness.apps.tutorials import render_checklist

pytestmark = pytest.mark.e2e

# The Atlassian claims that read the SAML Response: all fail alike when Entra refuses to send one.
ATLASSIAN_RESPONSE_CLAIMS = (
    "Identifier (Entity ID) is the SP's - the assertion's Audience is the SP Entity ID",
    "Reply URL is the SP's - the Response goes to the SP Assertion Consumer Service URL",
    "Atlassian's Identity Provider Entity ID is the Azure AD Identifier - the Response Issuer equals it",
    "The Response is signed with the certificate Entra publishes for the app (Certificate Base64)",
    "The NameID is the user's email (source user.mail)",
    "The NameID format is emailAddress",
    "SP-initiated sign-in answers Atlassian's AuthnRequest",
)

CASES = [
    pytest.param(
        "atlassian-cloud-saml", "name-id-from-mail-without-mail",
        {
            "Without a mail attribute, NameID from user.userprincipalname is still the user's email": [
                "Expected equal to 'lee.gu@contoso.com', but no SAML Response was seen in this flow.",
                "set the Unique User Identifier (Name ID) source to user.userprincipalname",
                "The IdP reported AADSTS501241 MandatoryNameIdMissing",
                "has no value for this user",
            ],
            "Without a mail attribute, the user is signed in to the instance": ["AADSTS501241"],
        },
        id="atlassian-nameid-from-mail-on-a-tenant-without-mail",
    ),
    pytest.param(
        "jira-oauth2", "secret-id-as-secret",
        {
            "The client secret Value is accepted - the token endpoint issues an access token": [
                "Expected equal to true, saw false (at #",
                "must be the secret's Value",
                "not its Secret ID",
                "The IdP reported AADSTS7000215 InvalidClientSecret",
                "Invalid client secret provided",
            ],
            "The IMAP/POP scopes (outlook.office.com) get a token with consent": ["AADSTS7000215"],
            "offline_access yields a refresh token": ["Why the flow ended: see above (AADSTS7000215 InvalidClientSecret)."],
            "Test connection reports success": ["saw 'error'", "see above (AADSTS7000215"],
        },
        id="jira-secret-id-used-as-the-secret",
    ),
    pytest.param(
        "jira-oauth2", "client-secret-expired",
        {
            "The client secret Value is accepted - the token endpoint issues an access token": [
                "Expected equal to true, saw false (at #",
                "The IdP reported AADSTS7000222 ExpiredClientSecret",
                "Usual fix: Create a new client secret",
            ],
            "The IMAP/POP scopes (outlook.office.com) get a token with consent": ["see above (AADSTS7000222 ExpiredClientSecret)"],
            "offline_access yields a refresh token": ["see above (AADSTS7000222 ExpiredClientSecret)"],
            "Test connection reports success": ["saw 'error'"],
        },
        id="jira-client-secret-expired",
    ),
    pytest.param(
        "jira-oauth2", "no-admin-consent",
        {
            "Jira redeems the code at the v2 token endpoint": ["AADSTS65001"],
            "The client secret Value is accepted - the token endpoint issues an access token": ["see above (AADSTS65001"],
            "The IMAP/POP scopes (outlook.office.com) get a token with consent": ["see above (AADSTS65001"],
            "offline_access yields a refresh token": ["see above (AADSTS65001"],
            "Test connection reports success": ["see above (AADSTS65001"],
        },
        id="jira-no-admin-consent",
    ),
    pytest.param(
        "jira-oauth2", "single-tenant-on-common",
        {
            "Jira redeems the code at the v2 token endpoint": ["AADSTS50194"],
            "The client secret Value is accepted - the token endpoint issues an access token": ["see above (AADSTS50194"],
            "The IMAP/POP scopes (outlook.office.com) get a token with consent": ["see above (AADSTS50194"],
            "offline_access yields a refresh token": ["see above (AADSTS50194"],
            "Test connection reports success": ["see above (AADSTS50194"],
        },
        id="jira-single-tenant-app-on-common",
    ),
    pytest.param(
        "jira-oauth2", "other-tenant-endpoints",
        {
            "Jira sends the user to the v2 authorization endpoint (common, for the multi-tenant app)": ["AADSTS50020"],
            "Jira redeems the code at the v2 token endpoint": ["see above (AADSTS50020"],
            "The client secret Value is accepted - the token endpoint issues an access token": ["see above (AADSTS50020"],
            "The IMAP/POP scopes (outlook.office.com) get a token with consent": ["see above (AADSTS50020"],
            "offline_access yields a refresh token": ["see above (AADSTS50020"],
            "Test connection reports success": ["see above (AADSTS50020"],
        },
        id="jira-endpoints-of-another-tenant",
    ),
    pytest.param(
        "atlassian-cloud-saml", "user-not-assigned",
        {
            claim: ["no SAML Response was seen in this flow"] for claim in ATLASSIAN_RESPONSE_CLAIMS
        } | {
            "Identifier (Entity ID) is the SP's - the assertion's Audience is the SP Entity ID": [
                "no SAML Response was seen in this flow", "The IdP reported AADSTS50105 EntitlementGrantsNotFound", "Usual fix: Assign the user",
            ],
            "SP-initiated sign-in from the instance URL lands back on the instance": ["see above (AADSTS50105 EntitlementGrantsNotFound)"],
        },
        id="atlassian-user-not-assigned",
    ),
    pytest.param(
        "atlassian-cloud-saml", "reply-url-not-the-acs",
        {
            claim: ["no SAML Response was seen in this flow"] for claim in ATLASSIAN_RESPONSE_CLAIMS
        } | {
            "Identifier (Entity ID) is the SP's - the assertion's Audience is the SP Entity ID": [
                "no SAML Response was seen in this flow", "The IdP reported AADSTS50011 InvalidReplyTo", "Usual fix: Register the URI",
            ],
            "SP-initiated sign-in from the instance URL lands back on the instance": ["see above (AADSTS50011 InvalidReplyTo)"],
        },
        id="atlassian-reply-url-not-the-acs",
    ),
    pytest.param(
        "mitel-connect-saml", "identifier-not-the-mitel-entity-id",
        {
            "Entra's Identifier (Entity ID) is the Mitel Identifier - the assertion's Audience is Mitel's entity ID": [
                "no SAML Response was seen in this flow",
                "Copy the Mitel Identifier (Entity ID) from the Mitel Account portal",
                "The IdP reported AADSTS700016 UnauthorizedClient_DoesNotMatchRequest",
                "Usual fix: Check the client_id / SAML Entity ID",
            ],
            "Mitel's IdP Entity ID is the Azure AD Identifier - the Response Issuer equals it": ["see above (AADSTS700016"],
            "SP-initiated sign-in works - Entra answers Mitel's AuthnRequest": ["see above (AADSTS700016"],
            "SP-initiated sign-in lands on the application the user opened": ["see above (AADSTS700016"],
        },
        id="mitel-identifier-not-the-mitel-entity-id",
    ),
    pytest.param(
        "alibaba-cloudsso-saml", "relay-state-outside-domain",
        {
            "The Relay State Entra sends is a URL in CloudSSO's domain (*.alibabacloudsso.com)": [
                "Expected a URL in the domain '127.0.0.1', saw 'https://console.example.com/'",
                "saw 'https://console.example.com/'",
                "CloudSSO honours a Relay State only within its own domain",
            ],
            "A Relay State within CloudSSO's domain is honoured - the user lands on it": ["/portal/accounts/contoso-prod', saw '", "/portal'"],
        },
        id="alibaba-relay-state-outside-cloudsso",
    ),
    pytest.param(
        "mitel-connect-saml", "idp-initiated-tile",
        {
            "The Mitel Connect tile goes through the Sign-on URL, so sign-in is SP-initiated": [
                "Expected equal to true, saw false",
                "Mitel Connect supports SP-initiated sign-in only",
                "unsolicited response",
            ],
            "The tile opens the default application, the one the Sign-on URL names": ["Why the flow ended: see above (HTTP 403 at #", "/saml/acs"],
            "Mitel signs in the user whose username equals the NameID": ["saw false", "'#user' not found"],
        },
        id="mitel-idp-initiated",
    ),
    pytest.param(
        "mitel-connect-saml", "one-certificate-only",
        {
            # The flow's story (Mitel's error page) goes with its first ✗; the later one points to it.
            "Mitel's certificate field holds two certificates, pasted one after the other": [
                "Expected at least 2, saw 1", "no signature by the IdP's certificate",
            ],
            "Sign-in keeps working through the rollover": ["Paste every signing certificate", "Why the flow ended: see above (HTTP 403 at #"],
        },
        id="mitel-one-certificate-through-a-rollover",
    ),
    pytest.param(
        "jumpcloud-entra-federation", "certificate-not-updated",
        {
            "The Response is signed with the certificate set on the federated domain": [
                "Expected equal to true, saw false", "-SigningCertificate", "AADSTS50008 InvalidSamlToken",
                "signature by the domain's SigningCertificate",
            ],
            "The email links the accounts - Entra signs in the Entra user with that email": ["no SAML Response sent to"],
            "Entra records JumpCloud as the identity provider of the sign-in": ["50008"],
            "The federated user ends up signed in to the app": ["/login.srf"],
        },
        id="jumpcloud-certificate-not-the-domains",
    ),
    pytest.param(
        "jumpcloud-entra-federation", "issuer-not-the-issuer-uri",
        {
            "The Response's Issuer is the domain's IssuerUri (JumpCloud's IdP Entity ID)": [
                "/not-the-issuer-uri", "-IssuerUri must be exactly the IdP Entity ID", "AADSTS50107",
            ],
            "The email links the accounts - Entra signs in the Entra user with that email": ["AADSTS50107"],
            "Entra records JumpCloud as the identity provider of the sign-in": ["AADSTS50107"],
            "The federated user ends up signed in to the app": ["AADSTS50107"],
        },
        id="jumpcloud-issuer-not-the-issuer-uri",
    ),
    pytest.param(
        "jumpcloud-entra-federation", "email-attribute-not-linking",
        {
            "JumpCloud sends the user's email (IDPEmail)": [
                # Microsoft's rules for a federated SAML 2.0 IdP: IDPEmail must be the user's UPN,
                # so the home IdP's token itself is refused (not a user lookup that finds nobody).
                "saw ['alex.wilber']", "email attribute is filled in", "AADSTS50008 InvalidSamlToken",
                "IDPEmail equal to the UPN",
            ],
            "The email links the accounts - Entra signs in the Entra user with that email": ["AADSTS50008"],
            "Entra records JumpCloud as the identity provider of the sign-in": ["AADSTS50008"],
            "The federated user ends up signed in to the app": ["AADSTS50008"],
        },
        id="jumpcloud-email-attribute-not-linking",
    ),
]


@pytest.mark.parametrize(("name", "drift", "expected"), CASES)
def test_the_checklist_catches_the_drift_with_a_helpful_message(name: str, drift: str, expected: dict[str, list[str]], run_spec) -> None:  # type: ignore[no-untyped-def]
    result = run_spec(name, drift=drift)
    text = render_checklist(result)
    failed = {c.claim: c for c in result.failed()}
    assert not result.ok and sorted(failed) == sorted(expected), text
    for claim, fragments in expected.items():
        for fragment in fragments:
            assert fragment in failed[claim].message, f"{claim!r} lacks {fragment!r}:\n{failed[claim].message}"
        assert f"✗ {claim}" in text
    assert result.drift == drift and "set up the way the guide warns against" in text


# Advice is printed once, and only where it applies: the flow's story (code, meaning, fix) with its first ✗,
# a pointer after that; a hint whose condition does not hold on the flow is left out.
ADVICE = [
    pytest.param("jira-oauth2", "secret-id-as-secret", "AADSTS7000215 InvalidClientSecret", ["Add offline_access"], id="jira-secret-id"),
    pytest.param("jira-oauth2", "client-secret-expired", "AADSTS7000222 ExpiredClientSecret", ["Add offline_access", "not its Secret ID"],
                 id="jira-secret-expired"),
    pytest.param("atlassian-cloud-saml", "user-not-assigned", "AADSTS50105 EntitlementGrantsNotFound",
                 ["Copy the SP Entity ID", "Copy the SP Assertion Consumer Service URL", "Atlassian matches accounts by email"],
                 id="atlassian-user-not-assigned"),
    pytest.param("atlassian-cloud-saml", "reply-url-not-the-acs", "AADSTS50011 InvalidReplyTo",
                 ["Copy the SP Entity ID", "Atlassian matches accounts by email"], id="atlassian-reply-url"),
]


@pytest.mark.parametrize(("name", "drift", "label", "absent"), ADVICE)
def test_advice_is_printed_once_and_only_where_it_applies(name: str, drift: str, label: str, absent: list[str], run_spec) -> None:  # type: ignore[no-untyped-def]
    text = render_checklist(run_spec(name, drift=drift))
    assert text.count(f"The IdP reported {label}") == 1, text
    assert text.count("Usual fix:") == 1, text
    for words in absent:
        assert words not in text, f"{words!r} does not apply to {drift}:\n{text}"
