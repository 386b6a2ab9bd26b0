"""`sso-harness init`: a starter project that runs green against the embedded mocks without edits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sso_harness.apps.cli.init import FILES
from sso_harness.apps.cli.main import main


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sso_harness", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)


def test_init_writes_the_three_files_and_refuses_to_overwrite_without_force(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == sorted(FILES)
    assert "wrote .github/workflows/sso-nightly.yml" in capsys.readouterr().out
    mine = tmp_path / "targets.yaml"
    mine.write_text("targets: {}\n")
    assert main(["init"]) == 1
    assert "refused, these files exist: targets.yaml, tests/test_sso_login.py" in capsys.readouterr().err
    assert mine.read_text() == "targets: {}\n"  # nothing written when refused
    assert main(["init", "--force"]) == 0 and "local:" in mine.read_text()


def test_the_workflow_is_a_debian_job_that_checks_tests_runs_and_keeps_the_reports(tmp_path: Path,
                                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    workflow = yaml.safe_load((tmp_path / ".github/workflows/sso-nightly.yml").read_text())
    job = workflow["jobs"]["sso"]
    assert job["container"] == "debian:12"
    commands = "\n".join(step.get("run", "") for step in job["steps"])
    assert "apt-get install" in commands and "chromium" in commands
    for command in ("sso-harness check", "pytest tests/test_sso_login.py", "sso-harness run"):
        assert command in commands
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in job["steps"])


@pytest.mark.e2e
def test_the_written_project_checks_and_its_example_test_passes_as_written(tmp_path: Path) -> None:
    assert _cli("init", cwd=tmp_path).returncode == 0
    check = _cli("check", cwd=tmp_path)
    assert check.returncode == 0 and check.stdout == "targets.yaml: OK, local (1 SP, 2 flows, 1 user)\n", check.stderr
    run = subprocess.run([sys.executable, "-m", "pytest", "tests/test_sso_login.py", "-p", "no:cacheprovider", "-q"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "1 passed" in run.stdout
