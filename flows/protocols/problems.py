"""Validation problems as typed records with stable codes.

A decoder that finds something wrong with a message it could decode (a
signature that does not verify, an expired assertion, a state that came back
changed) reports a :class:`Problem`: a ``code`` from :data:`ProblemCode`,
stable across releases and the thing code matches on, and a ``message`` in
plain words for people, whose wording may change. Code never inspects the
message text.

Codes are ``<protocol>.<what>``; the constants below name each one, so they
can be found (and mistyped ones are caught by the type checker).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "HasProblems",
    "Problem",
    "ProblemCode",
    "TIME_WINDOW_CODES",
    "messages_of",
    "problems_json",
    # SAML (also the SAML tokens WS-Federation carries)
    "SAML_SIGNATURE_INVALID",
    "SAML_SIGNATURE_WRAPPING",
    "SAML_NOT_TRUSTED",
    "SAML_STATUS_MISSING",
    "SAML_NOT_BEFORE",
    "SAML_NOT_ON_OR_AFTER",
    "SAML_SUBJECT_NOT_ON_OR_AFTER",
    "SAML_DECRYPTION_FAILED",
    "SAML_TOO_MANY_ENCRYPTED",
    # WS-Federation
    "WSFED_WTREALM_MISSING",
    "WSFED_TOKEN_COUNT",
    "WSFED_UNSUPPORTED_TOKEN",
    "WSFED_NOT_TRUSTED",
    # OAuth 2.0 / OpenID Connect round trip
    "OAUTH_NO_CALLBACK",
    "OAUTH_STATE_MISSING",
    "OAUTH_STATE_MISMATCH",
    "OAUTH_REDIRECT_MISMATCH",
    "OAUTH_RESPONSE_MODE_MISMATCH",
    "OAUTH_ERROR_RESPONSE",
    "OAUTH_TOKEN_ERROR",
    "OAUTH_PKCE_VERIFIER_MISSING",
    "OAUTH_PKCE_MISMATCH",
    "OAUTH_PKCE_UNREQUESTED",
    "OAUTH_REDIRECT_URI_DIFFERS",
    "OAUTH_CLIENT_ID_DIFFERS",
    "OIDC_HASH_MISMATCH",
    "OIDC_NONCE_MISSING",
    "OIDC_NONCE_MISMATCH",
    # Request/answer correlation across a trace
    "SAML_UNANSWERED",
]

ProblemCode = Literal[
    "saml.signature_invalid",
    "saml.signature_wrapping",
    "saml.not_trusted",
    "saml.status_missing",
    "saml.not_before",
    "saml.not_on_or_after",
    "saml.subject_not_on_or_after",
    "saml.decryption_failed",
    "saml.too_many_encrypted",
    "saml.unanswered",
    "wsfed.wtrealm_missing",
    "wsfed.token_count",
    "wsfed.unsupported_token",
    "wsfed.not_trusted",
    "oauth.no_callback",
    "oauth.state_missing",
    "oauth.state_mismatch",
    "oauth.redirect_mismatch",
    "oauth.response_mode_mismatch",
    "oauth.error_response",
    "oauth.token_error",
    "oauth.pkce_verifier_missing",
    "oauth.pkce_mismatch",
    "oauth.pkce_unrequested",
    "oauth.redirect_uri_differs",
    "oauth.client_id_differs",
    "oidc.hash_mismatch",
    "oidc.nonce_missing",
    "oidc.nonce_mismatch",
]

#: A ``ds:Signature`` did not verify (digest, key, algorithm or structure).
SAML_SIGNATURE_INVALID: Final = "saml.signature_invalid"
#: A valid signature covers neither the message nor the assertion read from it (XSW).
SAML_SIGNATURE_WRAPPING: Final = "saml.signature_wrapping"
#: Trusted certificates were supplied but no valid signature by one covers what is read.
SAML_NOT_TRUSTED: Final = "saml.not_trusted"
#: A StatusResponseType message without ``samlp:Status`` (SAML core §3.2.2).
SAML_STATUS_MISSING: Final = "saml.status_missing"
#: Conditions NotBefore is after the evaluation time (SAML core §2.5.1.2).
SAML_NOT_BEFORE: Final = "saml.not_before"
#: Conditions NotOnOrAfter is at or before the evaluation time (SAML core §2.5.1.2).
SAML_NOT_ON_OR_AFTER: Final = "saml.not_on_or_after"
#: SubjectConfirmationData NotOnOrAfter is at or before the evaluation time (SAML core §2.4.1.2).
SAML_SUBJECT_NOT_ON_OR_AFTER: Final = "saml.subject_not_on_or_after"
#: An EncryptedAssertion or EncryptedID could not be decrypted with the SP keys supplied.
SAML_DECRYPTION_FAILED: Final = "saml.decryption_failed"
#: More EncryptedAssertions than the decoder decrypts; the rest were skipped.
SAML_TOO_MANY_ENCRYPTED: Final = "saml.too_many_encrypted"
#: A request that no later answer in the trace names in InResponseTo.
SAML_UNANSWERED: Final = "saml.unanswered"

#: A wsignin1.0 request without ``wtrealm`` (WS-Federation §13.2.1).
WSFED_WTREALM_MISSING: Final = "wsfed.wtrealm_missing"
#: RequestedSecurityToken does not hold exactly one token.
WSFED_TOKEN_COUNT: Final = "wsfed.token_count"
#: The token is neither a SAML 1.1 nor a SAML 2.0 assertion.
WSFED_UNSUPPORTED_TOKEN: Final = "wsfed.unsupported_token"
#: Trusted certificates were supplied but no valid signature by one covers the token.
WSFED_NOT_TRUSTED: Final = "wsfed.not_trusted"

#: No authorization response reached the redirect_uri after a request.
OAUTH_NO_CALLBACK: Final = "oauth.no_callback"
#: The request sent ``state``; the response carries none (RFC 6749 §4.1.2).
OAUTH_STATE_MISSING: Final = "oauth.state_missing"
#: The response's ``state`` differs from the request's (RFC 6749 §10.12).
OAUTH_STATE_MISMATCH: Final = "oauth.state_mismatch"
#: The authorization response arrived somewhere other than the request's redirect_uri.
OAUTH_REDIRECT_MISMATCH: Final = "oauth.redirect_mismatch"
#: The response came by another response_mode than the request asked for.
OAUTH_RESPONSE_MODE_MISMATCH: Final = "oauth.response_mode_mismatch"
#: The authorization response is an error (RFC 6749 §4.1.2.1).
OAUTH_ERROR_RESPONSE: Final = "oauth.error_response"
#: The token response is an error (RFC 6749 §5.2).
OAUTH_TOKEN_ERROR: Final = "oauth.token_error"
#: A code_challenge was sent but the token request has no code_verifier (RFC 7636 §4.5).
OAUTH_PKCE_VERIFIER_MISSING: Final = "oauth.pkce_verifier_missing"
#: The code_verifier does not match the code_challenge, or is malformed (RFC 7636 §4.1, §4.6).
OAUTH_PKCE_MISMATCH: Final = "oauth.pkce_mismatch"
#: A code_verifier was sent although the authorization request had no code_challenge.
OAUTH_PKCE_UNREQUESTED: Final = "oauth.pkce_unrequested"
#: The token request's redirect_uri differs from the authorization request's (RFC 6749 §4.1.3).
OAUTH_REDIRECT_URI_DIFFERS: Final = "oauth.redirect_uri_differs"
#: The token request's client_id differs from the authorization request's.
OAUTH_CLIENT_ID_DIFFERS: Final = "oauth.client_id_differs"
#: c_hash or at_hash of a front-channel ID token does not match (OIDC Core §3.3.2.11).
OIDC_HASH_MISMATCH: Final = "oidc.hash_mismatch"
#: The request sent a nonce; the ID token has none (OIDC Core §3.1.3.7).
OIDC_NONCE_MISSING: Final = "oidc.nonce_missing"
#: The ID token's nonce differs from the request's (OIDC Core §3.1.3.7).
OIDC_NONCE_MISMATCH: Final = "oidc.nonce_mismatch"

#: The codes that say a message is outside its validity window.
TIME_WINDOW_CODES: Final[frozenset[ProblemCode]] = frozenset(
    {SAML_NOT_BEFORE, SAML_NOT_ON_OR_AFTER, SAML_SUBJECT_NOT_ON_OR_AFTER}
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a decoded message or exchange.

    ``code`` is stable and is what code compares; ``message`` is for people.
    ``str()`` is the message.
    """

    code: ProblemCode
    message: str

    def __str__(self) -> str:
        return self.message

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class HasProblems:
    """Mixin for a decoded message that reports ``problems``: ``errors`` is their messages.

    The subclass (a dataclass) declares the ``problems`` field itself.
    """

    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[str, ...]:
        """The problems' messages, in order (plain words; match on ``problems[i].code``)."""
        return messages_of(self.problems)


def messages_of(problems: Iterable[Problem]) -> tuple[str, ...]:
    """The messages, in order: the plain-words ``errors`` view of ``problems``."""
    return tuple(p.message for p in problems)


def problems_json(problems: Iterable[Problem]) -> list[dict[str, str]]:
    """``[{code, message}, ...]``: the JSON view of ``problems``."""
    return [p.to_json() for p in problems]
