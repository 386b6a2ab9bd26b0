"""The README's example test passes in a user's project that has only the built wheel installed.

The project is a scratch folder with its own ``flows`` package (the name the
harness's checkout uses on disk), a ``pytest.ini`` and the test file, and no
conftest.py; it runs under the python of a fresh venv holding the wheel
(``conftest.wheel_venv``: dependencies are read from this environment, the
harness only from the wheel). The test file is the README's
"What a test looks like" code, extracted, not a copy: the README cannot
drift from what works. ``sso-harness run`` from that venv, in an empty
folder, runs one flow of the packaged suite.

These drive a real Chromium, hence the ``e2e`` mark.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
SECTION = "## What a test looks like\n"

USER_FILES = {
    "pytest.ini": "[pytest]\n",
    "flows/__init__.py": '"""The user\'s own flows."""\n',
    "flows/steps.py": 'START = "/protected/reports?quarter=q3"\n',
}

# Where everything came from, checked in the same run: the wheel's harness, the user's flows.
WHERE_TEST = '''
from pathlib import Path

import flows
import sso_harness
from flows.steps import START

HERE = Path(__file__).resolve().parent


def test_the_harness_is_the_wheel_s_and_flows_is_mine(request):
    venv = Path({venv!r})
    assert venv in Path(sso_harness.__file__).resolve().parents, sso_harness.__file__
    assert Path(request.config.pluginmanager.get_plugin("sso_harness").__file__).resolve().is_relative_to(venv)
    assert Path({repo!r}) not in Path(sso_harness.__file__).resolve().parents
    assert Path(flows.__file__).resolve().parent == HERE / "flows" and START.startswith("/protected/")
'''


def readme_example() -> str:
    """The Python blocks of the README's "What a test looks like" section, joined."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index(SECTION):]
    section = section[:section.index("\n## ", len(SECTION) - 1)]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert blocks, "the README's example section has no python block"
    return "\n\n".join(blocks)


def _environment() -> dict[str, str]:
    # Nothing from the outer session may steer the inner one (no paths, options, plugins, xdist worker ids).
    return {key: value for key, value in os.environ.items()
            if not key.startswith(("PYTEST_", "PYTHON")) and key != "VIRTUAL_ENV"}


def test_the_readme_example_is_a_test_with_the_documented_fixtures() -> None:
    code = readme_example()
    compile(code, "README.md", "exec")
    assert "def test_" in code and "sp_initiated" in code and "conftest" not in code


def test_the_readme_example_passes_with_only_the_wheel_installed(wheel_venv: Path, tmp_path: Path) -> None:
    project = tmp_path / "user_project"
    venv = wheel_venv.parent.parent
    files = {**USER_FILES, "test_readme_example.py": readme_example(),
             "test_where.py": WHERE_TEST.format(venv=str(venv), repo=str(REPO))}
    for rel, text in files.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, encoding="utf-8")
    command = [str(wheel_venv), "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", "--rootdir", str(project),
               "-c", str(project / "pytest.ini"), "-q", "-rA"]
    done = subprocess.run(command, cwd=project, env=_environment(), capture_output=True, text=True, timeout=600, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    expected = len(re.findall(r"^def test_", readme_example(), flags=re.MULTILINE)) + 1
    assert re.search(rf"\b{expected} passed\b", output), output
    assert not (project / "conftest.py").exists()


def test_run_from_the_installed_package_in_an_empty_folder(wheel_venv: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    reports = tmp_path / "reports"
    script = wheel_venv.with_name("sso-harness")
    command = [str(script), "run", "-k", "atlassian-sp_initiated", "--reports", str(reports)]
    done = subprocess.run(command, cwd=empty, env=_environment(), capture_output=True, text=True, timeout=600, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert re.search(r"\b1 passed\b", output), output
    assert (reports / "junit.xml").is_file() and (reports / "summary.md").is_file()
    assert sorted(p.name for p in empty.iterdir()) == []  # nothing written where it ran but --reports
