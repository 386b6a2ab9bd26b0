"""The built wheel, shared by every test of this folder that needs it (built once per session, per worker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .wheel_build import build_wheel, make_venv

PACKAGE_DIRS = ("flows", "mocks")  # pyproject's package-dir values (test_packaging checks the mapping)


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        return build_wheel(tmp_path_factory.mktemp("wheel"), PACKAGE_DIRS)
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def wheel_venv(built_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh venv holding only the wheel's harness (see :mod:`.wheel_build`)."""
    try:
        return make_venv(tmp_path_factory.mktemp("venv") / "venv", built_wheel)
    except RuntimeError as exc:
        pytest.fail(str(exc))
