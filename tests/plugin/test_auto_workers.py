"""``-n auto`` for a target's flows picks one worker per two cores and says why; other sessions keep xdist's choice."""

from __future__ import annotations

import sys
import subprocess
from pathlib import Path

import pytest

from sso_harness.plugin.auto_workers import CORES_PER_WORKER, choose, plays_a_target


@pytest.mark.parametrize(("cores", "workers"), [(1, 1), (2, 1), (3, 1), (4, 2), (8, 4)])
def test_one_worker_per_two_cores_and_never_none(cores: int, workers: int) -> None:
    chosen, why = choose(cores)
    assert chosen == workers
    assert f"{workers} worker" in why and f"{cores} core" in why


def test_on_two_cores_the_reason_points_at_concurrency() -> None:
    assert "--sso-concurrency" in choose(CORES_PER_WORKER)[1]
    assert "--sso-concurrency" not in choose(2 * CORES_PER_WORKER)[1]


def test_only_an_explicit_target_counts_as_playing_flows() -> None:
    assert plays_a_target(["--sso-target=mocks", "-n", "auto"])
    assert plays_a_target(["--sso-target", "staging"])
    assert not plays_a_target(["--sso-targets-file=t.yaml", "-n", "auto"])
    assert not plays_a_target(["tests", "-n", "auto"])


def test_xdist_asks_the_plugin_and_the_reason_is_printed(tmp_path: Path) -> None:
    """A real pytest with ``-n auto --sso-target``: xdist takes the plugin's count (its ``created:`` line) and the
    reason is on the terminal. The one test plays no flow."""
    (tmp_path / "test_nothing.py").write_text("def test_one():\n    pass\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-n", "auto", "--sso-target=mocks", "-p", "no:randomly",
                           "-p", "no:cacheprovider", str(tmp_path)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    out = done.stdout + done.stderr
    assert "sso-harness: -n auto:" in out, out
    from sso_harness.plugin.auto_workers import usable_cores

    workers = choose(usable_cores())[0]
    assert f"created: {workers}/{workers} worker" in out, out
    assert done.returncode == 0, out
