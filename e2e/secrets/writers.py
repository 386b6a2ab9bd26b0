"""Run each of the harness's writers the way a user would, with the canaries planted.

Each command runs as a subprocess in its own folder under one work root,
with ``TMPDIR`` inside that root too, so whatever a command leaves behind
(reports, bundles, Playwright output, temp files it forgot) is under the
root the scan walks. Its stdout and stderr are saved beside its output, to
be scanned like any other file it wrote.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .canaries import CLIENT_SECRET, FIXED, MFA_USER, PASSWORD, PLAIN_USER, TOTP_SECRET
from .canary_peer import HARNESS_CLIENT, PORTAL_CLIENT, SPA_CLIENT
from .scan import forms_of

__all__ = ["Done", "Workspace", "canary_env", "run_targets", "portal_plugin_project", "tenant_targets", "PLUGIN_TESTS"]

# Each command gets at most this long; the whole module aims at well under three minutes.
_TIMEOUT_S = 240
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Done:
    """How a command ended; its output is in ``folder``'s ``stdout.txt`` and ``stderr.txt``."""

    name: str
    status: int
    folder: Path

    def output(self) -> str:
        """stdout then stderr, whole (to search; show :meth:`tail` instead)."""
        return (self.folder / "stdout.txt").read_text("utf-8", "replace") + (self.folder / "stderr.txt").read_text("utf-8", "replace")

    def tail(self, lines: int = 25) -> str:
        """The output's last lines for a failure message, each canary (and any JWT) masked by its kind,
        so this test's own report never carries one."""
        text = "\n".join(self.output().splitlines()[-lines:])
        for kind, value in FIXED.items():
            for form in forms_of(value):
                text = text.replace(form, f"[canary {kind}]")
        return _JWT.sub("[a JWT]", text)


class Workspace:
    """One folder per command under ``root``; the environment holds the canaries as the targets file asks."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root = root
        (root / "tmp").mkdir(parents=True, exist_ok=True)
        # The commands are a user's, not part of this pytest session: none of its PYTEST_* variables
        # (an xdist worker's name, the current test) may reach them.
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        self.env = {**inherited, **env, "TMPDIR": str(root / "tmp")}

    def run(self, name: str, argv: list[str]) -> Done:
        """``python argv...`` in ``root/name`` (created); never raises on a non-zero status."""
        folder = self.root / name
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "stdout.txt").open("wb") as out, (folder / "stderr.txt").open("wb") as err:
            status = subprocess.run([sys.executable, *argv], cwd=folder, env=self.env, stdout=out, stderr=err,
                                    timeout=_TIMEOUT_S, check=False).returncode
        return Done(name, status, folder)


def canary_env(issuer: str, portal: str) -> dict[str, str]:
    """The variables the targets files and the plugin project read."""
    return {"CANARY_OP_ISSUER": issuer, "CANARY_PORTAL": portal, "CANARY_PASSWORD": PASSWORD,
            "CANARY_TOTP_SECRET": TOTP_SECRET, "CANARY_CLIENT_SECRET": CLIENT_SECRET, "CANARY_MFA_USER": MFA_USER,
            "CANARY_PLAIN_USER": PLAIN_USER}


def run_targets() -> str:
    """The targets file of ``sso-harness run``: the harness as a client (passing, and failing on a claim),
    the portal, and its single-page app (failing: it expects an error that never comes); every sign-in
    takes the password and a TOTP code. The test runs ``-k "harness or spa"``."""
    harness = {"client_id": HARNESS_CLIENT, "client_secret": "${CANARY_CLIENT_SECRET}", "scopes": ["openid", "email"],
               "flows": ["oidc_client"]}
    return yaml.safe_dump({"targets": {"canary": {
        "description": "the canary provider and portal (e2e/secrets)",
        "allow_egress": False,
        "idp": {"kind": "generic", "issuer": "${CANARY_OP_ISSUER}",
                "login": {"driver": "jumpcloud", "totp_secret": "${CANARY_TOTP_SECRET}"}},
        "sps": {
            "harness": {**harness, "expect": {"id_token": {"email": "{user.email}"}, "userinfo": {"email": "{user.email}"},
                                              "refresh_token": True}},
            "harness-wrong": {**harness, "expect": {"id_token": {"email": "someone.else@peer.example"}}},
            "portal": {"client_id": PORTAL_CLIENT, "sign_on_url": "${CANARY_PORTAL}/login",
                       "landing_url": "${CANARY_PORTAL}/home", "flows": ["oidc"]},
            "spa": {"client_id": SPA_CLIENT, "sign_on_url": "${CANARY_PORTAL}/spa/login",
                    "landing_url": "${CANARY_PORTAL}/spa/home", "flows": ["oidc"], "expect": {"error": "access_denied"}},
        },
        "users": [{"username": MFA_USER, "password": "${CANARY_PASSWORD}", "email": MFA_USER}],
    }}}, sort_keys=False)


def tenant_targets(filled_mock_tenant: dict[str, Any]) -> str:
    """The mock tenant's ``mock-tenant`` entry, filled with the running fleet's URLs, as a plain targets file:
    its Atlassian SP only, the user's password and TOTP secret from the environment."""
    entry = dict(filled_mock_tenant)
    entry.pop("embedded_mocks", None)
    entry["description"] = "the mock fleet's tenant, its user's password and TOTP secret being canaries"
    entry["idp"] = {**entry["idp"], "login": {"driver": "entra", "totp_secret": "${CANARY_TOTP_SECRET}"}}
    entry["sps"] = {"atlassian": entry["sps"]["atlassian"]}
    entry["users"] = [{**entry["users"][0], "password": "${CANARY_PASSWORD}"}]
    return yaml.safe_dump({"targets": {"canary-tenant": entry}}, sort_keys=False)


