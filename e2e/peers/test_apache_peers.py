"""Apache's mod_auth_mellon (SAML SP) and mod_auth_openidc (OIDC RP) as real peers.

Each peer reaches the tests only as a target entry of the packaged peers targets
file (``sso_harness/apps/peers/peers_targets.yaml``, what ``sso-harness peers up`` writes),
run by the same generic runner and expectations as a team's real tenant
(:func:`sso_harness.targets.runner.run_flow`, ``check_expectations``); the
checks after that read the trace and the page, never the peer objects.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from collections import ChainMap
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from sso_harness.apps.peers.stack import PEERS_TARGETS
from sso_harness.browser.journeys import origin_of
from sso_harness.expect import expect
from sso_harness.protocols.jose import Jwks
from sso_harness.protocols.jose.fetch import fetch_jwks
from sso_harness.targets.load import load_targets
from sso_harness.targets.runner import FlowCase, cases_of, check_expectations, run_flow, trusted_certs_of
from sso_harness.targets.sign_in_check import require_signed_in, signed_in_verdict
from sso_harness.targets.target import Target
from sso_harness.trace.trace import DecodeContext, Trace

pytestmark = [pytest.mark.e2e, pytest.mark.peers]

TARGETS_FILE = PEERS_TARGETS
# Which session fixture starts the peers of a target and returns the values its entry reads.
ENV_FIXTURE = {"mellon-simplesamlphp": "mellon_env", "openidc-oidc-provider": "openidc_env",
               "mellon-entra": "mellon_entra_env"}


class _Placeholders(Mapping[str, str]):
    """Any ``${VAR}`` reads as a placeholder: enough to list a target's flows before any peer runs.

    URL-shaped (the loader checks that URL keys are absolute http(s) URLs); the ``.invalid`` host
    (RFC 2606) can never be reached, so a placeholder that leaked into a flow fails at once."""

    def __getitem__(self, key: str) -> str:
        return f"http://placeholder.invalid/{key}"

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __contains__(self, key: object) -> bool:
        return True


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "apache_case" not in metafunc.fixturenames:
        return
    targets = load_targets(TARGETS_FILE, env=_Placeholders())
    cases = [(name, case) for name, t in targets.items() if name in ENV_FIXTURE for case in cases_of(t)]
    metafunc.parametrize("apache_case", cases, ids=[f"{name}-{case.id}" for name, case in cases])


def _target(request: pytest.FixtureRequest, name: str) -> Target:
    env = request.getfixturevalue(ENV_FIXTURE[name])
    # The other targets' peers need not run: their values read as placeholders.
    return load_targets(TARGETS_FILE, env=ChainMap(env, _Placeholders()), only=name)[name]


def _issuer_keys(target: Target) -> Jwks | None:
    """The OpenID provider's published keys (discovery, then ``jwks_uri``), to judge ID tokens by;
    None for a SAML target. The runner has no such step yet (it trusts SAML metadata only)."""
    if not target.idp.issuer:
        return None
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with direct.open(f"{target.idp.issuer.rstrip('/')}/.well-known/openid-configuration", timeout=10) as r:
        discovery = json.loads(r.read(1 << 20))
    return fetch_jwks(str(discovery["jwks_uri"]), direct.open)


def _run(request: pytest.FixtureRequest, name: str, case: FlowCase, page, sso_capture, sso_proxy, tmp_path: Path) -> tuple[Target, Trace]:  # type: ignore[no-untyped-def]
    """What e2e/test_target_flows.py does for any target: trust what the IdP metadata says, run, check."""
    target = _target(request, name)
    sp = next(s for s in target.sps if s.name == case.sp)
    certs = trusted_certs_of(target, sp, proxy_url=sso_proxy.url, cafile=str(sso_proxy.ca_cert_path))
    sso_capture.context = DecodeContext(trusted_certs=tuple(certs), jwks=_issuer_keys(target), now=dt.datetime.now(dt.timezone.utc),
                                        cert_horizon=dt.timedelta(days=sp.expect.cert_expiry_days))
    sso_capture.restart()  # the metadata fetch is set-up, not part of the flow
    trace = run_flow(page, sso_capture, target, case, screenshot_dir=tmp_path)
    check_expectations(trace, sp, target.users[case.user], case.flow)
    require_signed_in(signed_in_verdict(page, trace, sp.for_flow(case.flow), case.flow), trace)  # as `run` decides it
    return target, trace


def test_every_flow_of_the_apache_targets(apache_case, request, page, sso_capture, sso_proxy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    name, case = apache_case
    _run(request, name, case, page, sso_capture, sso_proxy, tmp_path)


def test_mellon_sp_initiated_through_simplesamlphp_hop_by_hop(request, page, sso_capture, sso_proxy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target, trace = _run(request, "mellon-simplesamlphp", FlowCase("mellon", "sp_initiated", 0), page, sso_capture, sso_proxy, tmp_path)
    sp, user = target.sps[0], target.users[0]
    assert sp.sign_on_url and sp.landing_url and target.idp.metadata_url
    mellon, idp = origin_of(sp.sign_on_url), origin_of(target.idp.metadata_url)

    e = expect(trace)
    e.saml_response.issuer == target.idp.metadata_url  # SimpleSAMLphp's entity ID is its metadata URL
    e.saml_response.destination == sp.acs
    e.relay_state.returned == sp.landing_url
    # mellon signs its AuthnRequest (HTTP-Redirect, query signature) and names its ACS.
    assert trace.authn_request.issuer == sp.entity_id
    redirect = next(h for h in trace if h.hop.url.startswith(f"{idp}/saml2/idp/SSOService.php"))
    assert "Signature=" in redirect.hop.url and "SigAlg=" in redirect.hop.url
    e.redirect_chain.follows([
        f"GET {sp.landing_url}",  # not signed in: mellon answers with its login endpoint
        f"GET {mellon}/mellon/login",  # builds the AuthnRequest
        f"GET {idp}/saml2/idp/SSOService.php",
        f"GET {idp}/module.php/core/loginuserpass.php",
        f"POST {idp}/module.php/core/loginuserpass.php",
        f"POST {sp.acs}",  # Response, HTTP-POST
        f"GET {sp.landing_url}",  # back on the page the user asked for
    ])
    # The SP's own view (REMOTE_USER on the protected page) agrees with the trace.
    assert page.locator("#remote-user").inner_text() == user.attributes["email"]


def test_openidc_code_flow_against_oidc_provider_in_the_trace(request, page, sso_capture, sso_proxy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target, trace = _run(request, "openidc-oidc-provider", FlowCase("openidc", "oidc", 0), page, sso_capture, sso_proxy, tmp_path)
    sp, user = target.sps[0], target.users[0]
    assert sp.landing_url and target.idp.issuer

    def messages(kind: str) -> list:  # type: ignore[type-arg]
        return [(h, m.message) for h in trace for m in h.messages if m.kind == kind]

    # authorize: the RP asked for a code with PKCE S256, state and nonce, in the browser.
    ((authorize_hop, authorize),) = messages("oauth.authorize_request")
    assert authorize_hop.hop.url.startswith(f"{target.idp.issuer}/auth")
    assert authorize.code_challenge_method == "S256" and authorize.code_challenge
    assert authorize.state and authorize.nonce
    # callback: the code came back to the RP's redirect URI with the same state.
    ((callback_hop, callback),) = messages("oauth.authorize_response")
    assert callback_hop.hop.url.startswith(f"{origin_of(sp.landing_url)}/protected/redirect_uri")
    assert callback.code and callback.state == authorize.state
    assert not callback_hop.hop.back_channel
    # token: the RP's own back-channel call (through OIDCOutgoingProxy), answered with an ID token.
    ((token_hop, token),) = messages("oauth.token_response")
    assert token_hop.hop.back_channel
    verdict = token.id_token_verdict
    assert verdict is not None and verdict.trusted, verdict and verdict.problems
    assert verdict.claims["iss"] == target.idp.issuer
    assert verdict.claims["sub"] == user.username
    assert verdict.claims["email"] == user.attributes["email"]
    assert verdict.claims["nonce"] == authorize.nonce  # the RP's nonce came back in the ID token
    codes = [x for x in trace.exchanges if x.kind == "oauth.code"]
    assert len(codes) == 1, trace.summary() + repr(trace.exchanges)
    (exchange,) = codes
    assert exchange.problems == ()
    # landing: the protected page, and the RP names the user by the ID token's sub.
    assert trace.final_hop.hop.url.startswith(sp.landing_url)
    assert page.locator("#remote-user").inner_text() == user.username
