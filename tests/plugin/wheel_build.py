"""Build the distribution's wheel once per session, and install it into a venv of its own.

The build works from a copy of the sources in a scratch folder, without build
isolation (offline, with this environment's setuptools): an in-tree build
would leave ``build/`` in the checkout and reuse its stale ``build/lib``.

The venv is real and fresh, and the harness in it is the wheel and nothing
else: ``pip install --no-deps --no-index`` of the built file. Its
*dependencies* (mitmproxy, Playwright, pytest...) cannot be installed into it
offline, so the venv reads them from this environment's site-packages
through a ``.pth`` line, pointing at a folder that mirrors that
site-packages by symlinks *minus* the harness's own development install
(its dist-info and editable finder). A test run in that venv therefore sees
the wheel's ``sso_harness`` or none at all.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterable
from pathlib import Path

__all__ = ["DECOY", "build_wheel", "make_venv", "venv_python"]

REPO = Path(__file__).resolve().parents[2]
# Stands in a copied package folder so "no node_modules in the wheel" is
# checked even on a checkout where npm has not run yet.
DECOY = "apps/peers/oidc_provider/node_modules/decoy"
# Entries of this environment's site-packages the venv must not see: the development install of the harness.
_OWN = ("sso_harness", "__editable__", "__editable___sso_harness")


def build_wheel(scratch: Path, package_dirs: Iterable[str]) -> Path:
    """The built wheel's path (``scratch/dist/*.whl``); raises ``RuntimeError`` with pip's output on failure."""
    source, out = scratch / "source", scratch / "dist"
    source.mkdir(parents=True)
    for path in REPO.iterdir():  # pyproject.toml, README.md (the long description), any setup.cfg
        if path.is_file():
            shutil.copy2(path, source / path.name)
    for folder in package_dirs:
        shutil.copytree(REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    decoy = source / "flows" / DECOY
    decoy.mkdir(parents=True, exist_ok=True)
    (decoy / "package.json").write_text('{"name": "decoy"}\n')
    (decoy / "index.mjs").write_text("export default 1;\n")
    (decoy / "__init__.py").write_text("")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
               "--disable-pip-version-check", "-q", "-w", str(out), str(source)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wheel build failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    built = sorted(out.glob("*.whl"))
    if len(built) != 1:
        raise RuntimeError(f"expected one wheel, got {built}")
    return built[0]


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def make_venv(venv: Path, wheel: Path) -> Path:
    """A fresh venv at ``venv`` with ``wheel`` installed and this environment's other packages readable; its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv_python(venv)
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
               "--disable-pip-version-check", "-q", str(wheel)]
    done = subprocess.run(install, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wheel install failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    deps = venv / "deps"
    deps.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(_OWN) and entry.suffix != ".pth":
            (deps / entry.name).symlink_to(entry)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    # A plain path line: appended after the venv's own site-packages, so the wheel's files come first.
    (Path(site) / "sso_harness_test_deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    return python
