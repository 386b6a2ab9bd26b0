"""AADSTS errors as the Entra-like IdP raises them: code, wire text, OAuth class.

Each code carries the message Entra writes (with the request's own values
filled in) and the OAuth ``error`` it travels under (RFC 6749 §4.1.2.1,
§5.2). :mod:`sso_harness.mocks.entra.error_shapes` turns an :class:`AadstsError` into
the three shapes Entra uses: the HTML error page, the error redirect and the
token endpoint's JSON. Codes without a template here (a test can inject any
code) take their title from the harness's AADSTS catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AadstsError", "aadsts", "TEMPLATES"]


@dataclass(frozen=True)
class _Template:
    oauth_error: str
    text: str
    http_status: int = 400
    redirect_error: str | None = None
    """The ``error`` value on the authorize redirect, when it differs from the token endpoint's."""
    suberror: str | None = None


TEMPLATES: dict[int, _Template] = {
    50011: _Template(
        "invalid_request",
        "The redirect URI '{uri}' specified in the request does not match the redirect URIs configured for the "
        "application '{app_id}'. Make sure the redirect URI sent in the request matches one added to your application "
        "in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.",
    ),
    700016: _Template(
        "unauthorized_client",
        "Application with identifier '{app_id}' was not found in the directory '{tenant}'. This can happen if the "
        "application has not been installed by the administrator of the tenant or consented to by any user in the "
        "tenant. You may have sent your authentication request to the wrong tenant.",
    ),
    7000215: _Template(
        "invalid_client",
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not "
        "the client secret ID, for a secret added to app '{app_id}'.",
        http_status=401,
    ),
    7000218: _Template(
        "invalid_client",
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        http_status=401,
    ),
    7000222: _Template(
        "invalid_client",
        "The provided client secret keys for app '{app_id}' are expired. Visit the Azure portal to create new keys for "
        "your app.",
        http_status=401,
    ),
    50105: _Template(
        "invalid_grant",
        "Your administrator has configured the application {app_name} ('{app_id}') to block users unless they are "
        "specifically granted ('assigned') access to the application. The signed in user '{{EmailHidden}}' is blocked "
        "because they are not a direct member of a group with access, nor had access directly assigned by an "
        "administrator. Please contact your administrator to assign access to this application.",
        redirect_error="access_denied",
    ),
    50020: _Template(
        "invalid_request",
        "User account '{{EmailHidden}}' from identity provider '{idp}' does not exist in tenant '{tenant_name}' and "
        "cannot access the application '{app_id}'({app_name}) in that tenant. The account needs to be added as an "
        "external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user "
        "account.",
    ),
    50126: _Template("invalid_grant", "Error validating credentials due to invalid username or password."),
    50034: _Template(
        "invalid_grant",
        "The user account {{EmailHidden}} does not exist in the {tenant} directory. To sign into this application, the "
        "account must be added to the directory.",
    ),
    50076: _Template(
        "invalid_grant",
        "Due to a configuration change made by your administrator, or because you moved to a new location, you must "
        "use multi-factor authentication to access '{resource}'.",
        suberror="basic_action",
    ),
    65001: _Template(
        "invalid_grant",
        "The user or administrator has not consented to use the application with ID '{app_id}' named '{app_name}'. "
        "Send an interactive authorization request for this user and resource.",
        redirect_error="consent_required",
        suberror="consent_required",
    ),
    70011: _Template(
        "invalid_scope",
        "The provided request must include a 'scope' input parameter. The provided value for the input parameter "
        "'scope' is not valid. The scope {scope} is not valid.{reason}",
    ),
    500011: _Template(
        "invalid_resource",
        "The resource principal named {resource} was not found in the tenant named {tenant_name}. This can happen if "
        "the application has not been installed by the administrator of the tenant or consented to by any user in the "
        "tenant. You might have sent your authentication request to the wrong tenant.",
    ),
    90014: _Template(
        "invalid_request",
        "The required field '{field}' is missing from the credential. Ensure that you have all the necessary "
        "parameters for the login request.",
    ),
    9002325: _Template(
        "invalid_request", "Proof Key for Code Exchange is required for cross-origin authorization code redemption."
    ),
    501481: _Template("invalid_grant", "The Code_Verifier does not match the code_challenge supplied in the authorization request."),
    54005: _Template("invalid_grant", "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."),
    70008: _Template("invalid_grant", "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource."),
    70000: _Template("invalid_grant", "The provided value for the '{field}' parameter is not valid."),
    70003: _Template("unsupported_grant_type", "The app requested an unsupported grant type '{grant_type}'."),
    50194: _Template(
        "invalid_request",
        "Application '{app_id}'({app_name}) is not configured as a multi-tenant application. Usage of the /common "
        "endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint "
        "or configure the application to be multi-tenant.",
    ),
    90002: _Template(
        "invalid_request",
        "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the "
        "correct cloud. Check with your subscription administrator, this may happen if there are no active "
        "subscriptions for the tenant.",
    ),
    700054: _Template("invalid_request", "response_type '{response_type}' is not enabled for the application.", redirect_error="unsupported_response_type"),
    50058: _Template("invalid_grant", "A silent sign-in request was sent but no user is signed in.", redirect_error="login_required"),
    75011: _Template(
        "invalid_request",
        "Authentication method '{method}' by which the user authenticated with the service doesn't match requested "
        "authentication method '{requested}'. Contact the {app_name} application owner.",
    ),
    75016: _Template("invalid_request", "SAML2 Authentication Request has an invalid NameIDPolicy. {detail}"),
    75006: _Template("invalid_request", "An error occurred while processing a SAML2 Authentication request. {detail}"),
    75005: _Template("invalid_request", "Saml message sent to the Identity Provider is not per the Saml2 protocol specifications. {detail}"),
    750054: _Template(
        "invalid_request",
        "SAMLRequest or SAMLResponse must be present as query string parameters in HTTP request for SAML Redirect binding.",
    ),
    76021: _Template(
        "invalid_request",
        "The request sent by client is not signed while the application requires signed requests. {detail}",
    ),
    7500529: _Template("invalid_request", "The value '{value}' is not a valid SAML ID. The ID must not begin with a number."),
    501241: _Template("invalid_request", "Mandatory Input '{source}' missing from transformation ID 'CreateNameIdentifier'."),
    50003: _Template("invalid_request", "No signing key configured for the application {app_name} ('{app_id}')."),
    50008: _Template("invalid_request", "SAML token is invalid. {detail}"),
    50107: _Template("invalid_request", "The requested federation realm object '{issuer}' does not exist."),
}


