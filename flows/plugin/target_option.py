"""Target selection for the e2e suites: ``--target NAME`` and ``--targets-file PATH``.

The default target, ``mocks``, is the embedded mock fleet. Naming another
target runs the target-driven flows against it and skips the mock-lane
tests (those that need the ``mock_fleet`` fixture, and the real-peers lane),
with a reason saying so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sso_harness.targets import Target, TargetError, load_targets

__all__ = ["MOCKS", "selected_target_name", "sso_target"]

MOCKS = "mocks"


def selected_target_name(config: pytest.Config) -> str:
    return str(config.getoption("--target", MOCKS) or MOCKS)


def _targets_file(config: pytest.Config) -> Path | None:
    given = config.getoption("--targets-file", None)
    if given:
        return Path(given)
    default = Path(config.rootpath) / "targets.yaml"
    return default if default.exists() else None


def load_selected(config: pytest.Config) -> Target | None:
    """The selected target, or None for the mock fleet. Errors become usage errors."""
    name = selected_target_name(config)
    if name == MOCKS:
        return None
    path = _targets_file(config)
    if path is None:
        raise pytest.UsageError(f"--target {name}: no targets file (pass --targets-file, or create targets.yaml)")
    try:
        targets = load_targets(path)
    except TargetError as exc:
        raise pytest.UsageError(str(exc)) from None
    if name not in targets:
        raise pytest.UsageError(f"--target {name}: not in {path} (it has: {', '.join(sorted(targets)) or 'none'})")
    return targets[name]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    name = selected_target_name(config)
    if name == MOCKS:
        return
    skip = pytest.mark.skip(reason=f"mock lane (the embedded mocks); --target {name} selected")
    for item in items:
        if "mock_fleet" in getattr(item, "fixturenames", ()) or item.get_closest_marker("peers"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def sso_target(pytestconfig: pytest.Config) -> Target | None:
    """The ``--target`` as a :class:`~sso_harness.targets.Target`; None for the mock fleet."""
    return load_selected(pytestconfig)
