"""The OIDC battery against a real relying party, Apache mod_auth_openidc, known only by its target entry.

The RP is started as a user starts it: ``sso-harness peers up --target
openidc-rp`` in a folder outside the repository, which writes the entry
(``openidc-rp`` of the packaged peers targets file) to ``targets.yaml`` and
its values to ``peers.env``. The RP is registered with an OpenID provider at
a loopback issuer that nothing serves until the battery does
(:mod:`sso_harness.apps.security.target_rps`). The control login must be
signed in by the entry's ``signed_in`` rule; every attack must be REJECTED,
or not applicable with a reason, except the one acceptance :data:`EXPECTED`
names with its cause. No peer-specific Python: only the target entry.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sso_harness.apps.cli.run import read_env_file
from sso_harness.apps.peers.install import missing_apache, when_missing
from sso_harness.apps.security.catalogue import OIDC_ATTACKS
from sso_harness.apps.security.driver_browser import BrowserDriver
from sso_harness.apps.security.oidc_battery import OidcBattery
from sso_harness.apps.security.target_rps import serve_target_rp, target_rps
from sso_harness.mocks.attack_lab import serve_attacker_site
from sso_harness.targets import Target
from sso_harness.targets.load import load_targets

from ..peers.peers_up import cli, peers_up, user_env

pytestmark = [pytest.mark.e2e, pytest.mark.peers]

TARGET = "openidc-rp"
# mod_auth_openidc 2.4.12 (Debian 12) skips the ID token's signature check when its alg is "none" in the
# code flow (src/proto.c, oidc_proto_parse_idtoken: the token came over the back channel, OpenID Connect
# Core 1.0 §3.1.3.7 item 6), and this RP's back channel is plain http: an unsigned ID token naming the
# victim is accepted. Every other attack is refused.
EXPECTED = {"oidc-baseline": "ACCEPTED", "oidc-alg-none": "ACCEPTED", "oidc-wrong-key": "REJECTED",
            "oidc-wrong-iss": "REJECTED", "oidc-wrong-aud": "REJECTED", "oidc-expired": "REJECTED",
            "oidc-nonce-mismatch": "REJECTED", "oidc-state-missing": "REJECTED", "oidc-state-mismatch": "REJECTED",
            "oidc-code-injection": "REJECTED", "oidc-redirect-uri": "REJECTED", "oidc-pkce-downgrade": "REJECTED"}


@pytest.fixture(scope="session")
def openidc_rp_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder outside the repository where ``peers up --target openidc-rp`` wrote targets.yaml and peers.env;
    the RP runs until the session ends."""
    verdict = when_missing("mod_auth_openidc", missing_apache("auth_openidc"))
    if verdict is not None:
        action, message = verdict
        if action == "fail":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    # Without any PEER_* value of this environment: peers.env has them.
    with peers_up(tmp_path_factory.mktemp("attack-folder"), (TARGET,), user_env("PEER_")) as folder:
        yield folder


@pytest.fixture(scope="session")
def openidc_rp_env(openidc_rp_folder: Path) -> dict[str, str]:
    """The entry's ``${PEER_*}`` values, as ``peers up`` wrote them."""
    return read_env_file(openidc_rp_folder / "peers.env")


def _target(folder: Path, env: dict[str, str]) -> Target:
    return load_targets(folder / "targets.yaml", env=env, only=TARGET)[TARGET]


def test_mod_auth_openidc_gives_real_verdicts(openidc_rp_folder, openidc_rp_env, browser, attack_matrix) -> None:  # type: ignore[no-untyped-def]
    target = _target(openidc_rp_folder, openidc_rp_env)
    (sp,) = target_rps(target)
    context = browser.new_context()
    # A fresh context per attempt: no RP session or state cookie of one attempt reaches the next.
    driver = BrowserDriver(context, timeout_ms=20_000, new_context=browser.new_context)
    try:
        with serve_attacker_site() as site, serve_target_rp(target, sp) as rp:
            run = OidcBattery(rp, driver, site).run()  # a failed control raises security.control_failed
    finally:
        driver.close()
        context.close()
    attack_matrix(run)

    verdicts = {r.attack_id: r.verdict.value for r in run.results}
    assert verdicts == EXPECTED, [(r.attack_id, r.reason, r.evidence.summary()) for r in run.results
                                  if verdicts[r.attack_id] != EXPECTED.get(r.attack_id)]
    assert [(n.attack_id, bool(n.reason)) for n in run.not_applicable] == [("oidc-mix-up", True)]  # one provider
    assert {a.id for a in OIDC_ATTACKS} == set(verdicts) | {n.attack_id for n in run.not_applicable}
    by_id = {r.attack_id: r for r in run.results}
    control = by_id["oidc-baseline"]
    assert control.evidence.signed_in is True and control.evidence.signed_in_as == "carol"
    # The one acceptance, with its evidence: the RP's own session (its declared signed_in rule held: the
    # protected page and mod_auth_openidc_session) names the victim the unsigned ID token named.
    unsigned = by_id["oidc-alg-none"].evidence
    assert unsigned.signed_in is True and unsigned.signed_in_as == "dave"
    assert any("alg-none" in o for o in unsigned.observations)


def test_attack_command_from_a_folder_outside_the_repository(openidc_rp_folder: Path) -> None:
    """What a user types next to ``peers up``'s files: the whole battery, the control first."""
    argv = [*cli(), "attack", "--target", TARGET, "--config", "targets.yaml", "--env-file", "peers.env", "--json"]
    done = subprocess.run(argv, cwd=openidc_rp_folder, env=user_env("PEER_"), capture_output=True, text=True, timeout=300)
    assert done.stdout, done.stderr[-2000:]
    (report,) = json.loads(done.stdout)["targets"]
    verdicts = {r["id"]: r["verdict"] for r in report["results"]}
    assert report["target"] == "openidc" and verdicts["oidc-baseline"] == "ACCEPTED"  # the control signed in
    assert verdicts == EXPECTED
    assert [n["id"] for n in report["not_applicable"]] == ["oidc-mix-up"]
    assert done.returncode == 1  # the one acceptance: oidc-alg-none
