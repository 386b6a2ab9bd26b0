"""Target selection for the e2e suites: ``--sso-target NAME`` and ``--sso-targets-file PATH``.

The default target, ``mocks``, is the embedded mock fleet, described by the
packaged targets file ``sso_harness/targets/mocks.yaml``. Naming another
target runs the target-driven flows against it and skips the mock-lane
tests (those that need the ``mock_fleet`` fixture, and the real-peers lane),
with a reason saying so. Only the selected target is read for its secrets:
an unset ``${VAR}`` in another target of the file does not matter.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sso_harness.targets import Target, TargetError, load_target

__all__ = ["MOCKS", "load_selected", "selected_target", "selected_target_name", "sso_flow_target", "sso_target"]

MOCKS = "mocks"


def selected_target_name(config: pytest.Config) -> str:
    return str(config.getoption("--sso-target", MOCKS) or MOCKS)


def _targets_file(config: pytest.Config) -> Path | None:
    given = config.getoption("--sso-targets-file", None)
    if given:
        return Path(given)
    default = Path(config.rootpath) / "targets.yaml"
    return default if default.exists() else None


def selected_target(config: pytest.Config) -> Target:
    """The selected target as written (``{mock.*}`` templates unfilled). Errors become usage errors.

    ``mocks`` without an explicit ``--sso-targets-file`` is the packaged mock
    target; any other name is read from ``--sso-targets-file`` (default
    ``targets.yaml`` in the rootdir).
    """
    name = selected_target_name(config)
    given = config.getoption("--sso-targets-file", None)
    if name == MOCKS and not given:
        from sso_harness.targets.mock_target import mocks_template

        return mocks_template()
    path = _targets_file(config)
    if path is None:
        raise pytest.UsageError(f"--sso-target {name}: no targets file (pass --sso-targets-file, or create targets.yaml)")
    try:
        return load_target(path, name)
    except TargetError as exc:
        raise pytest.UsageError(str(exc)) from None


def load_selected(config: pytest.Config) -> Target | None:
    """The selected target, or None for the embedded mock fleet (the default)."""
    if selected_target_name(config) == MOCKS and not config.getoption("--sso-targets-file", None):
        return None
    return selected_target(config)


def pytest_sessionstart(session: pytest.Session) -> None:
    # Check the selected target's file before anything runs, so its problems are one usage error, not a
    # failing fixture per test.
    load_selected(session.config)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    name = selected_target_name(config)
    if name == MOCKS:
        return
    skip = pytest.mark.skip(reason=f"mock lane (the embedded mocks); --sso-target {name} selected")
    for item in items:
        if "mock_fleet" in getattr(item, "fixturenames", ()) or item.get_closest_marker("peers"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def sso_target(pytestconfig: pytest.Config) -> Target | None:
    """The ``--sso-target`` as a :class:`~sso_harness.targets.Target`; None for the mock fleet."""
    return load_selected(pytestconfig)


@pytest.fixture
def sso_flow_target(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> Target:
    """The selected target, ready to run: one with ``embedded_mocks: true`` is filled from the (reset) mock fleet."""
    target = selected_target(pytestconfig)
    if not target.embedded_mocks:
        return target
    from sso_harness.targets.mock_target import mock_target

    return mock_target(request.getfixturevalue("mock_fleet"), target)
