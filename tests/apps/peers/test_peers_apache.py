"""The Apache peers: their generated configuration (pure), and a private instance's life (real apache2)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from sso_harness.apps.peers.apache_config import (
    ApacheLayout,
    MellonSettings,
    OpenidcSettings,
    mellon_block,
    mellon_sp_metadata,
    openidc_block,
    render_httpd_conf,
)
from sso_harness.apps.peers.apache_peer import ApacheInstance
from sso_harness.apps.peers.install import missing_apache
from sso_harness.apps.peers.mellon_peer import MellonSp
from sso_harness.apps.peers.process import PeerStartError
from sso_harness.apps.peers.saml_entities import read_entity
from sso_harness.mocks.base.keys import make_keypair

HTTP_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"


def test_the_instance_reads_only_its_own_configuration(tmp_path: Path) -> None:
    conf = render_httpd_conf(ApacheLayout(tmp_path, 8123), ("auth_mellon",), "# body\n")
    assert "Listen 127.0.0.1:8123\n" in conf and "ServerName 127.0.0.1:8123\n" in conf
    directives = [line for line in conf.splitlines() if not line.startswith("#")]
    assert not [line for line in directives if "/etc/apache2" in line]
    assert not [line for line in conf.splitlines() if line.startswith("Include")]
    assert f"PidFile {tmp_path}/run/httpd.pid" in conf
    assert "LoadModule auth_mellon_module modules/mod_auth_mellon.so" in conf
    assert "User " not in conf  # not root: the children stay who started them
    assert "User www-data\nGroup www-data\n" in render_httpd_conf(ApacheLayout(tmp_path, 8123, user="www-data"), (), "")
    assert conf.endswith("# body\n")


def test_mellon_keeps_its_secure_defaults(tmp_path: Path) -> None:
    s = MellonSettings("http://127.0.0.1:1/mellon/metadata", tmp_path / "k", tmp_path / "c", tmp_path / "sp.xml", tmp_path / "idp.xml")
    block = mellon_block(s, tmp_path / "post", tmp_path / "lock")
    # Nothing that weakens signature checking or request signing is set.
    for weakening in ("MellonSignatureMethod", "MellonIdPIgnore", "MellonSendCacheControl", "MellonDoNotVerifyLogoutSignature"):
        assert weakening not in block
    assert "MellonIdPMetadataFile " + str(tmp_path / "idp.xml") in block
    assert "<Location /protected/>\n    AuthType Mellon\n    MellonEnable auth" in block
    assert "SetEnv MELLON_DISABLE_SAMESITE 1" in block  # plain-HTTP loopback only: see mellon_block


def test_mellon_sp_metadata_is_what_an_idp_reads(tmp_path: Path) -> None:
    keys = make_keypair("sp", tmp_path)
    xml = mellon_sp_metadata("http://127.0.0.1:9/mellon/metadata", "http://127.0.0.1:9", keys.cert_b64)
    entity = read_entity(xml, "sp")
    assert entity.entity_id == "http://127.0.0.1:9/mellon/metadata"
    assert [(e.binding, e.location) for e in entity.acs] == [(HTTP_POST, "http://127.0.0.1:9/mellon/postResponse")]
    assert entity.signing_certs_b64 == (keys.cert_b64,)
    assert 'AuthnRequestsSigned="true" WantAssertionsSigned="true"' in xml


def test_openidc_uses_pkce_and_the_proxy_only_when_given() -> None:
    s = OpenidcSettings("http://op/.well-known/openid-configuration", "rp", "s3cret", "http://rp/protected/redirect_uri", "pass")
    block = openidc_block(s)
    assert "OIDCPKCEMethod S256" in block and "OIDCResponseType code" in block
    assert "OIDCRedirectURI http://rp/protected/redirect_uri" in block
    assert "OIDCOutgoingProxy" not in block
    assert "OIDCOutgoingProxy 127.0.0.1:3128\n" in openidc_block(OpenidcSettings(**{**s.__dict__, "outgoing_proxy": "127.0.0.1:3128"}))


def test_a_missing_apache_says_which_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SSO_HARNESS_APACHE", str(tmp_path / "no-apache2"))
    problems = missing_apache("auth_mellon")
    assert any("Debian package apache2" in p for p in problems)


def _port_free(port: int) -> bool:
    """Free for a new server: SO_REUSEADDR, as servers bind (the health check leaves a TIME_WAIT)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_an_instance_serves_the_protected_page_and_leaves_nothing_behind(apache: str, tmp_path: Path) -> None:
    instance = ApacheInstance("plain", tmp_path / "apache.log")
    port, root = instance.layout.port, instance.root
    assert not _port_free(port)  # reserved from construction until start
    try:
        page = instance.start((), "# no authentication: the frame only\n", health_path="/protected/")
        assert '<p id="remote-user">(none)</p>' in page  # SSI ran; nobody signed in
    finally:
        instance.stop()
    assert not root.exists()
    assert _port_free(port)
    assert "resuming normal operations" in (tmp_path / "apache.log").read_text()


def test_a_configuration_apache_rejects_is_reported_with_its_words(apache: str, tmp_path: Path) -> None:
    instance = ApacheInstance("broken", tmp_path / "apache.log")
    with pytest.raises(PeerStartError) as failure:
        instance.start((), "NoSuchDirective on\n", health_path="/")
    assert "NoSuchDirective" in str(failure.value)
    assert not instance.root.exists()


def test_mellon_refuses_to_start_without_readable_idp_metadata(apache: str, tmp_path: Path) -> None:
    with pytest.raises(PeerStartError):
        MellonSp(tmp_path, "<not-metadata/>").start()
