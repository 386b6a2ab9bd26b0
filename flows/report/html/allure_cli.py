"""Finding and running the Allure 2 command line (npm ``allure-commandline``, a Java program).

``scripts/install-allure.sh`` installs it into the tools folder's ``allure/node_modules``
(:mod:`sso_harness.tools_dir`) from the checked-in ``flows/report/allure/package-lock.json``.
``$SSO_HARNESS_ALLURE`` names another binary; ``allure`` on PATH is the last resort.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sso_harness.tools_dir import tool_dir

__all__ = ["AllureRun", "allure_executable", "generate_allure_report", "INSTALL_HINT"]

# The tool's folder name; scripts/install-allure.sh installs under the same name.
ALLURE_TOOL = "allure"


def local_allure() -> Path:
    """Where scripts/install-allure.sh puts the command (it may not be there)."""
    return tool_dir(ALLURE_TOOL) / "node_modules" / ".bin" / "allure"

INSTALL_HINT = "install it with: bash scripts/install-allure.sh   (npm allure-commandline; needs Java: java -version)"


@dataclass(frozen=True)
class AllureRun:
    ok: bool
    message: str
    report_dir: Path | None = None


def allure_executable() -> str | None:
    for candidate in (os.environ.get("SSO_HARNESS_ALLURE"), str(local_allure()), shutil.which("allure")):
        if candidate and os.path.exists(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def generate_allure_report(results: Path, out: Path, *, timeout: float = 300) -> AllureRun:
    """``allure generate --clean -o OUT RESULTS``; never raises (the reason is in the result)."""
    exe = allure_executable()
    if exe is None:
        return AllureRun(False, f"the Allure command line is not installed; {INSTALL_HINT}")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return AllureRun(False, "Java is not installed (Allure runs on it); " + INSTALL_HINT)
    if not results.is_dir() or not any(results.iterdir()):
        return AllureRun(False, f"no Allure results in {results}: run the flows first (sso-harness run)")
    try:
        done = subprocess.run([exe, "generate", "--clean", "-o", str(out), str(results)],
                              capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return AllureRun(False, f"allure generate failed: {exc}")
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return AllureRun(False, "allure generate failed: " + " | ".join(tail))
    return AllureRun(True, f"Allure report: {out / 'index.html'}", out)
