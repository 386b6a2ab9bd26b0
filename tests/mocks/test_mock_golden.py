"""Signed output pinned in golden files: fixed test-only keys, clock and ID sources.

Regenerate after an intended change with ``SSO_HARNESS_UPDATE_GOLDEN=1``;
the files are named after the test (``golden/<test name>.<ext>``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from pathlib import Path

import pytest

from sso_harness.protocols.xml import dsig as xmldsig
from sso_harness.protocols.jose import decode_jwt, jwk_from_public_key, verify_jwt
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.saml import parse_saml
from sso_harness.mocks.base.clock import counter_ids
from sso_harness.mocks.config import FleetConfig
from sso_harness.mocks.entra.claims import PASSWORD, sts_issuer
from sso_harness.mocks.entra.directory import UserRef
from sso_harness.mocks.entra.flow import SamlLeg, SignedIn
from sso_harness.mocks.entra.idp import EntraIdp
from sso_harness.mocks.entra.scopes import parse_scope
from sso_harness.mocks.jumpcloud.idp import JumpCloudIdp
from sso_harness.mocks.base.keys import KeyRing
from sso_harness.mocks.base.faults import NO_FAULTS, ResponseFaults
from sso_harness.mocks.saml.metadata import cert_b64
from sso_harness.mocks.scenario import IDS, Urls, build_tenants, jumpcloud_setup
from .mock_walker import FIXED_NOW, GOLDEN_DIR, KEYS_DIR

ENTRA = "https://login.mock.test"
JC = "https://sso.jumpcloud.mock.test"


def assert_golden(request: pytest.FixtureRequest, content: bytes, ext: str = "xml") -> None:
    path: Path = GOLDEN_DIR / f"{request.node.name}.{ext}"
    if os.environ.get("SSO_HARNESS_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return
    assert path.exists(), f"no golden file {path}; create it with SSO_HARNESS_UPDATE_GOLDEN=1"
    assert content == path.read_bytes(), f"output differs from {path}; if intended, regenerate with SSO_HARNESS_UPDATE_GOLDEN=1"


def _guids():  # type: ignore[no-untyped-def]
    counter = itertools.count(1)
    return lambda: f"00000000-0000-4000-8000-{next(counter):012d}"


@pytest.fixture
def keys() -> KeyRing:
    return KeyRing(KEYS_DIR, prefix="test-only-", create=False)


@pytest.fixture
def entra(keys: KeyRing) -> EntraIdp:
    sp = "https://atlassian.mock.test"
    urls = Urls(
        entra=ENTRA, jumpcloud=JC,
        atlassian_entity_id=f"{sp}/saml/{IDS.atlassian_org}", atlassian_acs=f"{sp}/login/callback?connection=saml-{IDS.atlassian_org}",
        atlassian_instance=f"{sp}/site/contoso", alibaba_entity_id="https://alibaba.mock.test/saml/sp/d", alibaba_acs="https://alibaba.mock.test/saml/acs/d",
        mitel_entity_id="https://mitel.mock.test/saml/metadata", mitel_acs="https://mitel.mock.test/saml/acs",
        mitel_sign_on="https://mitel.mock.test/portal", jira_redirect="https://jira.mock.test/cb",
    )
    jc = keys.get("jumpcloud-signing")
    tenants = build_tenants(urls, FleetConfig(), cert_b64(jc.cert), f"{JC}/fabrikam.com", f"{JC}/saml2/office365")
    return EntraIdp(
        base_url=ENTRA, tenants=tenants, keys=keys, wrong_key=keys.get("rogue-signing"),
        clock=lambda: FIXED_NOW, new_id=counter_ids("_golden"), new_guid=_guids(),
    )


def _issue(entra: EntraIdp, faults: ResponseFaults = NO_FAULTS, **app_changes: str) -> bytes:
    if app_changes:
        entra.configure_app(IDS.atlassian_app, **app_changes)
    tenant, app = entra.enterprise_app(IDS.atlassian_app)
    user = tenant.user("b.simon@contoso.com")
    assert user is not None
    signed_in = SignedIn(UserRef(tenant.tenant_id, user.upn), PASSWORD, sts_issuer(tenant.tenant_id), FIXED_NOW - dt.timedelta(seconds=30))
    leg = SamlLeg(tenant.tenant_id, app.app_id, app.reply_urls[0], app.identifiers[0], "_sp-request-1", app.relay_state)
    return entra.saml.issue(app, tenant, user, signed_in, leg, faults)


def test_entra_saml_response_golden(request: pytest.FixtureRequest, entra: EntraIdp) -> None:
    xml = _issue(entra)
    message = parse_saml(xml, trusted_certs=[entra.signing_key(IDS.atlassian_app).cert], now=FIXED_NOW)
    assert message.trusted and message.assertion.id == "_golden0002"  # type: ignore[union-attr]
    assert _issue(entra) != xml  # fresh IDs each time, but from the injected source
    assert_golden(request, xml)


def test_entra_saml_response_signed_both_sha1_golden(request: pytest.FixtureRequest, entra: EntraIdp) -> None:
    xml = _issue(entra, signing="both", signing_algorithm="sha1")
    checks = parse_saml(xml, trusted_certs=[entra.signing_key(IDS.atlassian_app).cert]).signatures  # type: ignore[union-attr]
    assert [(c.covers, c.valid, c.algorithm) for c in checks] == [("Response", True, xmldsig.RSA_SHA1), ("Assertion", True, xmldsig.RSA_SHA1)]
    assert_golden(request, xml)


def test_entra_saml_response_wrong_audience_golden(request: pytest.FixtureRequest, entra: EntraIdp) -> None:
    xml = _issue(entra, ResponseFaults(audience="https://evil.example/sp", clock_skew_seconds=-120))
    message = parse_saml(xml, trusted_certs=[entra.signing_key(IDS.atlassian_app).cert])
    assert message.trusted and message.assertion.audiences == ("https://evil.example/sp",)  # type: ignore[union-attr]
    assert_golden(request, xml)


def test_entra_app_federation_metadata_golden(request: pytest.FixtureRequest, entra: EntraIdp) -> None:
    xml = entra.metadata.document(IDS.contoso, IDS.atlassian_app).encode()
    root = parse_xml(xml, where="metadata")
    assert [c.valid for c in xmldsig.verify_signatures(root, [entra.signing_key(IDS.atlassian_app).cert])] == [True]
    assert_golden(request, xml)


def test_entra_id_token_golden(request: pytest.FixtureRequest, entra: EntraIdp) -> None:
    tenant = entra.tenant(IDS.contoso)
    user = tenant.user("b.simon@contoso.com")
    signed_in = SignedIn(UserRef(tenant.tenant_id, user.upn), PASSWORD, sts_issuer(tenant.tenant_id), FIXED_NOW, kmsi=True)  # type: ignore[union-attr]
    scope = parse_scope("openid profile email offline_access https://outlook.office.com/IMAP.AccessAsUser.All")
    token = entra.tokens.id_token(tenant, user, signed_in, IDS.jira_client, scope, "nonce-1", NO_FAULTS)  # type: ignore[arg-type]
    kid = decode_jwt(token).header["kid"]
    jwks = {"keys": [jwk_from_public_key(entra.ctx.tenant_key(IDS.contoso).key.public_key(), kid, None)]}
    assert verify_jwt(token, jwks).signature_valid
    assert decode_jwt(token).claims["iat"] == int(FIXED_NOW.timestamp())
    assert_golden(request, token.encode(), "jwt")


def test_jumpcloud_saml_response_golden(request: pytest.FixtureRequest, keys: KeyRing) -> None:
    users, apps = jumpcloud_setup(JC, ENTRA, "https://atlassian.mock.test/saml/x", "https://atlassian.mock.test/acs")
    idp = JumpCloudIdp(
        base_url=JC, users=users, apps=apps, signing=keys.get("jumpcloud-signing"), wrong_key=keys.get("rogue-signing"),
        clock=lambda: FIXED_NOW, new_id=counter_ids("_jc"),
    )
    xml = idp.issue_response(apps[0], users[0], "_entra-request-1")
    message = parse_saml(xml, trusted_certs=[keys.get("jumpcloud-signing").cert])
    assert message.trusted and message.assertion.attributes["IDPEmail"] == ("alex.wilber@fabrikam.com",)  # type: ignore[union-attr]
    assert_golden(request, xml)
