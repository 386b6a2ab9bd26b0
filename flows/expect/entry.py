"""The entry point: ``expect(trace)`` and the subjects it offers."""

from __future__ import annotations

from sso_harness.expect.claims import ClaimsExpectations
from sso_harness.expect.codes import EXPECT_CORRELATION, EXPECT_MISSING, EXPECT_TOKEN
from sso_harness.expect.failure import ExpectationFailed, fail
from sso_harness.expect.lookup import messages
from sso_harness.expect.oauth_error import OAuthErrorExpectations
from sso_harness.expect.redirect_chain import ChainExpectations
from sso_harness.expect.relay_state import RelayStateExpectations
from sso_harness.expect.saml_response import SamlResponseExpectations
from sso_harness.expect.token_response import TokenResponseExpectations
from sso_harness.protocols.oauth import AuthorizeResponse, TokenResponse, UserInfo
from sso_harness.trace.trace import Trace

__all__ = ["TraceExpectations", "expect"]


class TraceExpectations:
    """Entry point returned by :func:`expect`."""

    def __init__(self, trace: Trace) -> None:
        self.trace = trace

    @property
    def saml_response(self) -> SamlResponseExpectations:
        return SamlResponseExpectations(self.trace)

    @property
    def relay_state(self) -> RelayStateExpectations:
        return RelayStateExpectations(self.trace)

    @property
    def redirect_chain(self) -> ChainExpectations:
        return ChainExpectations(self.trace)

    @property
    def id_token(self) -> ClaimsExpectations:
        """The ID token of the last token response, or else of the last authorization response (hybrid flows)."""
        for hop, response in reversed(messages(self.trace, TokenResponse.kind)):
            if response.id_token_jwt is not None:
                verdict = response.id_token_verdict
                claims = verdict.claims if verdict is not None else response.id_token_jwt.claims
                return ClaimsExpectations("ID token", claims, hop, self.trace, verdict)
        for hop, callback in reversed(messages(self.trace, AuthorizeResponse.kind)):
            if callback.id_token_jwt is not None:
                return ClaimsExpectations("ID token", callback.id_token_jwt.claims, hop, self.trace)
        raise ExpectationFailed("no ID token in the trace (neither a token response nor an authorization response "
                                f"carries one)\ntrace:\n{self.trace.summary()}", EXPECT_MISSING)

    @property
    def access_token(self) -> ClaimsExpectations:
        """The last token response's access token, when it is a JWT (its claims are not verified here)."""
        for hop, response in reversed(messages(self.trace, TokenResponse.kind)):
            if response.access_token is not None:
                if response.access_token_jwt is None:
                    raise fail("access token", hop.label, "a JWT", "an opaque token", self.trace,
                               "its claims cannot be read; only the provider's introspection could say", code=EXPECT_TOKEN)
                return ClaimsExpectations("access token", response.access_token_jwt.claims, hop, self.trace)
        raise ExpectationFailed(f"no access token in the trace\ntrace:\n{self.trace.summary()}", EXPECT_MISSING)

    @property
    def userinfo(self) -> ClaimsExpectations:
        found = messages(self.trace, UserInfo.kind)
        if not found:
            raise ExpectationFailed("no UserInfo answer in the trace (only a client that calls the endpoint through "
                                    f"the proxy, such as the harness as the client, shows one)\ntrace:\n{self.trace.summary()}",
                                    EXPECT_MISSING)
        hop, info = found[-1]
        return ClaimsExpectations("UserInfo", info.claims, hop, self.trace)

    @property
    def token_response(self) -> TokenResponseExpectations:
        return TokenResponseExpectations(self.trace)

    @property
    def oauth_error(self) -> OAuthErrorExpectations:
        return OAuthErrorExpectations(self.trace)

    def response_answers_request(self) -> None:
        """The Response's InResponseTo (and the assertion's) equal the AuthnRequest's ID."""
        request_id = self.trace.authn_request.id
        self.saml_response.in_response_to.equals(request_id)
        self.saml_response.assertion_value(
            "SubjectConfirmationData InResponseTo", lambda a: a.subject_in_response_to, EXPECT_CORRELATION
        ).equals(request_id)


TraceExpectations.__module__ = "sso_harness.expect"  # public under that name (docs/api.md)


def expect(trace: Trace) -> TraceExpectations:
    """The expectations over ``trace``; each subject's check raises :class:`ExpectationFailed` when it does not hold."""
    return TraceExpectations(trace)
