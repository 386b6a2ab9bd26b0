"""The secrets a target resolves, and the passwords a driver is handed, go into the process's secret book."""

from __future__ import annotations

from pathlib import Path

from sso_harness.browser.login import Credentials
from sso_harness.protocols.secrets import secret_book
from sso_harness.targets import load_target

TARGETS = """
targets:
  tenant:
    idp:
      kind: generic
      issuer: https://idp.test
      login: {driver: form, totp_secret: "${TOTP}"}
    sps:
      app:
        sign_on_url: https://app.test/login
        flows: [oidc_client]
        client_id: app
        client_secret: "${CLIENT_SECRET}"
    users:
      - {username: alice@test, password: "${PASSWORD}"}
"""


def test_a_targets_files_resolved_secrets_are_in_the_book(tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text(TARGETS)
    env = {"TOTP": "JBSWY3DPEHPK3PXPREGBOOK", "CLIENT_SECRET": "client-secret-book-1", "PASSWORD": "password-book-2"}
    load_target(path, "tenant", env=env)
    assert set(env.values()) <= secret_book().values()
    assert "alice@test" not in secret_book()


def test_credentials_register_their_password() -> None:
    creds = Credentials("bob@test", "password-typed-book-3")
    assert "password-typed-book-3" in secret_book() and "password-typed-book-3" not in repr(creds)
