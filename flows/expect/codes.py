"""What kind of thing did not hold: the codes an :class:`~sso_harness.expect.ExpectationFailed` carries.

Stable strings (``expect.<kind>``): reports sort failures by them (the
Allure categories do), so code matches on them, never on a message.
"""

from __future__ import annotations

__all__ = [
    "EXPECT_AUDIENCE", "EXPECT_CHAIN", "EXPECT_CLAIMS", "EXPECT_CORRELATION", "EXPECT_IDP_ERROR", "EXPECT_MISSING",
    "EXPECT_NAME_ID", "EXPECT_RECIPIENT", "EXPECT_RELAY_STATE", "EXPECT_TIME", "EXPECT_TOKEN", "EXPECT_TRUST",
    "EXPECT_VALUE",
]

#: A signature, the signer's trust, or the issuer.
EXPECT_TRUST = "expect.trust"
EXPECT_AUDIENCE = "expect.audience"
#: Where the message was addressed: Recipient, Destination, the endpoint a request went to, the client_id.
EXPECT_RECIPIENT = "expect.recipient"
#: A validity window (NotBefore, NotOnOrAfter).
EXPECT_TIME = "expect.time"
EXPECT_NAME_ID = "expect.name_id"
#: Attributes, token claims, scopes granted.
EXPECT_CLAIMS = "expect.claims"
EXPECT_RELAY_STATE = "expect.relay_state"
#: InResponseTo: the answer does not answer the request.
EXPECT_CORRELATION = "expect.in_response_to"
#: The IdP said no: a SAML Status or an OAuth error answer (with its AADSTS code when Entra gives one).
EXPECT_IDP_ERROR = "expect.idp_error"
#: The navigations, or the page the flow ended on.
EXPECT_CHAIN = "expect.redirect_chain"
#: A token's form: a refresh token issued or not, an access token that is not a JWT.
EXPECT_TOKEN = "expect.token"
#: The message the expectation reads is not in the trace.
EXPECT_MISSING = "expect.missing"
#: Any other observed value.
EXPECT_VALUE = "expect.value"
