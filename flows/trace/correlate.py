"""Link requests to their answers across a trace, and say what is missing.

SAML: an AuthnRequest's ID to the Response whose InResponseTo names it, and
a LogoutRequest to its LogoutResponse (SAML core §3.2.2). OAuth: the
authorization request to its callback and token exchange, via the OAuth
correlator. What the browser-side proxy cannot see (a confidential client's
token call, an artifact resolution) is reported as a note, not a problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Sequence

from sso_harness.protocols.oauth import correlate_oauth
from sso_harness.trace.decoded_hop import TraceHop

__all__ = ["Exchange", "correlate"]


@dataclass(frozen=True)
class Exchange:
    """One request and its answer. Hop numbers are trace indices (``Hop.index``)."""

    protocol: str
    kind: str  # "saml.sso", "saml.logout", "oauth.code", ...
    request_hop: int | None
    response_hop: int | None
    key: str | None  # the value that links them (request ID, state)
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "protocol": self.protocol, "kind": self.kind, "request_hop": self.request_hop,
            "response_hop": self.response_hop, "key": self.key,
            "problems": list(self.problems), "notes": list(self.notes),
        }


_PAIRS = {"saml.authn_request": ("saml.response", "saml.sso"), "saml.logout_request": ("saml.logout_response", "saml.logout")}


def correlate(trace: Sequence[TraceHop]) -> list[Exchange]:
    """Every exchange found in ``trace`` (hops in order), SAML first, then each registered protocol."""
    exchanges = _saml(trace)
    for extra in _EXTRA:
        exchanges.extend(extra(trace))
    return exchanges


def _saml(trace: Sequence[TraceHop]) -> list[Exchange]:
    found: list[tuple[int, str, object]] = []
    for h in trace:
        for m in h.of_protocol("saml"):
            found.append((h.hop.index, m.kind, m.message.message))  # SamlBindingMessage.message
    out: list[Exchange] = []
    answered: set[int] = set()
    for i, (hop, kind, msg) in enumerate(found):
        if kind not in _PAIRS:
            continue
        answer_kind, label = _PAIRS[kind]
        request_id = getattr(msg, "id", None)
        match = next(
            (j for j in range(i + 1, len(found)) if found[j][1] == answer_kind and getattr(found[j][2], "in_response_to", None) == request_id),
            None,
        )
        if match is None:
            later = [f for f in found[i + 1 :] if f[1] == answer_kind]
            problem = (
                f"no {answer_kind} answers {kind} {request_id!r}"
                + (f"; the {answer_kind} at hop #{later[0][0]} answers {getattr(later[0][2], 'in_response_to', None)!r}" if later else "")
            )
            out.append(Exchange("saml", label, hop, None, request_id, (problem,)))
        else:
            answered.add(match)
            out.append(Exchange("saml", label, hop, found[match][0], request_id))
    for j, (hop, kind, msg) in enumerate(found):
        if kind in ("saml.response", "saml.logout_response") and j not in answered:
            irt = getattr(msg, "in_response_to", None)
            label = "saml.sso" if kind == "saml.response" else "saml.logout"
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
                None, tuple(ex.problems), tuple(ex.notes),
            )
        )
    return out


# Other protocols register here (kept as a list so they stay optional and small).
_EXTRA = [_oauth]
