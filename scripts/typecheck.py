"""Run mypy (strict, configured in pyproject.toml) over the package as it is installed: ``sso_harness``.

The checkout keeps the design card's layout (``flows/`` is the package,
``mocks/`` installs as ``sso_harness.mocks``), which mypy cannot map to
module names by itself. This builds that mapping as a tree of symbolic
links under ``.cache/typecheck/`` (git-ignored) and checks ``-p sso_harness``
there, so module names, and the errors mypy prints, are the installed ones.

Usage: python scripts/typecheck.py [extra mypy arguments]; exit status is mypy's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def link_tree(repo: Path = REPO) -> Path:
    """(Re)build ``.cache/typecheck/sso_harness`` and return its parent, mypy's search path."""
    root = repo / ".cache" / "typecheck"
    package = root / "sso_harness"
    package.mkdir(parents=True, exist_ok=True)
    wanted = {p.name: p for p in (repo / "flows").iterdir() if p.name != "__pycache__"}
    wanted["mocks"] = repo / "mocks"
    for link in package.iterdir():
        if link.name not in wanted or link.resolve() != wanted[link.name].resolve():
            link.unlink()
    for name, target in wanted.items():
        link = package / name
        if not link.is_symlink():
            link.symlink_to(target)
    return root


def main(argv: list[str]) -> int:
    root = link_tree()
    command = [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"),
               "--cache-dir", str(REPO / ".cache" / "mypy"), "-p", "sso_harness", *argv]
    return subprocess.call(command, cwd=root)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
