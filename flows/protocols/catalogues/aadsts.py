"""Microsoft Entra ID ``AADSTSnnnnn`` sign-in error codes, as data.

Entra prefixes every ``error_description`` (authorize redirect, token
endpoint JSON, SAML ``StatusMessage``, HTML error page) with one or more
``AADSTS<digits>:`` codes; the bare integers also travel in the token
endpoint's ``error_codes`` array.  Each entry explains one code in plain
words: what Entra is complaining about and what a tester usually changes.
Codes, names and texts can change on Microsoft's side; the live page is
``https://login.microsoftonline.com/error?code=<n>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["AADSTS_ENTRIES", "AadstsEntry", "find_codes", "lookup"]


@dataclass(frozen=True)
class AadstsEntry:
    """One Entra error code: ``title`` is Entra's internal name where known
    (otherwise a short label), ``meaning`` what went wrong, ``fix`` the usual
    remedy."""

    code: int
    title: str
    meaning: str
    fix: str

    @property
    def label(self) -> str:
        """``"AADSTS50011 InvalidReplyTo"`` — how reports name the code."""
        return f"AADSTS{self.code} {self.title}"


def _e(code: int, title: str, meaning: str, fix: str) -> AadstsEntry:
    return AadstsEntry(code, title, meaning, fix)


_ENTRIES: tuple[AadstsEntry, ...] = (
    # --- redirect URI, application identity, tenant -------------------------------
    _e(
        50011,
        "InvalidReplyTo",
        "The redirect_uri (OAuth) or AssertionConsumerServiceURL (SAML) in the request is absent from the "
        "application's registered reply URLs.",
        "Register the URI character for character as the app sends it (a different port, path, final slash "
        "or letter case is enough to fail), or make the app send one that is already registered.",
    ),
    _e(
        700016,
        "UnauthorizedClient_DoesNotMatchRequest",
        "No application with this client_id (or SAML Issuer) exists in the tenant the request went to; "
        "Entra answers with unauthorized_client.",
        "Check the client_id / SAML Entity ID against the app registration, and the tenant in the URL; "
        "for a multi-tenant app, get it consented or provisioned in the user's tenant first.",
    ),
    _e(
        90002,
        "InvalidTenantName",
        "The tenant named in the URL cannot be found (wrong GUID or domain, or a different national cloud).",
        "Use the tenant ID or a verified domain of the directory, on the cloud the app lives in.",
    ),
    _e(
        900023,
        "InvalidTenantIdentifier",
        "The tenant segment of the URL is neither a tenant GUID nor a well-formed domain name.",
        "Put a tenant GUID, a verified domain, or common/organizations/consumers in the path.",
    ),
    _e(
        50194,
        "SingleTenantAppOnCommonEndpoint",
        "An application registered for a single tenant was used through /common (or /organizations).",
        "Send the request to the app's own tenant instead of /common, or switch the registration to multi-tenant.",
    ),
    _e(
        500011,
        "InvalidResourceServicePrincipalNotFound",
        "The resource (scope prefix or audience) the client asked a token for has no service principal in this tenant.",
        "Correct the scope/resource identifier, or provision the API in the tenant (admin consent does this).",
    ),
    _e(
        650056,
        "MisconfiguredApplication",
        "The application is set up inconsistently, e.g. it asks for permissions the resource does not "
        "define or has not been granted.",
        "Review the registration's API permissions and grant admin consent for them.",
    ),
    _e(
        65005,
        "MisconfiguredApplication",
        "The application's configuration does not fit the request: a permission is missing, or for SAML the "
        "Identifier sent does not belong to this app.",
        "Compare the requested scopes / SAML Identifier with what the app registration declares.",
    ),
    # --- client credentials and client assertions ---------------------------------
    _e(
        7000215,
        "InvalidClientSecret",
        "The client secret in the token request is wrong. A very common cause is sending the secret's ID "
        "(a GUID shown beside it in the portal) instead of its value.",
        "Send the secret value that was displayed once at creation time, URL-encoded in the body or inside "
        "Basic authentication; create a new secret if that value was lost.",
    ),
    _e(
        7000222,
        "ExpiredClientSecret",
        "The client secret used has passed its expiry date.",
        "Create a new client secret (or switch to a certificate) and update the application's configuration.",
    ),
    _e(
        7000218,
        "MissingClientCredential",
        "The token request carries neither client_secret nor client_assertion, but the application is a "
        "confidential client.",
        "Add the client credential, or — for a public client (SPA, mobile, desktop) — mark the redirect "
        "platform or 'Allow public client flows' accordingly.",
    ),
    _e(
        7000216,
        "MissingClientCredentialForClientCredentials",
        "A client_credentials grant arrived without any client authentication.",
        "Authenticate the client with a secret or a signed client assertion.",
    ),
    _e(
        700027,
        "InvalidClientAssertionSignature",
        "The signature of the client_assertion JWT does not verify against the certificates registered on "
        "the application.",
        "Upload the certificate whose private key signs the assertion, and put its thumbprint in x5t / kid.",
    ),
    _e(
        700024,
        "ClientAssertionOutsideTimeRange",
        "The client_assertion is not valid at the moment Entra evaluates it (exp passed or nbf ahead).",
        "Issue a fresh assertion with a short lifetime and check the signing machine's clock.",
    ),
    _e(
        700021,
        "ClientAssertionClientIdMismatch",
        "The iss/sub of the client_assertion do not name the client_id that is authenticating.",
        "Set both iss and sub of the assertion to the application's client ID.",
    ),
    _e(
        50012,
        "AuthenticationFailed",
        "Client authentication failed in a general way, typically an unacceptable client assertion (bad "
        "audience, signature or claims).",
        "Check the assertion's aud (the token endpoint), iss/sub, lifetime and signing certificate.",
    ),
    _e(
        5002738,
        "UnsupportedClientAssertionAlgorithm",
        "The client_assertion is signed with an algorithm Entra does not accept for it (for instance HS256).",
        "Sign client assertions with RS256, RS384 or RS512 using the registered certificate's key.",
    ),
    _e(
        5002723,
        "ClientAssertionKeyIdentifierMissing",
        "The client_assertion header lacks a key identifier, so Entra cannot tell which certificate to use.",
        "Add x5t (or x5t#S256 / kid) naming the registered certificate.",
    ),
    # --- users, assignment, guests ---------------------------------------------------
    _e(
        50105,
        "EntitlementGrantsNotFound",
        "The application requires user assignment and the signed-in user is not assigned to it, neither "
        "directly nor through a direct group membership.",
        "Assign the user, or a group the user is a direct member of, under the enterprise application's "
        "'Users and groups'; or turn 'Assignment required' off.",
    ),
    _e(
        50020,
        "UserUnauthorized",
        "The account that signed in comes from an identity provider that has no matching user in this "
        "tenant, e.g. an uninvited guest or a personal Microsoft account on a single-tenant app.",
        "Invite the user as a B2B guest, sign in with a member account, or use a multi-tenant registration "
        "with /organizations or /common.",
    ),
    _e(
        50034,
        "UserAccountNotFound",
        "The user name typed does not exist in the directory.",
        "Check the user name and the tenant; create the test user if it is missing.",
    ),
    _e(
        50126,
        "InvalidUserNameOrPassword",
        "The user name or password was wrong.",
        "Fix the test user's credentials (expected when a test deliberately enters a bad password).",
    ),
    _e(
        50053,
        "IdsLocked",
        "The account is locked after repeated failed sign-ins, or the sign-in came from an address Entra "
        "treats as malicious.",
        "Wait for the lockout to clear or unlock the account; stop automated retries with bad passwords.",
    ),
    _e(
        50055,
        "InvalidPasswordExpiredPassword",
        "The user's password has expired.",
        "Reset the test user's password, or exempt the test account from password expiry.",
    ),
    _e(
        50057,
        "UserDisabled",
        "The user account is disabled.",
        "Re-enable the account ('Account enabled' / accountEnabled) or use another test user.",
    ),
    _e(
        50058,
        "UserInformationNotProvided",
        "There is no usable single sign-on session; this is the normal answer to prompt=none when the "
        "browser is not signed in.",
        "Fall back to an interactive request (without prompt=none); treat it like login_required.",
    ),
    _e(
        50140,
        "KmsiInterrupt",
        "The 'Stay signed in?' question was shown. This is an expected step of the sign-in, not a failure.",
        "Let the browser journey answer the prompt (Yes or No) and continue.",
    ),
    _e(
        16000,
        "SelectUserAccount",
        "Several accounts are signed in (or the hinted one cannot be chosen silently), so Entra wants the user "
        "to pick one; silent requests get interaction_required.",
        "Send login_hint for the intended user or run the request interactively.",
    ),
    # --- MFA and Conditional Access ------------------------------------------------
    _e(
        50076,
        "UserStrongAuthClientAuthNRequired",
        "A second factor is demanded — by a Conditional Access policy, per-user MFA settings, or a sign-in "
        "from an unfamiliar place — and this request did not provide it.",
        "Run an interactive sign-in in which the user passes the second factor; non-interactive grants such "
        "as ROPC cannot satisfy this.",
    ),
    _e(
        50079,
        "UserStrongAuthEnrollmentRequired",
        "The user must register for multi-factor authentication before signing in.",
        "Complete MFA registration for the test user interactively, or adjust the policy for test accounts.",
    ),
    _e(
        50074,
        "UserStrongAuthClientAuthNRequiredInterrupt",
        "Strong authentication was required and the user did not pass it.",
        "Let the user finish the second factor; check the MFA method configured for the test account.",
    ),
    _e(
        50072,
        "UserStrongAuthEnrollmentRequiredInterrupt",
        "The user is asked to set up a second factor as part of this sign-in.",
        "Complete the MFA setup for the account once, interactively.",
    ),
    _e(
        50158,
        "ExternalSecurityChallenge",
        "An external security challenge (e.g. a third-party MFA provider) was not satisfied.",
        "Complete the external challenge or exempt the test user from it.",
    ),
    _e(
        53003,
        "BlockedByConditionalAccess",
        "A Conditional Access policy denied the sign-in.",
        "Look up the sign-in log entry to see which policy applied, then fix the device, location or "
        "application condition — or exclude the test account.",
    ),
    # --- consent and scopes ----------------------------------------------------------
    _e(
        65001,
        "DelegationDoesNotExist",
        "Neither the user nor an administrator has consented to the application using the requested "
        "permissions; silent flows see consent_required.",
        "Grant admin consent, or send an interactive request with prompt=consent; make sure every requested "
        "scope is listed in the app's API permissions.",
    ),
    _e(
        70011,
        "InvalidScope",
        "The scope parameter is missing or malformed for this grant.",
        "Use a valid scope string; the client_credentials grant needs '<resource>/.default'.",
    ),
    _e(
        1002012,
        "InvalidScopeForClientCredentials",
        "A scope that is not of the '<resource>/.default' form was sent with the client_credentials grant.",
        "Request '<resource>/.default' instead of individual permissions.",
    ),
    # --- codes, grants and tokens ---------------------------------------------------
    _e(
        70000,
        "InvalidGrant",
        "The grant presented (authorization code, refresh token, assertion) is not acceptable: malformed, "
        "revoked, issued to another client, or otherwise rejected.",
        "Start a new authorization; check the grant belongs to this client_id and redirect_uri.",
    ),
    _e(
        70008,
        "ExpiredOrRevokedGrant",
        "The authorization code or refresh token has expired or was revoked.",
        "Redeem codes immediately after the redirect; get a new code or sign in again.",
    ),
    _e(
        54005,
        "OAuth2AuthorizationCodeAlreadyRedeemed",
        "The authorization code was already exchanged once; codes are single-use.",
        "Redeem each code exactly once; look for a retry or a second client racing to redeem it.",
    ),
    _e(
        700082,
        "ExpiredOrRevokedGrantInactiveToken",
        "The refresh token went unused for longer than its inactivity window and is no longer valid.",
        "Sign the user in again to obtain a new refresh token.",
    ),
    _e(
        501481,
        "InvalidCodeVerifier",
        "The code_verifier sent to the token endpoint does not transform into the code_challenge of the "
        "authorization request.",
        "Send the verifier that belongs to this authorization request and use the same method (S256).",
    ),
    _e(
        9002325,
        "PkceRequiredForCrossOriginRedemption",
        "The redirect URI is registered as a single-page application, so redeeming its code requires PKCE, "
        "but no code_challenge / code_verifier were sent.",
        "Add PKCE (S256) to the flow; when a back-end server exchanges the code using a client secret, move "
        "that redirect URI to the Web platform instead.",
    ),
    _e(
        9002326,
        "CrossOriginRedemptionNotAllowed",
        "A browser (a request with an Origin header) redeemed a code for a redirect URI that is not "
        "registered as a single-page application.",
        "Move the redirect URI to the single-page-application platform, or perform the code exchange from a server.",
    ),
    _e(
        700054,
        "ResponseTypeNotEnabled",
        "The requested response_type (id_token, token, or code for the wrong platform) is not enabled on the "
        "registration.",
        "Enable ID tokens / access tokens under the implicit and hybrid settings, or switch to "
        "response_type=code with PKCE.",
    ),
    _e(
        90014,
        "MissingRequiredField",
        "A field the request needs is missing (for example scope, nonce, or a claim of a client assertion).",
        "Add the named parameter or claim; a client assertion needs iss, sub, aud, jti and exp, and id_token "
        "requests need a nonce.",
    ),
    _e(
        900144,
        "MissingRequiredParameter",
        "The token request body lacks a required parameter, named in the message.",
        "Send the parameter; check the body is application/x-www-form-urlencoded, not JSON.",
    ),
    _e(
        50196,
        "LoopDetected",
        "The client asked for the same tokens so often in a short time that Entra suspects a loop.",
        "Cache tokens and reuse them until they near expiry.",
    ),
    # --- SAML -----------------------------------------------------------------------
    _e(
        50008,
        "InvalidSamlToken",
        "The token the federated identity provider of a federated domain posted back is absent, unreadable or "
        "fails Entra's checks: signature by the domain's SigningCertificate, audience, recipient, validity "
        "window, NameID (persistent, the user's ImmutableID) or the IDPEmail attribute (the user's UPN).",
        "Compare the home IdP's response with Get-MsolDomainFederationSettings: signing certificate, "
        "NameID source and format (onPremisesImmutableId, persistent) and an IDPEmail equal to the UPN.",
    ),
    _e(
        50107,
        "InvalidRealmUri",
        "The Issuer of the federated token names no federation configured in the tenant; the value Entra quotes "
        "is the one the home IdP sent.",
        "Make the home IdP's entity ID and the federated domain's IssuerUri the same string, or update the "
        "domain's federation settings (one IssuerUri per federated domain).",
    ),
    _e(
        75011,
        "NoMatchedAuthnContextInOutputClaims",
        "The SAML RequestedAuthnContext (exact comparison) names a method that differs from how the user "
        "actually authenticated.",
        "Stop sending RequestedAuthnContext from the SP, or request a broader set of context classes.",
    ),
    _e(
        75005,
        "Saml2MessageInvalid",
        "The SAML request could not be understood.",
        "Check the AuthnRequest XML and its binding encoding.",
    ),
    _e(
        75006,
        "Saml2RequestProcessingError",
        "A SAML authentication request failed while being processed; another code in the same message "
        "usually tells why.",
        "Read the codes that follow it in the StatusMessage.",
    ),
    _e(
        90011,
        "RequestParameterNotSupported",
        "A property of the request (for SAML, e.g. NameIDPolicy/SPNameQualifier) is not supported by Entra.",
        "Remove the unsupported attribute or element from the request.",
    ),
    _e(
        750054,
        "SAMLRequestMissing",
        "The Redirect binding URL carries no SAMLRequest (or SAMLResponse) parameter.",
        "Send SAMLRequest as base64 of the raw-DEFLATEd XML, URL-encoded, in the query string.",
    ),
    _e(
        7500514,
        "UnsupportedSamlResponseType",
        "The kind of SAML message received is not one Entra processes at this endpoint.",
        "Send an AuthnRequest or LogoutRequest/LogoutResponse to the saml2 endpoint.",
    ),
    _e(
        7500529,
        "SamlRequestIdStartsWithDigit",
        "The AuthnRequest ID begins with a digit, which an xs:ID may not.",
        "Generate request IDs that start with a letter or an underscore.",
    ),
    _e(
        75016,
        "InvalidNameIDPolicy",
        "The NameIDPolicy Format requested is not one Entra can issue.",
        "Request persistent, emailAddress, unspecified or transient.",
    ),
    _e(
        76021,
        "SignedRequestRequired",
        "The application requires signed SAML requests and this one was unsigned.",
        "Sign the AuthnRequest with the key whose certificate is registered, or relax the requirement.",
    ),
    _e(
        76026,
        "RequestIssueTimeExpired",
        "The AuthnRequest's IssueInstant is too old.",
        "Create a fresh request for every sign-in and check the SP's clock.",
    ),
    _e(
        50003,
        "MissingSigningKey",
        "The SAML application has no active signing certificate, so no response can be signed.",
        "Create or activate a SAML signing certificate on the enterprise application.",
    ),
    _e(
        50146,
        "MissingCustomSigningKey",
        "The app is configured for a custom signing key that is not available.",
        "Upload the custom signing certificate or stop requiring it.",
    ),
    _e(
        501241,
        "MandatoryNameIdMissing",
        "The attribute chosen as the source of the NameID (Unique User Identifier) has no value for this user.",
        "Pick a source attribute every user has, or fill it in for the test user.",
    ),
)

_BY_CODE = MappingProxyType({entry.code: entry for entry in _ENTRIES})
AADSTS_ENTRIES: tuple[AadstsEntry, ...] = _ENTRIES

# Entra writes "AADSTS50011:"; be lenient about case and a missing colon.
_CODE = re.compile(r"AADSTS(\d{4,8})", re.IGNORECASE)


def lookup(code: int | str) -> AadstsEntry | None:
    """The entry for ``code`` (``50011``, ``"50011"`` or ``"AADSTS50011"``), or None when unknown."""
    if isinstance(code, bool):
        return None
    if isinstance(code, str):
        text = code.strip()
        if text[:6].upper() == "AADSTS":
            text = text[6:]
        if not text.isdigit() or len(text) > 9:
            return None
        code = int(text)
    if not isinstance(code, int):
        return None
    return _BY_CODE.get(code)


def find_codes(text: str | None) -> tuple[int, ...]:
    """Every ``AADSTS<n>`` code in ``text``, in order of first appearance, without duplicates."""
    if not isinstance(text, str):
        return ()
    return tuple(dict.fromkeys(int(m) for m in _CODE.findall(text)))
