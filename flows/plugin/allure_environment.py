"""Allure's ``environment.properties``: what this run ran against and with.

Target, IdP kind, SPs, browser and its version, Playwright, pytest, the
harness and Python. Written in Java's properties format (Allure reads it
with ``java.util.Properties``): keys without spaces, ``\\``, newlines and
non-ASCII escaped. Writing merges with a file already there, so parallel
workers (only they saw the browser) and the controller add to one file.
"""

from __future__ import annotations

import os
import platform
import tempfile
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Final

from sso_harness.version import __version__

__all__ = ["ENVIRONMENT_FILE", "dump_properties", "parse_properties", "run_environment", "write_environment"]

ENVIRONMENT_FILE: Final = "environment.properties"


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def run_environment(*, target: str, idp_kind: str | None, sps: list[str], browser: str | None) -> dict[str, str]:
    """The properties of one run; ``browser`` is ``"chromium 131.0.6778.85"`` once a page was opened, else None (left out)."""
    values = {
        "Target": target,
        "IdP.kind": idp_kind or "unknown",
        "SPs": ", ".join(sps) or "none",
        "Playwright": _dist_version("playwright"),
        "pytest": _dist_version("pytest"),
        "sso-harness": __version__,
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
    }
    if browser:
        values["Browser"] = browser
    return values


def _escape(text: str, *, key: bool = False) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif key and ch in " =:#!":
            out.append("\\" + ch)
        elif ord(ch) > 0x7E or ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def dump_properties(values: Mapping[str, str]) -> str:
    """``key=value`` lines, sorted by key, escaped for ``java.util.Properties``."""
    return "".join(f"{_escape(k, key=True)}={_escape(v)}\n" for k, v in sorted(values.items()))


def parse_properties(text: str) -> dict[str, str]:
    """The reverse of :func:`dump_properties` (enough of the format to read what it writes)."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith(("#", "!")):
            continue
        i, key = 0, []
        while i < len(line) and line[i] != "=":
            if line[i] == "\\" and i + 1 < len(line):
                i += 1
            key.append(line[i])
            i += 1
        raw = line[i + 1:]
        values["".join(key)] = raw.encode("latin-1", "backslashreplace").decode("unicode_escape")
    return values


def write_environment(results_dir: Path, values: Mapping[str, str]) -> Path:
    """Merge ``values`` into ``results_dir/environment.properties`` (a value given here wins); its path.

    Written to a temporary file and renamed, so a reader never sees half a file.
    """
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / ENVIRONMENT_FILE
    merged = parse_properties(path.read_text(encoding="latin-1")) if path.is_file() else {}
    merged.update(values)
    fd, tmp = tempfile.mkstemp(dir=results_dir, prefix=f".{ENVIRONMENT_FILE}.")
    try:
        with os.fdopen(fd, "w", encoding="latin-1") as out:
            out.write(dump_properties(merged))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
