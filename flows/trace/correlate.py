"""Link requests to their answers across a trace, and say what is missing.

SAML: an AuthnRequest's ID to the Response whose InResponseTo names it, and
a LogoutRequest to its LogoutResponse (SAML core §3.2.2). OAuth: the
authorization request to its callback and token exchange, via the OAuth
correlator. What the browser-side proxy cannot see (a confidential client's
token call, an artifact resolution) is reported as a note, not a problem.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sso_harness.protocols.oauth import correlate_oauth
from sso_harness.protocols.problems import SAML_UNANSWERED, Problem
from sso_harness.protocols.saml import AuthnRequest, LogoutRequest, LogoutResponse, Response, SamlBindingMessage
from sso_harness.trace.decoded import Protocol
from sso_harness.trace.decoded_hop import TraceHop

__all__ = ["Exchange", "correlate"]


@dataclass(frozen=True)
class Exchange:
    """One request and its answer. Hop numbers are trace indices (``Hop.index``).

    ``problems`` say what is wrong (coded, see :mod:`sso_harness.protocols.problems`);
    ``notes`` what the proxy could not see, in words.
    """

    protocol: Protocol
    kind: str  # "saml.sso", "saml.logout", "oauth.code", ...
    request_hop: int | None
    response_hop: int | None
    key: str | None  # the value that links them (request ID, state)
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """``problems`` stays a list of messages (schema version 1); ``problem_codes`` lists their codes, in the same order."""
        return {
            "protocol": self.protocol, "kind": self.kind, "request_hop": self.request_hop,
            "response_hop": self.response_hop, "key": self.key,
            "problems": [p.message for p in self.problems], "problem_codes": [p.code for p in self.problems],
            "notes": list(self.notes),
        }


Request = AuthnRequest | LogoutRequest
Answer = Response | LogoutResponse
# A request kind, the answer kind that pairs with it, and the exchange's label.
_PAIRS: tuple[tuple[type[Request], type[Answer], str], ...] = (
    (AuthnRequest, Response, "saml.sso"),
    (LogoutRequest, LogoutResponse, "saml.logout"),
)


def correlate(trace: Sequence[TraceHop]) -> list[Exchange]:
    """Every exchange found in ``trace`` (hops in order), SAML first, then each registered protocol."""
    exchanges = _saml(trace)
    for extra in _EXTRA:
        exchanges.extend(extra(trace))
    return exchanges


def _saml(trace: Sequence[TraceHop]) -> list[Exchange]:
    found = [(h.hop.index, m.message.message) for h in trace for m in h.messages if isinstance(m.message, SamlBindingMessage)]
    out: list[Exchange] = []
    answered: set[int] = set()
    for i, (hop, request) in enumerate(found):
        if not isinstance(request, (AuthnRequest, LogoutRequest)):
            continue
        request_type, answer_type, label = next(p for p in _PAIRS if isinstance(request, p[0]))
        later = [(j, found[j][0], a) for j in range(i + 1, len(found)) if isinstance(a := found[j][1], answer_type)]
        match = next((item for item in later if item[2].in_response_to == request.id), None)
        if match is None:
            problem = (
                f"no {answer_type.kind} answers {request_type.kind} {request.id!r}"
                + (f"; the {answer_type.kind} at hop #{later[0][1]} answers {later[0][2].in_response_to!r}" if later else "")
            )
            out.append(Exchange("saml", label, hop, None, request.id, (Problem(SAML_UNANSWERED, problem),)))
        else:
            answered.add(match[0])
            out.append(Exchange("saml", label, hop, match[1], request.id))
    for j, (hop, answer) in enumerate(found):
        if j in answered or not isinstance(answer, (Response, LogoutResponse)):
            continue
        label = "saml.sso" if isinstance(answer, Response) else "saml.logout"
        irt = answer.in_response_to
        if irt is None:
            out.append(Exchange("saml", label, None, hop, None, notes=("unsolicited (IdP-initiated): no InResponseTo",)))
        else:
            out.append(Exchange("saml", label, None, hop, irt, notes=(f"answers {irt!r}, a request sent before this trace began or not seen by the proxy",)))
    return out


def _oauth(trace: Sequence[TraceHop]) -> list[Exchange]:
    found = [(h.hop.index, m.message) for h in trace for m in h.messages if m.protocol in ("oauth", "oidc")]
    if not found:
        return []
    out = []
    for ex in correlate_oauth(found):
        out.append(
            Exchange(
                "oauth", "oauth.code", ex.authorize_index,
                ex.token_response_index if ex.token_response_index is not None else ex.callback_index,
                None, ex.problems, ex.notes,
            )
        )
    return out


# Other protocols register here (kept as a list so they stay optional and small).
_EXTRA: list[Callable[[Sequence[TraceHop]], list[Exchange]]] = [_oauth]
