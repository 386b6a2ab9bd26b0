"""Every peer the harness starts listens on 127.0.0.1 only, read from /proc while it runs.

The peers' own processes (php -S, node, apache2 -DFOREGROUND) are children of
this one, so their sockets are found through the process tree; each new
port is also checked for any listener off loopback, whoever owns it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from sso_harness.apps.peers.apache_peer import ApacheInstance
from sso_harness.apps.peers.mock_partners import MockPartners
from sso_harness.apps.peers.oidc_provider_peer import OidcProviderPeer
from sso_harness.apps.peers.simplesamlphp_config import SspSettings
from sso_harness.apps.peers.simplesamlphp_peer import SimpleSamlPhp

from ...capture.listening import listeners, loopback_problems


def _new_ports_on_loopback(start: Callable[[], AbstractContextManager[object]]) -> None:
    before = {l.port for l in listeners()}
    with start():
        new_ports = {l.port for l in listeners()} - before
        assert new_ports, "the peer listens nowhere"
        assert loopback_problems({f"port {p}": f"http://127.0.0.1:{p}" for p in new_ports}) == []


def test_simplesamlphp_listens_on_loopback_only(php: str, tmp_path: Path) -> None:
    _new_ports_on_loopback(lambda: SimpleSamlPhp(SspSettings(users=()), tmp_path / "ssp"))


def test_oidc_provider_listens_on_loopback_only(node: str, tmp_path: Path) -> None:
    _new_ports_on_loopback(lambda: OidcProviderPeer(tmp_path / "op", accounts=()))


def test_the_mock_partners_listen_on_loopback_only(tmp_path: Path) -> None:
    _new_ports_on_loopback(lambda: MockPartners(tmp_path / "mocks"))


def test_apache_listens_on_loopback_only(apache: str, tmp_path: Path) -> None:
    # mellon and openidc peers both run in an ApacheInstance: its Listen line is theirs
    instance = ApacheInstance("loopback", tmp_path / "apache.log")
    before = {l.port for l in listeners()}
    try:
        instance.start((), "# no authentication: the frame only\n", health_path="/protected/")
        new_ports = {l.port for l in listeners()} - before
        assert instance.layout.port in new_ports
        assert loopback_problems({f"port {p}": f"http://127.0.0.1:{p}" for p in new_ports}) == []
    finally:
        instance.stop()
