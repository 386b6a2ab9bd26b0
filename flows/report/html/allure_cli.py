"""Finding, installing and running the Allure 2 command line (npm ``allure-commandline``, a Java program).

Which ``allure`` runs, first match wins: ``$SSO_HARNESS_ALLURE``; the copy
in the tools folder's ``allure/node_modules`` (:mod:`sso_harness.tools_dir`);
``allure`` on PATH. When there is none, :func:`ensure_allure` installs it
into the tools folder with npm from the ``package-lock.json`` shipped in
the package (``sso_harness/report/allure/``), so a pip install needs no
checkout; it says where. Java and npm come from the system (Debian:
``default-jre-headless``, ``npm``); ``scripts/install-allure.sh`` installs
them in a checkout.

:func:`generate_allure_report` writes two reports from one results folder:
the served one (``allure open``) and a single file (``--single-file``) that
opens from ``file://``, as a CI artifact usually is. It carries Allure's
history: the previous report's ``history/`` is copied into the results
first, so trends and retries span runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sso_harness.tools_dir import npm_install, tool_dir

__all__ = [
    "AllureRun", "INSTALL_HINT", "SINGLE_FILE_NAME", "allure_executable", "carry_history", "ensure_allure",
    "generate_allure_report", "local_allure",
]

# The tool's folder name; scripts/install-allure.sh installs under the same name.
ALLURE_TOOL = "allure"
# The npm manifests shipped in the package (package data of sso_harness.report).
_MANIFESTS = Path(__file__).resolve().parent.parent / "allure"
_LOCAL_BIN = Path("node_modules") / ".bin" / "allure"
#: The single-file report, next to the served report's folder.
SINGLE_FILE_NAME = "allure-report.html"

INSTALL_HINT = ("sso-harness report installs it itself when Java and npm are present (Debian: apt-get install "
                "default-jre-headless npm); or set SSO_HARNESS_ALLURE to an allure binary")


def local_allure() -> Path:
    """Where the harness installs the command (it may not be there)."""
    return tool_dir(ALLURE_TOOL) / _LOCAL_BIN


@dataclass(frozen=True)
class AllureRun:
    """``report_dir`` is the served report, ``single_file`` the one-file report (None when not written)."""

    ok: bool
    message: str
    report_dir: Path | None = None
    single_file: Path | None = None


def allure_executable() -> str | None:
    for candidate in (os.environ.get("SSO_HARNESS_ALLURE"), str(local_allure()), shutil.which("allure")):
        if candidate and os.path.exists(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _has_java() -> bool:
    return shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))


def ensure_allure(*, install: bool = True, say: Callable[[str], None] = print) -> tuple[str | None, str]:
    """The ``allure`` to run and a note; installs it into the tools folder when it is missing and ``install``.

    Returns ``(None, reason)`` when there is none and it cannot be installed
    (no Java, no npm, npm failed); never raises.
    """
    exe = allure_executable()
    if exe is not None:
        return exe, ""
    if not install:
        return None, f"the Allure command line is not installed; {INSTALL_HINT}"
    if not _has_java():
        return None, "Java is not installed (Allure runs on it): apt-get install default-jre-headless"
    npm = shutil.which("npm")
    if npm is None:
        return None, "npm is not installed, so the Allure command line cannot be installed: apt-get install npm"
    folder = tool_dir(ALLURE_TOOL)
    say(f"installing the Allure command line (npm allure-commandline) into {folder}")
    try:
        npm_install(ALLURE_TOOL, _MANIFESTS, expect=[str(_LOCAL_BIN)], npm=npm, say=say)
    except (OSError, subprocess.CalledProcessError) as exc:
        return None, f"installing the Allure command line into {folder} failed: {exc}"
    exe = allure_executable()
    if exe is None:
        return None, f"npm finished but {folder / _LOCAL_BIN} is missing"
    return exe, f"installed the Allure command line in {folder}"


def carry_history(previous: Path | None, results: Path) -> int:
    """Copy a previous report's ``history/`` into ``results/history``; the number of files copied.

    ``previous`` is a report folder (holding ``history/``) or a ``history``
    folder itself (what a CI cache keeps); a missing one copies nothing.
    """
    if previous is None:
        return 0
    source = previous / "history" if (previous / "history").is_dir() else previous
    files = [f for f in source.glob("*.json")] if source.is_dir() else []
    if not files:
        return 0
    dest = results / "history"
    dest.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copyfile(f, dest / f.name)
    return len(files)


def _run(args: list[str], timeout: float) -> str | None:
    """None when the command succeeded, else why not."""
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"allure generate failed: {exc}"
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return "allure generate failed: " + " | ".join(tail)
    return None


def generate_allure_report(
    results: Path,
    out: Path,
    *,
    history: Path | None = None,
    single_file: bool = True,
    install: bool = True,
    timeout: float = 300,
    say: Callable[[str], None] = print,
) -> AllureRun:
    """``allure generate --clean -o OUT RESULTS``, then the single-file report; never raises.

    History comes from ``history`` (a previous report or its ``history``
    folder), else from the report already at ``out``, which ``--clean``
    would otherwise wipe. The single file is written to
    ``OUT/../allure-report.html``.
    """
    if not results.is_dir() or not any(p for p in results.iterdir() if p.name.endswith("-result.json")):
        return AllureRun(False, f"no Allure results in {results}: run the flows first (sso-harness run)")
    exe, note = ensure_allure(install=install, say=say)
    if exe is None:
        return AllureRun(False, note)
    if not _has_java():
        return AllureRun(False, "Java is not installed (Allure runs on it): apt-get install default-jre-headless")
    carried = carry_history(history if history is not None else out, results)
    failed = _run([exe, "generate", "--clean", "-o", str(out), str(results)], timeout)
    if failed:
        return AllureRun(False, failed)
    lines = [f"Allure report: {out / 'index.html'}  (serve it: allure open {out})"]
    if carried:
        lines.append(f"Allure history: {carried} files carried from {history if history is not None else out}")
    single: Path | None = None
    if single_file:
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=out.parent, prefix=".allure-single-") as tmp:
            failed = _run([exe, "generate", "--clean", "--single-file", "-o", tmp, str(results)], timeout)
            if failed:
                return AllureRun(False, failed, out)
            single = out.parent / SINGLE_FILE_NAME
            shutil.move(str(Path(tmp) / "index.html"), single)
        lines.append(f"Allure single-file report (opens from file://): {single}")
    return AllureRun(True, "\n".join(lines), out, single)
