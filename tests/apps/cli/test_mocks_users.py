"""`sso-harness mocks serve` lists the test users, their published passwords and what each one shows."""

from __future__ import annotations

import argparse
import importlib
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from sso_harness.apps.cli import mocks as mocks_command
from sso_harness.apps.cli.mocks_users import describe_users, user_rows
from sso_harness.mocks.fleet import MockFleet
from sso_harness.mocks.scenario import ISAIAH_UPN, JONI_GUEST_UPN, NESTOR_UPN


@pytest.fixture(scope="module")
def fleet() -> Iterator[MockFleet]:
    with MockFleet() as started:
        yield started


def _notes(fleet: MockFleet) -> dict[tuple[str, str], tuple[str, str]]:
    return {(title.split(":")[0].split(" ")[0], name): (password, what)
            for title, rows in user_rows(fleet) for name, password, what in rows}


def test_every_user_of_every_mock_is_listed_with_its_password(fleet: MockFleet) -> None:
    notes = _notes(fleet)
    for tenant in fleet.entra.tenants:
        for user in tenant.users:
            assert user.password in (notes[("entra", user.upn)][0], "")
    assert {u.email for u in fleet.jumpcloud.users} == {name for (mock, name) in notes if mock == "jumpcloud"}
    assert notes[("idp", "b.simon@contoso.com")][0] == "Pa55w.rd-simon"


def test_what_each_user_demonstrates_is_read_off_its_entry(fleet: MockFleet) -> None:
    notes = _notes(fleet)
    assert "MFA" in notes[("entra", "diego.siciliani@contoso.com")][1]
    assert "no mailbox" in notes[("entra", "grady.archie@contoso.com")][1]
    assert notes[("entra", JONI_GUEST_UPN)] == ("(at its home tenant)",
                                               "B2B guest: signs in as joni.sherman@northwindtraders.com at its home "
                                               "tenant; groups: Atlassian users")
    alex = notes[("entra", "alex.wilber@fabrikam.com")]
    assert alex[0] == "(at JumpCloud)" and "federated domain fabrikam.com" in alex[1] and "ImmutableID YWxleC53aWxiZXI=" in alex[1]
    assert "differs from the UPN" in notes[("entra", NESTOR_UPN)][1]
    assert "groups: SSO testers, Atlassian users" in notes[("entra", "b.simon@contoso.com")][1]
    assert "AADSTS50020" in notes[("entra", "megan.bowen@northwindtraders.com")][1]
    assert "MFA" in notes[("jumpcloud", ISAIAH_UPN)][1]
    assert "in no group" in notes[("jumpcloud", "pat.outsider@fabrikam.com")][1]


def test_serve_prints_the_table_once_the_fleet_is_ready(fleet: MockFleet, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    def fake_serve(config: Any, *, urls_file: Any, out: Any, on_ready: Any = None, stop: threading.Event | None = None) -> int:
        on_ready(fleet)
        return 0

    # By module: the package ``sso_harness.mocks`` also exports a function named ``serve``.
    monkeypatch.setattr(importlib.import_module("sso_harness.mocks.serve"), "serve", fake_serve)
    args = argparse.Namespace(mocks_command="serve", config=None, urls_file=None)
    assert mocks_command.run(args) == 0
    out = capsys.readouterr().out
    assert out == "\n" + describe_users(fleet)
    assert out.splitlines()[1].startswith("Test users (the mocks' published test passwords")