PLUGIN_TESTS = textwrap.dedent('''
    """A team's own SSO tests on the harness's pytest plugin (written as its README shows)."""

    import os

    from sso_harness.browser.drivers import JumpCloudLogin
    from sso_harness.browser.journeys import oauth_code
    from sso_harness.browser.login import Credentials
    from sso_harness.browser.oidc_client import OidcClientConfig, oidc_as_client
    from sso_harness.expect import expect

    PORTAL = os.environ["CANARY_PORTAL"]


    def _sign_in_to_portal(page, sso_capture):
        return oauth_code(page, sso_capture, start_url=PORTAL + "/login",
                          login=JumpCloudLogin(totp_secret=os.environ["CANARY_TOTP_SECRET"]),
                          credentials=Credentials(os.environ["CANARY_MFA_USER"], os.environ["CANARY_PASSWORD"]),
                          until=PORTAL + "/home")


    def _as_client(page, sso_capture, sso_proxy):
        config = OidcClientConfig(issuer=os.environ["CANARY_OP_ISSUER"], client_id="canary-harness",
                                  client_secret=os.environ["CANARY_CLIENT_SECRET"], userinfo=True)
        return oidc_as_client(page, sso_capture, config, proxy_url=sso_proxy.url, cafile=str(sso_proxy.ca_cert_path),
                              login=JumpCloudLogin(totp_secret=os.environ["CANARY_TOTP_SECRET"]),
                              credentials=Credentials(os.environ["CANARY_MFA_USER"], os.environ["CANARY_PASSWORD"]))


    def test_portal_signs_in(page, sso_capture):
        _sign_in_to_portal(page, sso_capture)
        assert page.locator("#signed-in").is_visible()


    def test_portal_shows_the_admin_menu(page, sso_capture):
        _sign_in_to_portal(page, sso_capture)
        assert "Administration" in page.content()


    def test_the_provider_sends_the_right_email(page, sso_capture, sso_proxy):
        run = _as_client(page, sso_capture, sso_proxy)
        expect(run.trace).id_token.claim("email").has("someone.else@peer.example")


    def test_no_refresh_token_without_offline_access(page, sso_capture, sso_proxy):
        run = _as_client(page, sso_capture, sso_proxy)
        assert run.token_response.get("refresh_token") is None
''')


def portal_plugin_project(folder: Path) -> Path:
    """A user's project: its own ``pytest.ini`` (so the checkout's settings do not apply) and one test module."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (folder / "test_portal_sso.py").write_text(PLUGIN_TESTS, encoding="utf-8")
    return folder
