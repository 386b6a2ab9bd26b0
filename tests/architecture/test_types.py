"""mypy --strict over the installed package name, with the configuration in pyproject.toml.

Part of the test command, so a type error fails the build like any other
test. The check runs through ``scripts/typecheck.py``, which maps the
checkout's folders to ``sso_harness`` module names.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_mypy_strict_finds_no_errors() -> None:
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "typecheck.py")],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert re.search(r"Success: no issues found in \d+ source files", done.stdout), done.stdout


def test_every_type_ignore_names_its_code() -> None:
    bare = [
        f"{path.relative_to(REPO)}:{n}"
        for folder in ("flows", "mocks") for path in sorted((REPO / folder).rglob("*.py"))
        if "node_modules" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"#\s*type:\s*ignore(?!\[)", line)
    ]
    assert bare == []
