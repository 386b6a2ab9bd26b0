"""The fleet's configuration file, and ``sso-harness mocks serve`` as a real process."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sso_harness.mocks.config import ConfigError, FleetConfig, load_config
from sso_harness.mocks.fleet import MockFleet
from sso_harness.mocks.saml.schema import validate_metadata
from sso_harness.mocks.scenario import IDS
from sso_harness.mocks.serve import serve
from .mock_walker import Walker

ROOT = Path(__file__).resolve().parents[2]


def test_json_toml_and_yaml_configs_read_the_same(tmp_path: Path) -> None:
    data = {"ports": {"entra": 0}, "apps": {"atlassian": {"signing": "both"}}, "jira": {"scopes": "graph"}}
    (tmp_path / "f.json").write_text(json.dumps(data))
    (tmp_path / "f.toml").write_text('[ports]\nentra = 0\n[apps.atlassian]\nsigning = "both"\n[jira]\nscopes = "graph"\n')
    (tmp_path / "f.yaml").write_text("ports:\n  entra: 0\napps:\n  atlassian:\n    signing: both\njira:\n  scopes: graph\n")
    configs = [load_config(tmp_path / name) for name in ("f.json", "f.toml", "f.yaml")]
    assert configs[0] == configs[1] == configs[2] == FleetConfig.from_mapping(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"portz": {}}, "portz: unknown key"),
        ({"ports": {"nope": 1}}, "ports.nope: unknown mock"),
        ({"ports": {"entra": 70000}}, "ports.entra"),
        ({"apps": {"atlassian": {"colour": "red"}}}, "apps.atlassian.colour"),
        ({"users": [{"password": "x"}]}, "upn is required"),
        ({"outbound_proxy": "socks5://x"}, "outbound_proxy"),
        ({"mocks": ["atlassian"]}, "keep 'entra'"),
        ({"jira": {"scope": "x"}}, "jira.scope"),
    ],
)
def test_config_mistakes_name_the_key(data: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError, match=message):
        FleetConfig.from_mapping(data)


def test_an_unreadable_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid toml"):
        (tmp_path / "bad.toml").write_text("[[[")
        load_config(tmp_path / "bad.toml")
    with pytest.raises(ConfigError, match="missing.json"):
        load_config(tmp_path / "missing.json")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_config_shapes_the_fleet(tmp_path: Path) -> None:
    port = _free_port()
    config = FleetConfig.from_mapping(
        {
            "ports": {"jira": port},
            "keys_dir": str(tmp_path / "keys"),
            "users": [{"upn": "new.user@contoso.com", "password": "pw", "mail": "new.user@contoso.com"}],
            "apps": {"atlassian": {"assignment_required": False, "signing": "both"}},
            "jira": {"client_secret": "secret-id", "endpoints": "tenant"},
            "alibaba": {"sso_enabled": False},
        }
    )
    with MockFleet(config) as fleet:
        assert fleet.urls()["jira"] == f"http://127.0.0.1:{port}"
        assert fleet.entra.tenant(fleet.tenant_id).user("new.user@contoso.com") is not None
        app = fleet.entra.enterprise_app(IDS.atlassian_app)[1]
        assert app.signing == "both" and not app.assignment_required
        assert fleet.jira.integration.client_secret == IDS.jira_secret_id
        assert fleet.jira.integration.token_endpoint == fleet.entra.token_url(fleet.tenant_id)
        assert not fleet.alibaba.sso_enabled
        first_cert = fleet.entra.signing_key(IDS.atlassian_app).cert
    assert (tmp_path / "keys" / "entra-app-atlassian.cert.pem").exists()
    with MockFleet(config) as again:  # keys_dir keeps certificates across restarts
        assert again.entra.signing_key(IDS.atlassian_app).cert == first_cert


def test_a_partial_fleet_starts_only_what_is_asked() -> None:
    with MockFleet(FleetConfig(mocks=("idp", "sp"))) as fleet:
        assert set(fleet.urls()) == {"idp", "sp"} and "idp.metadata" in fleet.endpoints()


def test_serve_writes_the_urls_file_and_stops_when_told(tmp_path: Path) -> None:
    stop = threading.Event()
    out = io.StringIO()
    seen: dict[str, str] = {}

    def ready(fleet: MockFleet) -> None:
        seen.update(json.loads((tmp_path / "urls.json").read_text())["mocks"])
        assert Walker().get(fleet.entra.discovery_url("common")).status == 200
        stop.set()

    code = serve(FleetConfig(), urls_file=tmp_path / "urls.json", out=out, stop=stop, on_ready=ready)
    assert code == 0 and set(seen) == {"entra", "jumpcloud", "atlassian", "alibaba", "mitel", "jira", "idp", "sp"}
    text = out.getvalue()
    assert "entra      http://127.0.0.1:" in text and "Mock fleet ready" in text and "Stopping the mock fleet." in text


def _start(args: list[str], tmp_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "sso_harness.apps.cli.mocks", "serve", *args],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _wait_ready(proc: subprocess.Popen[str]) -> list[str]:
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:  # blocks on the child's output; no polling, no sleeping
        lines.append(line)
        if line.startswith("Mock fleet ready"):
            return lines
    raise AssertionError(f"the fleet exited before it was ready: {''.join(lines)} {proc.stderr.read() if proc.stderr else ''}")


def _get(url: str) -> tuple[int, bytes, dict[str, str]]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=20) as r:
        return r.status, r.read(), dict(r.headers)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_mocks_serve_runs_until_a_signal(tmp_path: Path, sig: signal.Signals) -> None:
    (tmp_path / "fleet.json").write_text(json.dumps({"jira": {"scopes": "graph"}}))
    proc = _start(["--config", "fleet.json", "--urls-file", "out/urls.json"], tmp_path)
    try:
        lines = _wait_ready(proc)
        urls = json.loads((tmp_path / "out" / "urls.json").read_text())
        assert any(line.startswith("entra ") and urls["mocks"]["entra"] in line for line in lines)
        endpoints = urls["endpoints"]
        status, body, headers = _get(endpoints["entra.federation_metadata"])
        assert status == 200 and headers["Content-Type"].startswith("text/xml")
        validate_metadata(body)
        status, body, _ = _get(endpoints["entra.openid_configuration"])
        discovery = json.loads(body)
        assert discovery["issuer"] == f"{urls['mocks']['entra']}/{endpoints['entra.tenant_id']}/v2.0"
        status, body, _ = _get(discovery["jwks_uri"])
        assert json.loads(body)["keys"][0]["kid"]
        form = f"grant_type=authorization_code&code=x&redirect_uri=y&client_id={IDS.jira_client}&client_secret={IDS.jira_secret_id}"
        request = urllib.request.Request(endpoints["entra.token"], data=form.encode())
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=20)
        assert answer.value.code == 401 and json.loads(answer.value.read())["error_codes"] == [7000215]
    finally:
        proc.send_signal(sig)
        code = proc.wait(timeout=30)
    assert code == 0
    assert "Stopping the mock fleet." in (proc.stdout.read() if proc.stdout else "")


def test_mocks_serve_with_a_bad_config_exits_2(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"portz": {}}')
    proc = _start(["--config", "bad.json"], tmp_path)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "portz: unknown key" in err
