"""Two shards of the embedded mock target, merged, hold the same flows and results as the unsharded run.

Three real ``sso-harness run`` processes (the unsharded run, shard 1/2 and
shard 2/2, each into its own reports folder), then ``sso-harness report
--merge``. Compared: node ids and outcomes, never times.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sso_harness.report.merge import read_outcomes

pytestmark = pytest.mark.e2e

KEYWORD = "not mitel"  # five of the mock target's six flows: SAML both ways, and OIDC


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sso_harness", *args], capture_output=True, text=True, cwd=cwd, timeout=600)


def _junit_cases(path: Path) -> set[tuple[str, str]]:
    cases = set()
    for case in ET.parse(path).getroot().iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        cases.add((f"{case.get('classname')}::{case.get('name')}", "failed" if failed else "passed"))
    return cases


def test_two_shards_merged_equal_the_unsharded_run(tmp_path: Path) -> None:
    runs = {}
    for name, extra in (("whole", []), ("shard-1", ["--shard", "1/2"]), ("shard-2", ["--shard", "2/2"])):
        done = _cli("run", "-k", KEYWORD, "--reports", str(tmp_path / name), *extra, cwd=tmp_path)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        runs[name] = {(o.test, o.result) for o in read_outcomes(tmp_path / name)}
    whole, one, two = runs["whole"], runs["shard-1"], runs["shard-2"]
    assert len(whole) == 5 and one and two and not (one & two)

    merged = _cli("report", "--merge", str(tmp_path / "shard-1"), str(tmp_path / "shard-2"), "--out", str(tmp_path / "merged"),
                  cwd=tmp_path)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    out = tmp_path / "merged"
    assert {(o.test, o.result) for o in read_outcomes(out)} == whole == one | two
    assert _junit_cases(out / "junit.xml") == _junit_cases(tmp_path / "whole" / "junit.xml")
    index = (out / "index.html").read_text()
    assert index.count("timeline</a>") == 5 and "Merged from 2 shards (1/2: " in index
    assert len(list((out / "timelines").glob("*.html"))) == 5
    assert "| 1/2 | " in (out / "summary.md").read_text() and "| 2/2 | " in (out / "summary.md").read_text()
