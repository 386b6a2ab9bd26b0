"""SAML probes: the AuthnRequest and the Response of a flow, field by field.

``to`` picks the message by the URL it was sent to (a prefix), for flows
with more than one exchange (a federated sign-in has a Response to the
tenant and another to the app); otherwise the first AuthnRequest and the
last Response are read (``which: first|last`` overrides). Field names
follow SAML core §3.2.1 (RequestAbstractType) and §3.4.1 (AuthnRequest),
§3.3.3 (Response) and §2.7.3 (AttributeStatement).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sso_harness.protocols.saml import Assertion, AuthnRequest, Response
from sso_harness.trace.trace import TraceHop
from sso_harness.apps.tutorials.errors import NotObserved
from sso_harness.apps.tutorials.observe import Observation, Probe, ProbeInput, need_trace, param

__all__ = ["SAML_PROBES"]

M = TypeVar("M", AuthnRequest, Response)


def _hops(inp: ProbeInput, kind: type) -> list[TraceHop]:
    to = param(inp, "to")
    return [
        h for h in need_trace(inp).hops
        if h.saml is not None and isinstance(h.saml.message, kind) and (not to or h.hop.url.startswith(str(to)))
    ]


def _pick(inp: ProbeInput, kind: type[M], what: str, default_which: str) -> tuple[TraceHop, M]:
    """The chosen hop carrying a ``kind`` message, and that message; NotObserved when there is none."""
    found = [(h, h.saml.message) for h in _hops(inp, kind) if h.saml is not None and isinstance(h.saml.message, kind)]
    if not found:
        to = param(inp, "to")
        raise NotObserved(f"no SAML {what} {'sent to ' + str(to) + ' ' if to else ''}was seen in this flow")
    return found[0] if param(inp, "which", default_which) == "first" else found[-1]


def _relay_state(hop: TraceHop) -> str | None:
    return hop.saml.relay_state if hop.saml is not None else None


def _assertion(r: Response) -> Assertion:
    """The readable assertion; probes made with ``assertion=True`` are only called when there is one."""
    if r.assertion is None:
        raise NotObserved("the SAML Response carries no readable assertion")
    return r.assertion


def _present(kind: type, what: str) -> Callable[[ProbeInput], Observation]:
    def read(inp: ProbeInput) -> Observation:
        hops = _hops(inp, kind)
        return Observation(bool(hops), hops[0].label if hops else f"(no SAML {what} in the trace)")

    return read


def _request(field: Callable[[TraceHop, AuthnRequest], Any]) -> Callable[[ProbeInput], Observation]:
    def read(inp: ProbeInput) -> Observation:
        hop, request = _pick(inp, AuthnRequest, "AuthnRequest", "first")
        return Observation(field(hop, request), hop.label)

    return read


def _response(field: Callable[[TraceHop, Response, ProbeInput], Any], *, assertion: bool = False) -> Callable[[ProbeInput], Observation]:
    def read(inp: ProbeInput) -> Observation:
        hop, response = _pick(inp, Response, "Response", "last")
        if assertion and response.assertion is None:
            status = response.status.code.rsplit(":", 1)[-1] if response.status and response.status.code else "none"
            extra = " (it is encrypted)" if response.encrypted else f" (status {status})"
            raise NotObserved(f"the SAML Response at {hop.label} carries no readable assertion{extra}")
        return Observation(field(hop, response, inp), hop.label)

    return read


def _attribute(hop: TraceHop, r: Response, inp: ProbeInput) -> list[str] | None:
    values = r.assertion.attributes.get(str(param(inp, "name"))) if r.assertion else None
    return list(values) if values is not None else None


def _signing_certificate(hop: TraceHop, r: Response, inp: ProbeInput) -> str | None:
    return next((s.certificate_sha256 for s in r.signatures if s.valid and s.certificate_sha256), None)


def _answers_request(hop: TraceHop, r: Response, inp: ProbeInput) -> bool:
    if not r.in_response_to:
        return False
    sent = [h.saml.message for h in need_trace(inp).hops if h.hop.index < hop.hop.index and h.saml is not None
            and isinstance(h.saml.message, AuthnRequest)]
    return any(request.id == r.in_response_to for request in sent)


def _name_id(r: Response) -> str | None:
    name_id = _assertion(r).name_id
    return name_id.value if name_id else None


def _name_id_format(r: Response) -> str | None:
    name_id = _assertion(r).name_id
    return name_id.format if name_id else None


def _audience(r: Response) -> str | list[str]:
    audiences = _assertion(r).audiences
    return audiences[0] if len(audiences) == 1 else list(audiences)


def _status_message(hop: TraceHop, r: Response, inp: ProbeInput) -> str | None:
    return r.status.message if r.status else None


_REQ = "saml.request"
_RES = "saml.response"
SAML_PROBES: dict[str, Probe] = {
    p.name: p
    for p in (
        Probe(f"{_REQ}.present", _present(AuthnRequest, "AuthnRequest"), "true when the flow shows an AuthnRequest (narrowed by `to`), else false"),
        Probe(f"{_REQ}.id", _request(lambda h, m: m.id), "the AuthnRequest ID"),
        Probe(f"{_REQ}.issuer", _request(lambda h, m: m.issuer), "the AuthnRequest Issuer (the SP's entity ID)"),
        Probe(f"{_REQ}.destination", _request(lambda h, m: m.destination), "the AuthnRequest Destination"),
        Probe(f"{_REQ}.acs_url", _request(lambda h, m: m.acs_url), "the AssertionConsumerServiceURL it asks for"),
        Probe(f"{_REQ}.relay_state", _request(lambda h, m: _relay_state(h)), "the RelayState sent with it"),
        Probe(f"{_RES}.present", _present(Response, "Response"), "true when the flow shows a Response (narrowed by `to`), else false"),
        Probe(f"{_RES}.issuer", _response(lambda h, r, i: r.issuer), "the Response Issuer"),
        Probe(f"{_RES}.destination", _response(lambda h, r, i: r.destination), "the Response Destination (the ACS it was made for)"),
        Probe(f"{_RES}.in_response_to", _response(lambda h, r, i: r.in_response_to), "InResponseTo (null when IdP-initiated)"),
        Probe(f"{_RES}.answers_request", _response(_answers_request), "true when InResponseTo names an AuthnRequest of this flow"),
        Probe(f"{_RES}.status", _response(lambda h, r, i: r.status.code if r.status else None), "the top-level StatusCode URI"),
        Probe(f"{_RES}.status_message", _response(_status_message), "the StatusMessage text"),
        Probe(f"{_RES}.relay_state", _response(lambda h, r, i: _relay_state(h)), "the RelayState that came with the Response"),
        Probe(f"{_RES}.trusted", _response(lambda h, r, i: r.trusted),
              "true when a valid signature by a trusted certificate covers the Response or its assertion"),
        Probe(f"{_RES}.signing_certificate", _response(_signing_certificate), "SHA-256 fingerprint of the certificate that verified"),
        Probe(f"{_RES}.name_id", _response(lambda h, r, i: _name_id(r), assertion=True),
              "the NameID value"),
        Probe(f"{_RES}.name_id_format", _response(lambda h, r, i: _name_id_format(r), assertion=True),
              "the NameID Format URI"),
        Probe(f"{_RES}.audience", _response(lambda h, r, i: _audience(r), assertion=True),
              "the Audience (a list when there are several)"),
        Probe(f"{_RES}.recipient", _response(lambda h, r, i: _assertion(r).recipient, assertion=True), "SubjectConfirmationData Recipient"),
        Probe(f"{_RES}.attribute", _response(_attribute, assertion=True), "the values of attribute `name` (a list, null when absent)", ("name",)),
    )
}
