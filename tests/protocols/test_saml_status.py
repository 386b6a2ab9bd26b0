"""SAML status codes: nested chains, the catalogue, AADSTS extraction."""

from __future__ import annotations

from sso_harness.protocols import Response, Status, parse_saml, to_json
from sso_harness.protocols.saml import STATUS_CATALOGUE, lookup_status

PREFIX = "urn:oasis:names:tc:SAML:2.0:status:"
TOP = ["Success", "Requester", "Responder", "VersionMismatch"]
SECOND = [
    "AuthnFailed", "InvalidAttrNameOrValue", "InvalidNameIDPolicy", "NoAuthnContext", "NoAvailableIDP", "NoPassive",
    "NoSupportedIDP", "PartialLogout", "ProxyCountExceeded", "RequestDenied", "RequestUnsupported",
    "RequestVersionDeprecated", "RequestVersionTooHigh", "RequestVersionTooLow", "ResourceNotRecognized",
    "TooManyResponses", "UnknownAttrProfile", "UnknownPrincipal", "UnsupportedBinding",
]  # fmt: skip


def test_catalogue_covers_every_saml2_code() -> None:
    assert set(STATUS_CATALOGUE) == {PREFIX + n for n in TOP + SECOND}
    for name in TOP + SECOND:
        entry = lookup_status(f" {PREFIX}{name} ")
        assert entry is not None and entry.name == name and entry.uri == PREFIX + name
        assert entry.level == ("top" if name in TOP else "second")
        assert entry.meaning.endswith(".") and entry.fix and entry.meaning != entry.fix
    assert lookup_status("urn:vendor:whatever") is None and lookup_status(None) is None


def _response(status_xml: str) -> Response:
    xml = (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" Version="2.0" IssueInstant="2024-05-01T10:00:00Z">'
        f"<saml:Issuer>https://sts.windows.net/t/</saml:Issuer>{status_xml}</samlp:Response>"
    )
    response = parse_saml(xml)
    assert isinstance(response, Response)
    return response


def test_nested_chain_in_order_with_entries_and_aadsts() -> None:
    response = _response(
        f'<samlp:Status><samlp:StatusCode Value="{PREFIX}Requester">'
        f'<samlp:StatusCode Value="{PREFIX}RequestUnsupported"><samlp:StatusCode Value="urn:vendor:detail"/>'
        "</samlp:StatusCode></samlp:StatusCode>"
        "<samlp:StatusMessage>AADSTS75006: An error occurred while processing a SAML2 Authentication request. "
        "AADSTS90011: Request nonce is not provided. AADSTS75006: again\r\nTrace ID: x</samlp:StatusMessage>"
        "</samlp:Status>"
    )
    status = response.status
    assert status is not None and not status.ok
    assert status.sub_codes == (PREFIX + "RequestUnsupported", "urn:vendor:detail")
    assert [e.name for e in status.entries] == ["Requester", "RequestUnsupported"]
    assert status.aadsts_codes == (75006, 90011)
    explanation = status.explain()
    assert explanation.splitlines()[0].startswith("Requester: The responder blames the request")
    assert "urn:vendor:detail: not a SAML 2.0 status code" in explanation
    view = to_json(response)["status"]
    assert view["aadsts_codes"] == [75006, 90011]
    assert [e["name"] for e in view["entries"]] == ["Requester", "RequestUnsupported"]
    assert view["entries"][1]["fix"].startswith("Check the SP entity ID")


def test_success_and_no_codes() -> None:
    status = Status(PREFIX + "Success")
    assert status.ok and status.aadsts_codes == () and [e.name for e in status.entries] == ["Success"]
    assert Status(None).explain() == "" and Status(None, message="AADSTSx").aadsts_codes == ()
