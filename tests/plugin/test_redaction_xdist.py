"""Under pytest-xdist, the controller sweeps with every worker's secrets (handed over in memory, not in a file)."""

from __future__ import annotations

from pathlib import Path

import pytest

SECRET = "worker-only-secret-5d0e7b"

CONFTEST = '''
import os
import sso_harness.plugin.redaction as redaction


def pytest_configure(config):
    if os.environ.get("SSO_TEST_NO_HANDOVER") and hasattr(config, "workerinput"):
        redaction.WORKER_KEY = "not-what-the-controller-reads"  # the control: workers keep their book to themselves
'''

INNER = f'''
from pathlib import Path
import pytest
from sso_harness.protocols.secrets import remember_secret


@pytest.mark.parametrize("n", range(4))
def test_writes_an_artifact(request, n):
    remember_secret({SECRET!r})  # known in this worker only
    timelines = Path(request.config.getoption("--alluredir")).parent / "timelines"
    timelines.mkdir(parents=True, exist_ok=True)
    (timelines / f"flow-{{n}}.html").write_text("<html><body>{SECRET}</body></html>")
'''


def _run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *, handover: bool) -> list[str]:
    if not handover:
        monkeypatch.setenv("SSO_TEST_NO_HANDOVER", "1")
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_inner=INNER)
    results = Path(pytester.path) / "reports" / "allure-results"
    run = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly", "-n", "2", f"--alluredir={results}")
    run.assert_outcomes(passed=4)
    return [p.read_text() for p in sorted((results.parent / "timelines").glob("*.html"))]


def test_the_controller_sweeps_with_the_workers_secrets(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = _run(pytester, monkeypatch, handover=True)
    assert len(pages) == 4 and all(SECRET not in p and "[redacted]" in p for p in pages)


def test_without_the_handover_the_workers_secrets_would_stay(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = _run(pytester, monkeypatch, handover=False)
    assert len(pages) == 4 and all(SECRET in p for p in pages)
