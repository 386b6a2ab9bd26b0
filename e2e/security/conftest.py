"""Fixtures of the security battery's end-to-end suite (``pytest e2e/security``).

The batteries run in the session's Chromium (through the capture proxy),
one browser context per target, reused across tests: every attempt clears
the context's cookies first, so reuse is sound and a new context is not
paid for each attack. The attack lab (attacker site, loopback providers,
vulnerable and hardened relying parties) starts once per session; its
relying parties' back-channel calls go through the capture proxy.
Each test attaches its attack matrix (HTML table and JSON) to the Allure report.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sso_harness.apps.security.driver_browser import BrowserDriver
from sso_harness.apps.security.verdicts import BatteryRun
from sso_harness.apps.security.matrix_report import attach_matrix
from sso_harness.mocks.attack_lab import AttackLab
from sso_harness.apps.peers import (
    MockPartners,
    SimpleSamlPhp,
    SspRemoteSp,
    SspSettings,
    SspUser,
    missing_simplesamlphp,
    when_missing,
)
from sso_harness.plugin.target_option import MOCKS, selected_target_name


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``--sso-target NAME`` only the target's own battery runs; the lab's proofs belong to the mock lane."""
    name = selected_target_name(config)
    if name == MOCKS:
        return
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason=f"mock lane (the attack lab's proofs); --sso-target {name} selected")
    for item in items:
        if item.path.parent == here and item.path.name != "test_target_battery.py":
            item.add_marker(skip)


@pytest.fixture(scope="session")
def attack_lab(sso_proxy) -> Iterator[AttackLab]:  # type: ignore[no-untyped-def]
    with AttackLab(outbound_proxy=sso_proxy.url) as lab:
        yield lab


@pytest.fixture
def lab(attack_lab: AttackLab) -> Iterator[AttackLab]:
    """The session's lab, every target and provider back to its start state."""
    attack_lab.reset()
    yield attack_lab
    attack_lab.reset()


@pytest.fixture(scope="session")
def attack_driver(browser) -> Iterator[Callable[[str], BrowserDriver]]:  # type: ignore[no-untyped-def]
    """``attack_driver(target_name)``: that target's browser context (made once, reused)."""
    drivers: dict[str, BrowserDriver] = {}

    def get(name: str) -> BrowserDriver:
        if name not in drivers:
            drivers[name] = BrowserDriver(browser.new_context())
        return drivers[name]

    yield get
    for driver in drivers.values():
        driver.context.close()


@pytest.fixture
def attack_matrix(sso_proxy) -> Iterator[Callable[[BatteryRun], BatteryRun]]:  # type: ignore[no-untyped-def]
    """``attack_matrix(run)``: attach the run's matrix to this test in the Allure report (at once, so it
    belongs to the test's body, not its teardown), and give the run back."""

    def report(run: BatteryRun) -> BatteryRun:
        attach_matrix([run], name=f"attack matrix: {run.target}")
        return run

    yield report
    # The hops of a battery are not reported one by one; they need not stay in memory.
    sso_proxy.recorder.discard_before(sso_proxy.recorder.mark())


@pytest.fixture(scope="session")
def ssp_sp_peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SimpleSamlPhp, MockPartners]]:
    """SimpleSAMLphp's SP federated with a mock IdP whose key the harness holds (peers lane)."""
    verdict = when_missing("SimpleSAMLphp", missing_simplesamlphp())
    if verdict is not None:
        action, message = verdict
        if action == "fail":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    work: Path = tmp_path_factory.mktemp("attack-simplesamlphp")
    user = SspUser("alice", secrets.token_urlsafe(12), {"uid": ("alice",), "mail": ("alice@peers.example",)})
    with MockPartners(work) as mocks:
        settings = SspSettings(users=(user,), remote_sps=(SspRemoteSp(mocks.sp_entity),), remote_idps=(mocks.idp_entity,),
                               cookie_prefix="sspattack")
        with SimpleSamlPhp(settings, work / "ssp") as ssp:
            mocks.federate(ssp)
            yield ssp, mocks
