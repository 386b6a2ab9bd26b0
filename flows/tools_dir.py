"""Where sso-harness keeps the tools it installs with npm, outside the package source.

The tools: oidc-provider (the peers lane's OpenID Provider), oauth2-mock-server
(a benchmark baseline) and allure-commandline (``sso-harness report``). Each
gets its own folder under the tools folder, holding the checked-in
``package.json``, ``package-lock.json`` and, where there is one, the script
Node runs, next to the ``node_modules`` that ``npm ci`` fills there: Node
resolves a script's imports from the script's own folder, so the script runs
from its copy, never from the package source.

The tools folder is, first match wins:

1. ``$SSO_HARNESS_TOOLS``;
2. ``<checkout>/.cache/tools`` when the package runs from a checkout (the
   editable install: this module sits in the repository's ``flows/`` next to
   ``pyproject.toml``; ``.cache/`` is git-ignored);
3. ``${XDG_CACHE_HOME:-~/.cache}/sso-harness/tools`` otherwise (a pip install).

Installing (``scripts/install-*.sh`` call this module)::

    python -m sso_harness.tools_dir npm-install NAME SOURCE_DIR [SCRIPT ...] [--expect PATH]
    python -m sso_harness.tools_dir path [NAME]

``npm ci`` runs only when the lock file's SHA-256 differs from the one
recorded at the last install (or ``node_modules`` is gone); the checked-in
files are copied on every run, so an edited script is picked up.

Standard library only: this is the base layer.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

__all__ = [
    "ENV",
    "LOCK_FILES",
    "STAMP",
    "current_script",
    "npm_install",
    "tool_dir",
    "tools_dir",
]

ENV = "SSO_HARNESS_TOOLS"
# Recorded in node_modules, so deleting node_modules also forgets the install.
STAMP = Path("node_modules") / ".sso-harness-lock"
LOCK_FILES = ("package.json", "package-lock.json")

_HERE = Path(__file__).resolve().parent
_SUMMARY = "Where sso-harness keeps the tools it installs with npm, outside the package source."


def _checkout() -> Path | None:
    """The repository this module runs from, or None for an installed copy."""
    root = _HERE.parent
    if _HERE.name == "flows" and (root / "pyproject.toml").is_file():
        return root
    return None


def tools_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The tools folder (see the module docstring for the order); not created here."""
    env = os.environ if environ is None else environ
    if env.get(ENV):
        return Path(env[ENV]).expanduser().resolve()
    checkout = _checkout()
    if checkout is not None:
        return checkout / ".cache" / "tools"
    cache = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return cache.expanduser().resolve() / "sso-harness" / "tools"


def tool_dir(name: str, environ: Mapping[str, str] | None = None) -> Path:
    """One tool's folder: its npm files, its script, its ``node_modules``."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"a tool name is one plain folder name, not {name!r}")
    return tools_dir(environ) / name


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _copy_if_changed(source: Path, dest: Path) -> bool:
    """Make ``dest`` a copy of ``source``; True when it was written.

    Written to a temporary file and renamed over ``dest``, so a process
    starting the script at the same moment sees the old or the new copy,
    never half of one (parallel test workers do this).
    """
    data = source.read_bytes()
    if dest.is_file() and dest.read_bytes() == data:
        return False
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def current_script(name: str, source: Path, environ: Mapping[str, str] | None = None) -> Path:
    """The path Node runs for the checked-in script ``source`` of tool ``name``.

    When the tool is installed (its folder exists), the copy there is
    refreshed first if the checked-in script changed since the install, so a
    run never uses a stale script; a tools folder this user cannot write
    keeps its copy. The path is returned whether or not it exists: checking
    the installation is the caller's business.
    """
    folder = tool_dir(name, environ)
    dest = folder / source.name
    if folder.is_dir():
        try:
            _copy_if_changed(source, dest)
        except OSError:
            pass  # read-only tools folder (installed by another user): run the copy it has
    return dest


def npm_install(
    name: str,
    source_dir: Path,
    scripts: Sequence[str] = (),
    *,
    expect: Sequence[str] = (),
    npm: str = "npm",
    environ: Mapping[str, str] | None = None,
    say: Callable[[str], None] = print,
) -> Path:
    """Install tool ``name`` from ``source_dir`` (its package.json, package-lock.json and ``scripts``).

    Copies those files into the tool's folder, then runs ``npm ci`` there when
    the lock file's hash differs from the recorded one, ``node_modules`` is
    missing, or a path in ``expect`` (relative to the tool's folder) is absent.
    Returns the tool's folder. Raises ``subprocess.CalledProcessError`` when
    npm fails and ``FileNotFoundError`` when a source file is missing.
    """
    folder = tool_dir(name, environ)
    folder.mkdir(parents=True, exist_ok=True)
    for file in (*LOCK_FILES, *scripts):
        _copy_if_changed(source_dir / file, folder / file)
    want = _sha256(folder / "package-lock.json")
    stamp = folder / STAMP
    have = stamp.read_text(encoding="utf-8").strip() if stamp.is_file() else None
    missing = [p for p in expect if not (folder / p).exists()]
    if have == want and not missing:
        say(f"{name} is up to date in {folder}")
        return folder
    say(f"installing {name} (npm ci) into {folder}")
    subprocess.run([npm, "ci", "--prefix", str(folder), "--no-audit", "--no-fund", "--loglevel=error"], check=True)
    stamp.write_text(want + "\n", encoding="utf-8")
    return folder


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sso_harness.tools_dir", description=_SUMMARY)
    sub = parser.add_subparsers(dest="command", required=True)
    path = sub.add_parser("path", help="print the tools folder, or one tool's folder")
    path.add_argument("name", nargs="?")
    install = sub.add_parser("npm-install", help="copy a tool's npm files into its folder and npm ci there when needed")
    install.add_argument("name")
    install.add_argument("source_dir", type=Path)
    install.add_argument("scripts", nargs="*", help="files to place next to node_modules (the script Node runs)")
    install.add_argument("--expect", action="append", default=[], help="a path the install must produce (relative)")
    args = parser.parse_args(argv)
    if args.command == "path":
        print(tool_dir(args.name) if args.name else tools_dir())
        return 0
    try:
        npm_install(args.name, args.source_dir, args.scripts, expect=args.expect,
                    say=lambda text: print(f"[tools] {text}", flush=True))
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"[tools] {args.name}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
