"""The test tree mirrors the source tree, and every test folder is imported the same way.

Each folder under ``tests/`` and ``e2e/`` is a package, so a helper module is
imported relatively (``from .builders import ...``) and two folders may hold
files of the same name. A bare ``from builders import ...`` would only work
through pytest's sys.path insertion for one folder at a time. Across the
two suites, ``e2e`` imports ``tests.<folder>.<helper>`` absolutely.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SUITES = ("tests", "e2e")
# Source layer folders that the unit tests mirror (tests/<layer>/...).
LAYER_FOLDERS = {
    "protocols", "capture", "trace", "expect", "diagnose", "report", "browser", "targets", "plugin", "apps", "mocks",
}


def _folders() -> list[Path]:
    return sorted({p.parent for suite in SUITES for p in (REPO / suite).rglob("*.py") if "__pycache__" not in p.parts})


def test_every_test_folder_is_a_package() -> None:
    assert [str(f.relative_to(REPO)) for f in _folders() if not (f / "__init__.py").is_file()] == []


def test_helpers_are_imported_relatively() -> None:
    helpers = {p.stem for suite in SUITES for p in (REPO / suite).rglob("*.py")
               if not p.name.startswith("test_") and p.name not in ("conftest.py", "__init__.py")}
    bare = []
    for suite in SUITES:
        for path in (REPO / suite).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    if node.module.split(".")[0] in helpers | LAYER_FOLDERS or node.module.startswith("test_"):
                        bare.append(f"{path.relative_to(REPO)}:{node.lineno} from {node.module}")
    assert bare == []


def test_unit_test_folders_are_named_after_source_layers() -> None:
    top = {p.name for p in (REPO / "tests").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert top - {"architecture"} <= LAYER_FOLDERS, top - LAYER_FOLDERS
    for folder in (REPO / "tests" / "apps").iterdir():
        if folder.is_dir() and folder.name != "__pycache__":
            assert (REPO / "flows" / "apps" / folder.name).is_dir(), folder
