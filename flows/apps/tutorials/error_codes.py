"""Error codes an IdP reported during a flow, wherever they surfaced.

An IdP names its errors in several places: the token endpoint's
``error_codes`` array, the ``error_description`` of an authorization error
redirect (RFC 6749 §4.1.2.1), a SAML ``StatusMessage`` (SAML core §3.2.2.3),
and the text of its own error page. Each is searched, in trace order, with the error catalogues
of :mod:`sso_harness.protocols.catalogues`; every code is reported once, with the
hop (or page) where it was first seen.
"""

from __future__ import annotations

from dataclasses import dataclass

from sso_harness.protocols.catalogues import find_codes
from sso_harness.protocols.saml import Response
from sso_harness.apps.tutorials.outcome import FlowOutcome

__all__ = ["SeenCode", "error_codes"]


@dataclass(frozen=True)
class SeenCode:
    code: int
    where: str


def _message_codes(message: object) -> list[int]:
    codes = [c for c in getattr(message, "error_codes", ()) or () if isinstance(c, int)]
    codes += find_codes(getattr(message, "error_description", None))
    if isinstance(message, Response) and message.status is not None:
        codes += find_codes(message.status.message)
    return codes


def error_codes(outcome: FlowOutcome) -> list[SeenCode]:
    seen: dict[int, str] = {}
    if outcome.trace is not None:
        for hop in outcome.trace.hops:
            for decoded in hop.messages:
                message = decoded.message
                inner = getattr(message, "message", message)  # a SAML binding wraps its message
                for code in _message_codes(inner):
                    seen.setdefault(code, hop.label)
    for text, where in ((outcome.refusal, outcome.final_hop), (outcome.page_text(), outcome.final_hop)):
        for code in find_codes(text):
            seen.setdefault(code, where)
    return [SeenCode(code, where) for code, where in seen.items()]