@dataclass(frozen=True)
class AadstsError(Exception):
    """An Entra sign-in failure. ``message`` is ``"AADSTSnnnn: <text>"`` without trace lines."""

    code: int
    message: str
    oauth_error: str = "invalid_request"
    http_status: int = 400
    redirect_error: str | None = None
    suberror: str | None = None

    def __str__(self) -> str:
        return self.message


def aadsts(code: int, **fields: object) -> AadstsError:
    """The error for ``code`` with its message filled from ``fields`` (missing fields stay as ``{name}``)."""
    template = TEMPLATES.get(code)
    if template is None:
        return AadstsError(code, f"AADSTS{code}: {_catalogue_title(code)}")
    text = template.text.format_map(_Lenient(fields))
    return AadstsError(
        code,
        f"AADSTS{code}: {text}",
        oauth_error=template.oauth_error,
        http_status=template.http_status,
        redirect_error=template.redirect_error,
        suberror=template.suberror,
    )


class _Lenient(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _catalogue_title(code: int) -> str:
    try:
        from sso_harness.protocols.catalogues import lookup
    except ImportError:  # the catalogue is optional for the mock
        return "An error occurred during sign-in."
    entry = lookup(code)
    if entry is None:
        return "An error occurred during sign-in."
    return f"{entry.title} - {entry.meaning}"
