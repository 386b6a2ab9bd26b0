"""A user's project keeps its own ``flows`` and ``mocks`` packages next to the harness.

The harness installs one import name, ``sso_harness``; its pytest plugin
loads from the ``pytest11`` entry point. A project that has folders called
``flows`` and ``mocks`` of its own (the names the harness's checkout uses on
disk) must import its own modules under those names and still get the
plugin's fixtures, with no conftest.py. Each run is a subprocess of this
environment's Python in a scratch project whose own ``pytest.ini`` is the
configuration, so this repository's conftest.py and pyproject play no part.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PYTEST_SCRIPT = Path(sys.executable).with_name("pytest")

USER_FILES = {
    "pytest.ini": "[pytest]\n",
    "flows/__init__.py": '"""The user\'s own flows."""\n',
    "flows/steps.py": 'def greeting(name: str) -> str:\n    return f"hello {name}"\n',
    "mocks/__init__.py": '"""The user\'s own mocks."""\n',
    # Same module name as the harness's sso_harness.mocks.fleet, different content.
    "mocks/fleet.py": 'OWNER = "user"\n',
}

USER_TEST = '''
from pathlib import Path

import flows
import mocks
import sso_harness.mocks
from flows.steps import greeting
from mocks.fleet import OWNER

HERE = Path(__file__).resolve().parent
HARNESS_MOCKS = Path({harness_mocks!r})


def test_mine(sso_target, request):
    assert sso_target is None  # the plugin's fixture: the default target, the embedded mocks
    assert request.config.pluginmanager.has_plugin("sso_harness")
    assert greeting("Ada") == "hello Ada" and OWNER == "user"
    assert Path(flows.__file__).resolve().parent == HERE / "flows"
    assert Path(mocks.__file__).resolve().parent == HERE / "mocks"
    assert Path(sso_harness.mocks.__file__).resolve().parent == HARNESS_MOCKS
'''

# The same project, asserting what must NOT hold: that ``mocks`` is the harness's.
INVERTED_TEST = '''
from pathlib import Path

import mocks


def test_mocks_is_the_harness_s():
    assert Path(mocks.__file__).resolve().parent == Path({harness_mocks!r}), "mocks is the user's"
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "user_project"
    harness_mocks = str((REPO / "mocks").resolve())
    files = {
        **USER_FILES,
        "test_mine.py": USER_TEST.format(harness_mocks=harness_mocks),
        "test_inverted.py": INVERTED_TEST.format(harness_mocks=harness_mocks),
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _environment() -> dict[str, str]:
    # Nothing from the outer session may steer the inner one: no extra paths,
    # options or plugins, and entry-point autoloading left on.
    return {
        key: value for key, value in os.environ.items()
        if not key.startswith("PYTEST_") and key not in ("PYTHONPATH", "PYTHONSTARTUP", "PYTHONSAFEPATH")
    }


def _run(launcher: list[str], project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [*launcher, "-p", "no:cacheprovider", "--rootdir", str(project), "-c", str(project / "pytest.ini"), *args]
    return subprocess.run(command, cwd=project, env=_environment(), capture_output=True, text=True,
                          timeout=300, check=False)


LAUNCHERS = {
    "python -m pytest": [sys.executable, "-m", "pytest"],
    "pytest script": [str(PYTEST_SCRIPT)],
}


@pytest.mark.parametrize("launcher", list(LAUNCHERS))
def test_the_user_s_flows_and_mocks_win_and_the_plugin_loads(launcher: str, project: Path) -> None:
    done = _run(LAUNCHERS[launcher], project, "test_mine.py")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "1 passed" in output
    assert f"rootdir: {project}" in output
    assert "configfile: pytest.ini" in output


def test_without_the_plugin_the_fixture_is_missing(project: Path) -> None:
    done = _run(LAUNCHERS["python -m pytest"], project, "-p", "no:sso_harness", "test_mine.py")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "fixture 'sso_target' not found" in output
    assert "1 error" in output


def test_the_import_checks_can_fail(project: Path) -> None:
    done = _run(LAUNCHERS["pytest script"], project, "test_inverted.py")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "mocks is the user's" in output
    assert "1 failed" in output


# The fixtures docs/api.md documents as the public API, all from the installed plugin.
PUBLIC_FIXTURES = ("sp_initiated", "idp_initiated", "oidc_login", "mock_user", "mock_fleet", "sso_mock_fleet",
                   "inject_fault", "sso_capture", "sso_proxy", "sso_target")


def test_the_public_fixtures_come_from_the_plugin(project: Path) -> None:
    done = _run(LAUNCHERS["python -m pytest"], project, "--fixtures", "test_mine.py")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    listed = {line.split(" ", 1)[0] for line in output.splitlines() if line and not line.startswith(" ")}
    assert sorted(set(PUBLIC_FIXTURES) - listed) == [], output
    assert "fixtures defined from sso_harness.plugin.journeys" in output
