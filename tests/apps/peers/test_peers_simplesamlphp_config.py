"""SimpleSAMLphp's generated configuration folder, read back by PHP itself."""

from __future__ import annotations

import dataclasses

import json
import subprocess
from pathlib import Path

import pytest

from sso_harness.apps.peers.install import simplesamlphp_root
from sso_harness.apps.peers.php import php_literal
from sso_harness.apps.peers.saml_entities import Endpoint, SamlEntity
from sso_harness.apps.peers.simplesamlphp_config import (
    EMAIL_FORMAT,
    IDP_AUTHSOURCE,
    SP_AUTHSOURCE,
    SspRemoteSp,
    SspSecrets,
    SspSettings,
    SspUser,
    render_config,
    write_config,
)

POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SP = SamlEntity("http://127.0.0.1:4100/metadata", "sp", acs=(Endpoint(POST, "http://127.0.0.1:4100/acs"),),
                signing_certs_b64=("MIIsp==",))
IDP = SamlEntity("http://127.0.0.1:4200/metadata", "idp", sso=(Endpoint(REDIRECT, "http://127.0.0.1:4200/sso"),),
                 signing_certs_b64=("MIIidp==",))
USER = SspUser("alice", "pw-'quoted'", {"uid": ("alice",), "mail": ("alice@peers.example",), "eduPersonAffiliation": ("member", "staff")})


def _secrets(root: Path) -> SspSecrets:
    return SspSecrets(secret_salt="salt-1", admin_password="admin-1", idp_key_file=root / "k" / "idp.key.pem",
                      idp_cert_file=root / "k" / "idp.cert.pem", sp_key_file=root / "k" / "sp.key.pem",
                      sp_cert_file=root / "k" / "sp.cert.pem")


def _settings() -> SspSettings:
    return SspSettings(users=(USER,), remote_sps=(SspRemoteSp(SP),), remote_idps=(IDP,))


def _read(php: str, path: Path, variable: str, port: int = 4321) -> dict:
    # SimpleSAMLphp includes these files from a web request; SERVER_PORT is what php -S sets.
    # SimpleSAMLphp's own autoloader resolves the constants the files name (the logger level).
    autoload = simplesamlphp_root() / "vendor" / "autoload.php"
    code = (f"$_SERVER['SERVER_PORT'] = '{port}'; require {php_literal(str(autoload))}; "
            f"include {php_literal(str(path))}; echo json_encode(${variable});")
    out = subprocess.run([php, "-r", code], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr + out.stdout
    return json.loads(out.stdout)


def test_every_generated_file_is_valid_php(php: str, tmp_path: Path) -> None:
    write_config(tmp_path, _settings(), _secrets(tmp_path))
    for rel in render_config(tmp_path, _settings(), _secrets(tmp_path)):
        lint = subprocess.run([php, "-l", str(tmp_path / rel)], capture_output=True, text=True, timeout=30)
        assert lint.returncode == 0, f"{rel}: {lint.stdout}{lint.stderr}"
    for folder in ("metadata", "log", "data", "tmp", "sessions", "cert"):
        assert (tmp_path / folder).is_dir()


def test_config_follows_the_servers_port_and_keeps_to_its_folder(php: str, tmp_path: Path) -> None:
    write_config(tmp_path, _settings(), _secrets(tmp_path))
    config = _read(php, tmp_path / "config.php", "config", port=40123)
    assert config["baseurlpath"] == "http://127.0.0.1:40123/"
    for key in ("tempdir", "datadir", "loggingdir", "metadatadir", "session.phpsession.savepath"):
        assert config[key].startswith(str(tmp_path)), key
    assert config["secretsalt"] == "salt-1" and config["auth.adminpassword"] == "admin-1"
    assert config["enable.saml20-idp"] is True and config["module.enable"]["exampleauth"] is True
    assert config["logging.level"] == 6  # Logger::INFO, resolved by SimpleSAMLphp's own autoloader


def test_cookies_have_names_of_their_own_and_work_over_plain_http(php: str, tmp_path: Path) -> None:
    write_config(tmp_path, _settings(), _secrets(tmp_path))
    config = _read(php, tmp_path / "config.php", "config")
    names = [config[k] for k in ("session.cookie.name", "session.phpsession.cookiename", "session.authtoken.cookiename", "language.cookie.name")]
    assert all(n.startswith("sspeer_") for n in names) and len(set(names)) == 4
    # Loopback is plain HTTP: a Secure cookie would never come back and every login would loop.
    assert config["session.cookie.secure"] is False and config["language.cookie.secure"] is False


def test_authsources_hold_the_users_and_the_sp(php: str, tmp_path: Path) -> None:
    write_config(tmp_path, _settings(), _secrets(tmp_path))
    sources = _read(php, tmp_path / "authsources.php", "config")
    userpass = sources[IDP_AUTHSOURCE]
    assert userpass["0"] == "exampleauth:UserPass"
    assert userpass["alice:pw-'quoted'"] == {"uid": ["alice"], "mail": ["alice@peers.example"], "eduPersonAffiliation": ["member", "staff"]}
    sp = sources[SP_AUTHSOURCE]
    assert sp["0"] == "saml:SP" and sp["idp"] == IDP.entity_id
    assert sp["privatekey"] == str(tmp_path / "k" / "sp.key.pem")
    assert "ForceAuthn" not in sp  # off unless asked for


def test_the_sp_can_ask_for_force_authn(php: str, tmp_path: Path) -> None:
    write_config(tmp_path, dataclasses.replace(_settings(), sp_force_authn=True), _secrets(tmp_path))
    assert _read(php, tmp_path / "authsources.php", "config")[SP_AUTHSOURCE]["ForceAuthn"] is True


def test_metadata_describes_the_hosted_idp_and_both_partners(php: str, tmp_path: Path) -> None:
    write_config(tmp_path, _settings(), _secrets(tmp_path))
    hosted = _read(php, tmp_path / "metadata" / "saml20-idp-hosted.php", "metadata")["__DYNAMIC:1__"]
    assert hosted["auth"] == IDP_AUTHSOURCE and hosted["saml20.sign.assertion"] and hosted["saml20.sign.response"]
    assert hosted["signature.algorithm"].endswith("rsa-sha256")
    sp = _read(php, tmp_path / "metadata" / "saml20-sp-remote.php", "metadata")[SP.entity_id]
    assert sp["AssertionConsumerService"] == [{"Binding": POST, "Location": "http://127.0.0.1:4100/acs", "index": 0}]
    assert sp["NameIDFormat"] == EMAIL_FORMAT and sp["simplesaml.nameidattribute"] == "mail"
    assert sp["keys"][0]["X509Certificate"] == "MIIsp==" and sp["keys"][0]["signing"] is True
    idp = _read(php, tmp_path / "metadata" / "saml20-idp-remote.php", "metadata")[IDP.entity_id]
    assert idp["SingleSignOnService"] == [{"Binding": REDIRECT, "Location": "http://127.0.0.1:4200/sso"}]
    assert idp["keys"][0]["X509Certificate"] == "MIIidp=="


def test_a_username_with_a_colon_is_refused() -> None:
    # exampleauth splits "user:password" at the first colon.
    settings = SspSettings(users=(SspUser("a:b", "pw"),))
    with pytest.raises(ValueError, match="cannot contain ':'"):
        render_config(Path("/nowhere"), settings, _secrets(Path("/nowhere")))


def test_secrets_stay_out_of_reprs(tmp_path: Path) -> None:
    assert "salt-1" not in repr(_secrets(tmp_path)) and "admin-1" not in repr(_secrets(tmp_path))
    assert "pw-" not in repr(USER)
