"""Small parts of the mocks: TOTP, scopes and consent, routing, AADSTS texts, outbound HTTP."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from sso_harness.mocks.entra.errors import AadstsError, aadsts
from sso_harness.mocks.entra.error_shapes import Correlation, entra_timestamp, error_description
from sso_harness.mocks.entra.tenant import AppRegistration
from sso_harness.mocks.entra.scopes import EXCHANGE, GRAPH, missing_consent, parse_scope
from sso_harness.mocks.entra.totp import totp, verify_totp
from sso_harness.mocks.web.http import Request, Response
from sso_harness.mocks.web.outbound import OutboundError, OutboundHttp
from sso_harness.mocks.web.routing import Router

RFC6238_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(("unix", "code"), [(59, "287082"), (1111111109, "081804"), (1234567890, "005924"), (2000000000, "279037")])
def test_totp_matches_the_rfc_6238_vectors(unix: int, code: str) -> None:
    # RFC 6238 appendix B lists 8 digits; authenticator apps show the last 6.
    at = dt.datetime.fromtimestamp(unix, dt.timezone.utc)
    assert totp(RFC6238_SECRET, at) == code
    assert verify_totp(RFC6238_SECRET, code, at + dt.timedelta(seconds=30))  # one step of drift is allowed
    assert not verify_totp(RFC6238_SECRET, code, at + dt.timedelta(seconds=95))
    assert not verify_totp(RFC6238_SECRET, "12ab56", at)


def test_scope_parsing_follows_the_v2_rules() -> None:
    imap = parse_scope("https://outlook.office.com/IMAP.AccessAsUser.All offline_access openid")
    assert imap.resource == EXCHANGE and imap.names == ("IMAP.AccessAsUser.All",) and imap.offline
    assert imap.granted() == "https://outlook.office.com/IMAP.AccessAsUser.All openid"
    graph = parse_scope("Mail.ReadWrite offline_access")
    assert graph.resource == GRAPH and graph.names == ("Mail.ReadWrite",)
    assert parse_scope("https://graph.microsoft.com/.default").is_default
    assert parse_scope("openid profile").resource is None


@pytest.mark.parametrize(
    ("scope", "code"),
    [(None, 90014), ("  ", 90014), ("user.read/.default", 70011), ("https://graph.microsoft.com/Nope", 70011),
     ("Mail.Read https://outlook.office.com/IMAP.AccessAsUser.All", 70011), ("https://graph.microsoft.com/.default Mail.Read", 70011),
     ("https://api.unknown.example/Read", 500011)],
)
def test_bad_scopes_are_the_right_aadsts_error(scope: str | None, code: int) -> None:
    with pytest.raises(AadstsError) as err:
        parse_scope(scope)
    assert err.value.code == code


def test_consent_covers_exchange_scopes_granted_under_graph() -> None:
    reg = AppRegistration("c", "app", api_permissions=("IMAP.AccessAsUser.All", "offline_access"), admin_consent=True)
    assert missing_consent(parse_scope("https://outlook.office.com/IMAP.AccessAsUser.All offline_access"), reg) == []
    assert missing_consent(parse_scope("https://outlook.office365.com/IMAP.AccessAsUser.All"), reg) == []
    assert missing_consent(parse_scope("https://outlook.office.com/POP.AccessAsUser.All"), reg) == ["https://outlook.office.com/POP.AccessAsUser.All"]
    unconsented = AppRegistration("c", "app", api_permissions=("IMAP.AccessAsUser.All",), admin_consent=False)
    assert missing_consent(parse_scope("https://outlook.office.com/IMAP.AccessAsUser.All"), unconsented)
    assert missing_consent(parse_scope("openid offline_access"), unconsented) == []


def test_aadsts_errors_carry_wire_text_and_oauth_class() -> None:
    err = aadsts(7000215, app_id="abc")
    assert err.code == 7000215 and err.oauth_error == "invalid_client" and err.http_status == 401
    assert err.message.startswith("AADSTS7000215: Invalid client secret provided.") and "'abc'" in err.message
    assert "'{EmailHidden}'" in aadsts(50105, app_name="A", app_id="b").message
    assert aadsts(50011, uri="u").message.count("{app_id}") == 1  # a missing field stays visible, it does not crash
    unknown = aadsts(50053)  # no template: the catalogue names it
    assert unknown.message.startswith("AADSTS50053: ") and unknown.oauth_error == "invalid_request"
    c = Correlation("trace", "corr", dt.datetime(2016, 1, 9, 2, 2, 12, tzinfo=dt.timezone.utc))
    assert entra_timestamp(c.at) == "2016-01-09 02:02:12Z"
    assert error_description(err, c).endswith("\r\nTrace ID: trace\r\nCorrelation ID: corr\r\nTimestamp: 2016-01-09 02:02:12Z")


def _request(method: str, path: str) -> Request:
    return Request(method, path, {}, "", {}, b"", {})


def test_routes_match_segments_methods_and_case_when_asked() -> None:
    router = Router()
    router.add("GET POST", "/{tenant}/saml2", lambda r, p: Response(body=p["tenant"].encode()))
    router.add("GET", "/{tenant}/federationmetadata/2007-06/federationmetadata.xml", lambda r, p: Response(body=b"md"), ignore_case=True)
    assert router.dispatch(_request("POST", "/contoso.com/saml2")).body == b"contoso.com"  # type: ignore[union-attr]
    assert router.dispatch(_request("HEAD", "/t/saml2")) is not None
    assert router.dispatch(_request("DELETE", "/t/saml2")) is None
    assert router.dispatch(_request("GET", "/a/b/saml2")) is None  # a segment never spans a slash
    assert router.dispatch(_request("GET", "/t/FederationMetadata/2007-06/FederationMetadata.xml")).body == b"md"  # type: ignore[union-attr]


def test_outbound_http_reports_an_unreachable_peer() -> None:
    with pytest.raises(OutboundError, match="127.0.0.1:9"):
        OutboundHttp(timeout=2).get("http://127.0.0.1:9/nothing-listens-here")
    with pytest.raises(OutboundError):
        OutboundHttp("http://127.0.0.1:9", timeout=2).post_form("http://127.0.0.1:1/token", {"a": "b"})
