"""The CloudSSO-like SP honours a Relay State by the guide's domain rule (``*.alibabacloudsso.com``), not by origin."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from sso_harness.mocks.fleet import MockFleet
from sso_harness.mocks.scenario import IDS
from sso_harness.mocks.sps.alibaba import in_domain
from .mock_walker import Page, Walker, entra_sign_in


@pytest.mark.parametrize(
    ("url", "holds"),
    [
        ("https://signin-cn-shanghai.alibabacloudsso.com/device/login", True),
        ("http://a.b.alibabacloudsso.com:8443/x", True),
        ("https://alibabacloudsso.com/", False),  # the rule is for hosts below the domain
        ("https://alibabacloudsso.com.evil.example/", False),
        ("https://evilalibabacloudsso.com/", False),
        ("javascript://x.alibabacloudsso.com/%0aalert(1)", False),
        ("/relative/path", False),
        ("https://[::1/", False),
    ],
)
def test_the_wildcard_domain_rule(url: str, holds: bool) -> None:
    assert in_domain(url, "*.alibabacloudsso.com") is holds


def test_a_plain_rule_is_the_host_whatever_the_port() -> None:
    assert in_domain("http://127.0.0.1:1/portal", "127.0.0.1") and not in_domain("http://127.0.0.2/portal", "127.0.0.1")


def _launch(w: Walker, f: MockFleet) -> Page:
    page = w.get(f.entra.user_access_url(f.tenant_id, IDS.alibaba_app))
    return w.auto_post(entra_sign_in(w, page, "b.simon@contoso.com", "Pa55w.rd-simon"))


def test_a_relay_state_on_the_sp_host_but_another_port_is_honoured(clean: MockFleet, walker: Walker) -> None:
    # Same domain, another origin: a same-origin rule would refuse it, CloudSSO's domain rule does not.
    port = urlsplit(clean.alibaba.base_url).port
    target = f"http://{clean.alibaba.relay_domain}:{(port or 80) + 1}/accounts"
    clean.entra.configure_app(IDS.alibaba_app, relay_state=target)
    assert _launch(walker, clean).location == target


def test_the_mock_domain_is_its_own_host(clean: MockFleet) -> None:
    assert clean.alibaba.relay_domain == urlsplit(clean.alibaba.base_url).hostname == "127.0.0.1"
