"""``sso-harness peers up`` as a user starts it: a subprocess in a folder outside the repository.

:func:`peers_up` yields once the command printed ``peers ready`` and, on the
way out, stops it with SIGTERM and fails the test unless it stopped cleanly
(exit 0), showing everything it printed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def cli() -> list[str]:
    """The console script beside this interpreter, else the module."""
    script = Path(sys.executable).with_name("sso-harness")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sso_harness.apps.cli.main"]


def user_env(*dropped_prefixes: str) -> dict[str, str]:
    """This environment without the outer pytest's own variables (the run is a fresh pytest) nor ``dropped_prefixes``."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", *dropped_prefixes))}


@contextmanager
def peers_up(folder: Path, targets: Sequence[str], env: dict[str, str]) -> Iterator[Path]:
    """Run ``peers up --dir folder --target …`` until the block ends; yields ``folder``."""
    assert REPO not in folder.parents
    argv = [*cli(), "peers", "up", "--dir", str(folder), *(a for t in targets for a in ("--target", t))]
    proc = subprocess.Popen(argv, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    seen: list[str] = []
    try:
        for line in proc.stdout:  # blocks until the next line: the peers are ready when it says so
            seen.append(line)
            if line.startswith("peers ready"):
                break
        else:
            pytest.fail(f"`sso-harness peers up` ended (exit {proc.wait()}) before it was ready:\n{''.join(seen)}")
        yield folder
    finally:
        proc.send_signal(signal.SIGTERM)
        rest, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, f"`sso-harness peers up` exited {proc.returncode} on SIGTERM:\n{''.join(seen)}{rest}"
