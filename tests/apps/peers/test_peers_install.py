"""What a missing peer does to a run, and how the peers refuse to start without their binaries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sso_harness.apps.peers import OidcProviderPeer, PeersNotInstalled, SimpleSamlPhp, SspSettings
from sso_harness.apps.peers.install import (
    OIDC_PROVIDER_SOURCE,
    missing_oidc_provider,
    missing_simplesamlphp,
    oidc_provider_script,
    when_missing,
)
from sso_harness.apps.peers.process import PeerProcess, PeerStartError


def test_nothing_missing_means_run() -> None:
    assert when_missing("SimpleSAMLphp", [], {"CI": "true"}) is None


def test_a_missing_peer_fails_under_ci_and_says_how_to_install() -> None:
    verdict = when_missing("SimpleSAMLphp", ["no php binary on PATH (Debian package php-cli)"], {"CI": "true"})
    assert verdict is not None
    action, message = verdict
    assert action == "fail"
    assert "no php binary" in message and "scripts/install-peers.sh" in message


def test_a_missing_peer_is_skipped_on_a_workstation() -> None:
    assert when_missing("oidc-provider", ["no node"], {})[0] == "skip"  # type: ignore[index]
    assert when_missing("oidc-provider", ["no node"], {"CI": ""})[0] == "skip"  # type: ignore[index]


def test_simplesamlphp_elsewhere_or_no_php_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SSO_HARNESS_SIMPLESAMLPHP", str(tmp_path / "nowhere"))
    monkeypatch.setenv("SSO_HARNESS_PHP", "")
    monkeypatch.setenv("PATH", str(tmp_path))
    problems = missing_simplesamlphp()
    assert any("SimpleSAMLphp is not at" in p and "nowhere" in p for p in problems)
    assert any("no php binary" in p for p in problems)
    with pytest.raises(PeersNotInstalled, match="install-peers.sh"):
        SimpleSamlPhp(SspSettings(users=()), tmp_path / "work").start()


def test_oidc_provider_without_node_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SSO_HARNESS_NODE", "")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert any("no node binary" in p for p in missing_oidc_provider())
    with pytest.raises(PeersNotInstalled, match="install-peers.sh"):
        OidcProviderPeer(tmp_path / "work", accounts=()).start()


def test_the_provider_script_refuses_to_start_without_a_client(node: str, tmp_path: Path) -> None:
    script = oidc_provider_script()
    argv = [node, str(script), "--port", "0"]
    proc = PeerProcess(argv, name="oidc-provider", log_path=tmp_path / "log", cwd=script.parent)
    with pytest.raises(PeerStartError) as err:
        proc.start(re.compile(r'"event":"listening"'), timeout=20)
    assert "exited with status 2" in str(err.value)
    assert "--client-id is required" in str(err.value)


def test_the_lock_file_pins_the_provider_that_install_peers_installs() -> None:
    import json

    lock = json.loads((OIDC_PROVIDER_SOURCE / "package-lock.json").read_text())
    wanted = json.loads((OIDC_PROVIDER_SOURCE / "package.json").read_text())["dependencies"]["oidc-provider"]
    assert lock["packages"]["node_modules/oidc-provider"]["version"] == wanted
    assert lock["packages"]["node_modules/oidc-provider"]["integrity"].startswith("sha512-")


def test_a_configuration_that_does_not_load_is_reported_with_the_servers_words(
    php: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sso_harness.apps.peers.simplesamlphp_peer as peer_module

    real_write = peer_module.write_config

    def write_broken(root, settings, secrets):  # type: ignore[no-untyped-def]
        real_write(root, settings, secrets)
        (root / "config.php").write_text("<?php $config = [ 'baseurlpath' => ;\n")

    monkeypatch.setattr(peer_module, "write_config", write_broken)
    ssp = SimpleSamlPhp(SspSettings(users=()), tmp_path)
    with pytest.raises(PeerStartError) as err:
        ssp.start()
    message = str(err.value)
    # SimpleSAMLphp answers 200 with an HTML error page: only a readable EntityDescriptor is "ready".
    assert "did not serve IDP metadata at" in message and "/saml2/idp/metadata.php" in message
    assert "Configuration error" in message  # the page's words
    assert 'syntax error, unexpected token ";"' in message  # SimpleSAMLphp's log line, from the server output
    assert ssp._process is None  # stopped, nothing left running
