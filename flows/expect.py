"""Expectations over a :class:`~sso_harness.trace.trace.Trace` that explain themselves.

    expect(trace).saml_response.name_id == "b.simon@contoso.com"
    expect(trace).saml_response.audience.equals(sp.entity_id)
    expect(trace).saml_response.is_trusted()
    expect(trace).relay_state.round_trips()
    expect(trace).redirect_chain.follows([...])
    expect(trace).id_token.claim("aud").has("my-client-id")
    expect(trace).id_token.is_trusted()
    expect(trace).token_response.scopes.contains("email")
    expect(trace).oauth_error.error == "access_denied"

Every failure raises :class:`ExpectationFailed` (an ``AssertionError``, so
pytest reports it as a test failure) saying what was expected, what was
seen, and at which hop, followed by the trace's hop list. Its ``code``
(one of the ``EXPECT_*`` codes below) says what kind of thing did not hold,
and the message starts with it (``expect.audience: SAML Response Audience
...``), so a report can sort failures by code (the Allure categories do).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from typing import Any

from sso_harness.protocols.jose.verdict import JwtVerdict
from sso_harness.protocols.oauth import AuthorizeResponse, TokenResponse, UserInfo
from sso_harness.protocols.problems import TIME_WINDOW_CODES
from sso_harness.protocols.saml import Assertion
from sso_harness.trace.trace import Trace, TraceHop, TraceQueryError

__all__ = [
    "EXPECT_AUDIENCE", "EXPECT_CHAIN", "EXPECT_CLAIMS", "EXPECT_CORRELATION", "EXPECT_IDP_ERROR", "EXPECT_MISSING",
    "EXPECT_NAME_ID", "EXPECT_RECIPIENT", "EXPECT_RELAY_STATE", "EXPECT_TIME", "EXPECT_TOKEN", "EXPECT_TRUST",
    "EXPECT_VALUE", "ExpectationFailed", "Subject", "expect",
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


class ExpectationFailed(AssertionError):
    """An expectation did not hold; ``code`` says what kind (an ``EXPECT_*`` code, or None
    for a caller's own). ``str()`` is the full explanation, starting with ``code:``."""

    def __init__(self, message: str, code: str | None = None) -> None:
        self.code = code
        super().__init__(f"{code}: {message}" if code else message)


def _fail(what: str, where: str, expected: object, seen: object, trace: Trace, note: str = "", *,
          code: str) -> ExpectationFailed:
    extra = f"\n  note:     {note}" if note else ""
    return ExpectationFailed(
        f"{what} (at hop {where})\n  expected: {expected!r}\n  seen:     {seen!r}{extra}\n"
        f"trace:\n{trace.summary()}", code
    )


@dataclass(frozen=True, eq=False)
class Subject:
    """One observed value, where it was seen, and checks on it."""

    what: str
    actual: object
    where: str
    trace: Trace
    code: str = EXPECT_VALUE

    def equals(self, expected: object) -> None:
        if self.actual != expected:
            raise _fail(self.what, self.where, expected, self.actual, self.trace, code=self.code)

    def __eq__(self, expected: object) -> bool:
        # Lets `expect(t).x == v` read as a statement: a mismatch raises with context.
        self.equals(expected)
        return True

    __hash__ = None  # type: ignore[assignment]  # an expectation is not a value: unhashable, like any class defining __eq__

    def contains(self, item: object) -> None:
        if not _holds(self.actual, item):
            raise _fail(self.what, self.where, f"to contain {item!r}", self.actual, self.trace, code=self.code)

    def has(self, *values: str) -> None:
        """A JSON claim as written in a targets file: a list claim (``aud``, ``amr``) contains every
        value; any other claim equals the single value. Booleans compare as ``true``/``false``, numbers as text."""
        seen = self.actual
        if isinstance(seen, list):
            texts = [_claim_text(v) for v in seen]
            missing = [v for v in values if v not in texts]
            if missing:
                raise _fail(self.what, self.where, f"to contain {list(values)!r}", seen, self.trace, f"missing: {missing!r}",
                            code=self.code)
            return
        if seen is None or len(values) != 1 or _claim_text(seen) != values[0]:
            raise _fail(self.what, self.where, values[0] if len(values) == 1 else list(values), seen, self.trace,
                        code=self.code)

    def matches(self, pattern: str) -> None:
        if not isinstance(self.actual, str) or re.fullmatch(pattern, self.actual) is None:
            raise _fail(self.what, self.where, f"to match /{pattern}/", self.actual, self.trace, code=self.code)

    def __repr__(self) -> str:
        return f"<{self.what} = {self.actual!r} at {self.where}>"


class _SamlResponseExpectations:
    def __init__(self, trace: Trace) -> None:
        self._trace = trace
        self._hop = _query(trace, lambda t: t.saml_response_hop)
        self._response = trace.saml_response
        self._assertion = self._response.assertion

    def _subject(self, what: str, actual: object, code: str) -> Subject:
        return Subject(f"SAML Response {what}", actual, self._hop.label, self._trace, code)

    def _assertion_value(self, what: str, getter: Callable[[Assertion], object], code: str) -> Subject:
        if self._assertion is None:
            raise _fail(f"SAML Response {what}", self._hop.label, "an assertion", None, self._trace,
                        "the Response carries no readable assertion" + (" (it is encrypted)" if self._response.encrypted else ""),
                        code=EXPECT_MISSING)
        return self._subject(what, getter(self._assertion), code)

    @property
    def name_id(self) -> Subject:
        return self._assertion_value("NameID", lambda a: a.name_id.value if a.name_id else None, EXPECT_NAME_ID)

    @property
    def name_id_format(self) -> Subject:
        return self._assertion_value("NameID Format", lambda a: a.name_id.format if a.name_id else None, EXPECT_NAME_ID)

    @property
    def audience(self) -> Subject:
        """The single Audience; a list when there are several."""
        return self._assertion_value("Audience", lambda a: a.audiences[0] if len(a.audiences) == 1 else list(a.audiences),
                                     EXPECT_AUDIENCE)

    @property
    def recipient(self) -> Subject:
        return self._assertion_value("SubjectConfirmationData Recipient", lambda a: a.recipient, EXPECT_RECIPIENT)

    @property
    def destination(self) -> Subject:
        return self._subject("Destination", self._response.destination, EXPECT_RECIPIENT)

    @property
    def issuer(self) -> Subject:
        return self._subject("Issuer", self._response.issuer, EXPECT_TRUST)

    @property
    def in_response_to(self) -> Subject:
        return self._subject("InResponseTo", self._response.in_response_to, EXPECT_CORRELATION)

    @property
    def status(self) -> Subject:
        """The top-level StatusCode (None when the Response has no Status)."""
        status = self._response.status
        return self._subject("Status", None if status is None else status.code, EXPECT_IDP_ERROR)

    @property
    def attributes(self) -> Subject:
        return self._assertion_value("attributes", lambda a: {k: list(v) for k, v in a.attributes.items()}, EXPECT_CLAIMS)

    def attribute(self, name: str) -> Subject:
        """The attribute's values as a list (``None`` when absent)."""
        return self._assertion_value(
            f"attribute {name}", lambda a: list(a.attributes[name]) if name in a.attributes else None, EXPECT_CLAIMS
        )

    def is_trusted(self) -> None:
        """A valid signature by a trusted certificate covers the Response or the reported assertion."""
        if self._response.trusted:
            return
        sigs = self._response.signatures
        seen = "; ".join(f"{s.covers or '?'} {s.covers_id or ''}: {'valid' if s.valid else s.reason}" for s in sigs)
        note = f"signatures: {seen}" if sigs else "the Response and its assertion carry no signature"
        if not self._trace.trusted_cert_count:
            note += " (no IdP certificate was supplied to the trace)"
        raise _fail("SAML Response trust", self._hop.label, "trusted", "not trusted", self._trace, note, code=EXPECT_TRUST)

    def is_valid_at(self, what: str = "now") -> None:
        """No time-window problem (codes in :data:`~sso_harness.protocols.problems.TIME_WINDOW_CODES`)
        was reported at the trace's evaluation time."""
        problems = [p for p in self._response.problems if p.code in TIME_WINDOW_CODES]
        if problems:
            raise _fail(f"SAML Response validity ({what})", self._hop.label, "within its validity window",
                        problems[0].message, self._trace, code=EXPECT_TIME)


class _RelayStateExpectations:
    def __init__(self, trace: Trace) -> None:
        self._trace = trace
        self._response_hop = _query(trace, lambda t: t.saml_response_hop)

    @property
    def _request_hop(self) -> TraceHop:
        # Looked up only when needed: an IdP-initiated flow has no AuthnRequest.
        return _query(self._trace, lambda t: t.authn_request_hop)

    @property
    def sent(self) -> Subject:
        return Subject("RelayState sent with the AuthnRequest", _relay_state(self._request_hop),
                       self._request_hop.label, self._trace, EXPECT_RELAY_STATE)

    @property
    def returned(self) -> Subject:
        return Subject("RelayState returned with the Response", _relay_state(self._response_hop),
                       self._response_hop.label, self._trace, EXPECT_RELAY_STATE)

    def round_trips(self) -> None:
        """The IdP returned exactly the RelayState the SP sent (SAML bindings §3.4.3)."""
        sent = _relay_state(self._request_hop)
        self.returned.equals(sent)

    def __eq__(self, expected: object) -> bool:
        self.round_trips()
        self.returned.equals(expected)
        return True

    __hash__ = None  # type: ignore[assignment]  # an expectation is not a value: unhashable, like any class defining __eq__


class _ChainExpectations:
    def __init__(self, trace: Trace) -> None:
        self._trace = trace
        self.steps = [_step(h) for h in trace.redirect_chain]

    def follows(self, expected: Sequence[str]) -> None:
        """The navigations are exactly ``expected``: ``"METHOD scheme://host:port/path"`` (queries ignored)."""
        if list(expected) != self.steps:
            width = max([len(s) for s in expected] + [8])
            rows = [f"  {'expected':<{width}}  seen"]
            for i in range(max(len(expected), len(self.steps))):
                e = expected[i] if i < len(expected) else "-"
                s = self.steps[i] if i < len(self.steps) else "-"
                mark = " " if e == s else "≠"
                rows.append(f"{mark} {e:<{width}}  {s}")
            raise ExpectationFailed("redirect chain differs:\n" + "\n".join(rows) + f"\ntrace:\n{self._trace.summary()}",
                                    EXPECT_CHAIN)

    def ends_at(self, url: str) -> None:
        final = self._trace.final_hop
        Subject("final page", _strip_query(final.hop.url), final.label, self._trace, EXPECT_CHAIN).equals(url)


def _claim_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _messages(trace: Trace, kind: str) -> list[tuple[TraceHop, Any]]:
    return [(h, m.message) for h in trace for m in h.messages if m.kind == kind]


class _ClaimsExpectations:
    """Claims of one token or answer: ``claim(name)`` is a :class:`Subject` (None when absent)."""

    def __init__(self, what: str, claims: Mapping[str, Any], hop: TraceHop, trace: Trace,
                 verdict: JwtVerdict | None = None) -> None:
        self._what, self._claims, self._hop, self._trace, self._verdict = what, claims, hop, trace, verdict

    def claim(self, name: str) -> Subject:
        return Subject(f"{self._what} claim {name}", self._claims.get(name), self._hop.label, self._trace, EXPECT_CLAIMS)

    @property
    def claims(self) -> Subject:
        return Subject(f"{self._what} claims", dict(self._claims), self._hop.label, self._trace, EXPECT_CLAIMS)

    def is_trusted(self) -> None:
        """The token verified against the provider's published keys (the JWKS in the trace's context)."""
        verdict = self._verdict
        if verdict is not None and verdict.trusted:
            return
        if verdict is None:
            note = "no verification verdict (the token was decoded without the provider's JWKS)"
        else:
            note = "; ".join(verdict.problems) or "signature not verified"
        raise _fail(f"{self._what} trust", self._hop.label, "signed by a key in the provider's JWKS", "not trusted",
                    self._trace, note, code=EXPECT_TRUST)


class _TokenResponseExpectations:
    """The last token response of the trace (the code's redemption)."""

    def __init__(self, trace: Trace) -> None:
        found = _messages(trace, TokenResponse.kind)
        if not found:
            raise ExpectationFailed("no token response in the trace: the token exchange was not seen (a confidential "
                                    "client redeems the code from its server, not through the browser's proxy)\n"
                                    f"trace:\n{trace.summary()}", EXPECT_MISSING)
        self._trace = trace
        self._hop, self._response = found[-1]
        self._requested = [m.scope for _, m in _messages(trace, "oauth.authorize_request")]

    @property
    def scopes(self) -> Subject:
        """The scopes granted: the response's ``scope``, or the requested ones when it has none (RFC 6749 §5.1)."""
        granted = list(self._response.scope) or (list(self._requested[-1]) if self._requested else [])
        return Subject("scopes granted", granted, self._hop.label, self._trace, EXPECT_CLAIMS)

    def refresh_token_issued(self, issued: bool = True) -> None:
        present = bool(self._response.refresh_token)
        if present != issued:
            raise _fail("refresh token", self._hop.label, "issued" if issued else "not issued",
                        "issued" if present else "not issued", self._trace, code=EXPECT_TOKEN)


class _OAuthErrorExpectations:
    """The first OAuth error answer of the trace (authorization response or token response)."""

    def __init__(self, trace: Trace) -> None:
        self._trace = trace
        answers = [(h, m) for h in trace for d in h.messages
                   if isinstance(m := d.message, (AuthorizeResponse, TokenResponse)) and m.error is not None]
        self._found = answers[0] if answers else None

    def _where(self) -> str:
        return self._found[0].label if self._found else "-"

    @property
    def error(self) -> Subject:
        return Subject("OAuth error", self._found[1].error if self._found else None, self._where(), self._trace,
                       EXPECT_IDP_ERROR)

    @property
    def error_description(self) -> Subject:
        return Subject("OAuth error_description", self._found[1].error_description if self._found else None,
                       self._where(), self._trace, EXPECT_IDP_ERROR)

    @property
    def error_codes(self) -> Subject:
        """The AADSTS codes the answer carries (``error_codes`` or in its description); empty elsewhere."""
        return Subject("AADSTS codes", list(self._found[1].error_codes) if self._found else [], self._where(), self._trace,
                       EXPECT_IDP_ERROR)

    def none(self) -> None:
        """No authorization or token response of the trace is an error."""
        if self._found is not None:
            hop, answer = self._found
            raise _fail("OAuth error", hop.label, None, answer.error, self._trace, answer.error_description or "",
                        code=EXPECT_IDP_ERROR)


class TraceExpectations:
    """Entry point returned by :func:`expect`."""

    def __init__(self, trace: Trace) -> None:
        self.trace = trace

    @property
    def saml_response(self) -> _SamlResponseExpectations:
        return _SamlResponseExpectations(self.trace)

    @property
    def relay_state(self) -> _RelayStateExpectations:
        return _RelayStateExpectations(self.trace)

    @property
    def redirect_chain(self) -> _ChainExpectations:
        return _ChainExpectations(self.trace)

    @property
    def id_token(self) -> _ClaimsExpectations:
        """The ID token of the last token response, or else of the last authorization response (hybrid flows)."""
        for hop, response in reversed(_messages(self.trace, TokenResponse.kind)):
            if response.id_token_jwt is not None:
                verdict = response.id_token_verdict
                claims = verdict.claims if verdict is not None else response.id_token_jwt.claims
                return _ClaimsExpectations("ID token", claims, hop, self.trace, verdict)
        for hop, callback in reversed(_messages(self.trace, AuthorizeResponse.kind)):
            if callback.id_token_jwt is not None:
                return _ClaimsExpectations("ID token", callback.id_token_jwt.claims, hop, self.trace)
        raise ExpectationFailed("no ID token in the trace (neither a token response nor an authorization response "
                                f"carries one)\ntrace:\n{self.trace.summary()}", EXPECT_MISSING)

    @property
    def access_token(self) -> _ClaimsExpectations:
        """The last token response's access token, when it is a JWT (its claims are not verified here)."""
        for hop, response in reversed(_messages(self.trace, TokenResponse.kind)):
            if response.access_token is not None:
                if response.access_token_jwt is None:
                    raise _fail("access token", hop.label, "a JWT", "an opaque token", self.trace,
                                "its claims cannot be read; only the provider's introspection could say", code=EXPECT_TOKEN)
                return _ClaimsExpectations("access token", response.access_token_jwt.claims, hop, self.trace)
        raise ExpectationFailed(f"no access token in the trace\ntrace:\n{self.trace.summary()}", EXPECT_MISSING)

    @property
    def userinfo(self) -> _ClaimsExpectations:
        found = _messages(self.trace, UserInfo.kind)
        if not found:
            raise ExpectationFailed("no UserInfo answer in the trace (only a client that calls the endpoint through "
                                    f"the proxy, such as the harness as the client, shows one)\ntrace:\n{self.trace.summary()}",
                                    EXPECT_MISSING)
        hop, info = found[-1]
        return _ClaimsExpectations("UserInfo", info.claims, hop, self.trace)

    @property
    def token_response(self) -> _TokenResponseExpectations:
        return _TokenResponseExpectations(self.trace)

    @property
    def oauth_error(self) -> _OAuthErrorExpectations:
        return _OAuthErrorExpectations(self.trace)

    def response_answers_request(self) -> None:
        """The Response's InResponseTo (and the assertion's) equal the AuthnRequest's ID."""
        request_id = self.trace.authn_request.id
        self.saml_response.in_response_to.equals(request_id)
        self.saml_response._assertion_value(
            "SubjectConfirmationData InResponseTo", lambda a: a.subject_in_response_to, EXPECT_CORRELATION
        ).equals(request_id)


def expect(trace: Trace) -> TraceExpectations:
    return TraceExpectations(trace)


def _query(trace: Trace, getter: Callable[[Trace], TraceHop]) -> TraceHop:
    try:
        return getter(trace)
    except TraceQueryError as exc:
        raise ExpectationFailed(str(exc), EXPECT_MISSING) from None


def _relay_state(h: TraceHop) -> str | None:
    binding = h.saml
    return None if binding is None else binding.relay_state


def _holds(container: object, item: object) -> bool:
    """``item in container`` for the containers an observed value can be (text, list, mapping, set)."""
    if isinstance(container, str):
        return isinstance(item, str) and item in container
    if isinstance(container, (Sequence, Mapping, Collection)):
        return item in container
    return False


def _strip_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _step(h: TraceHop) -> str:
    return f"{h.hop.method} {_strip_query(h.hop.url)}"
