"""Merging shard report folders into one run report (synthetic shards; the browser-driven case is e2e/shard/)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sso_harness.apps.cli.main import main
from sso_harness.report.merge import (
    MERGE_DUPLICATE_FLOW,
    MERGE_NO_INPUT,
    MERGE_SHARD_MISSING,
    MERGE_SPLIT_MISMATCH,
    MergeError,
    merge_reports,
    read_outcomes,
)
from sso_harness.report.summary import Outcome, write_summary

MODULE = "test_target_flows.py"


def _shard(folder: Path, k: int, n: int, flows: dict[str, str], *, fingerprint: str = "f1", seconds: float = 20.0) -> Path:
    """A folder shaped like `sso-harness run --shard k/n --reports folder` leaves it."""
    (folder / "allure-results").mkdir(parents=True)
    (folder / "timelines").mkdir()
    cases = []
    for i, (name, status) in enumerate(flows.items()):
        result = {"name": f"test_flow[{name}]", "status": status, "start": 1000 * i, "stop": 1000 * i + 2500,
                  "titlePath": [MODULE], "statusDetails": {"message": "AssertionError: nope"} if status == "failed" else {}}
        (folder / "allure-results" / f"{k}-{i}-result.json").write_text(json.dumps(result))
        (folder / "timelines" / f"test_target_flows-test_flow-{name}.html").write_text("<html></html>")
        body = '<failure message="AssertionError: nope">trace</failure>' if status == "failed" else ""
        cases.append(f'<testcase classname="test_target_flows" name="test_flow[{name}]" time="2.5">{body}</testcase>')
    (folder / "allure-results" / "environment.properties").write_text(f"shard={k}\n")
    failures = sum(1 for s in flows.values() if s == "failed")
    (folder / "junit.xml").write_text(f'<?xml version="1.0"?><testsuites name="pytest tests"><testsuite name="pytest" tests="{len(flows)}" '
                                      f'failures="{failures}" errors="0" skipped="0" time="{seconds}">{"".join(cases)}</testsuite></testsuites>')
    write_summary(folder / "summary.md", [Outcome(f"{MODULE}::test_flow[{name}]", status, 2.5, "AssertionError: a | b" if status == "failed" else "")
                                          for name, status in flows.items()])
    (folder / "shard.json").write_text(json.dumps({"shard": k, "of": n, "fingerprint": fingerprint, "seconds": seconds}))
    return folder


def test_two_shards_merge_into_one_run_with_per_shard_timing(tmp_path: Path) -> None:
    a = _shard(tmp_path / "s1", 1, 2, {"a-sp-user0": "passed", "b-idp-user0": "failed"}, seconds=31.0)
    b = _shard(tmp_path / "s2", 2, 2, {"c-sp-user0": "passed"}, seconds=24.0)
    run = merge_reports([a, b], tmp_path / "merged")
    out = tmp_path / "merged"
    assert [(s.label, s.flows, s.failed, s.seconds) for s in run.shards] == [("1/2", 2, 1, 31.0), ("2/2", 1, 0, 24.0)]
    assert run.wall_seconds == 31.0 and run.failed == 1 and not run.problems
    assert [o.test for o in run.outcomes] == [f"{MODULE}::test_flow[{n}]" for n in ("a-sp-user0", "b-idp-user0", "c-sp-user0")]
    # The failure message with a pipe survives the round trip through summary.md.
    assert read_outcomes(out)[1] == Outcome(f"{MODULE}::test_flow[b-idp-user0]", "failed", 2.5, "AssertionError: a | b")
    summary = (out / "summary.md").read_text()
    assert "Result: 1 failed, 2 passed" in summary and "| 1/2 | " in summary and "the longest took 31.0 s" in summary
    root = ET.parse(out / "junit.xml").getroot()
    assert root.tag == "testsuites" and root.get("tests") == "3" and root.get("failures") == "1" and root.get("time") == "31.000"
    assert [s.find("properties/property[@name='sso_shard']").get("value") for s in root.findall("testsuite")] == ["1/2", "2/2"]  # type: ignore[union-attr]
    assert len(list((out / "allure-results").glob("*-result.json"))) == 3
    assert (out / "allure-results" / "environment.properties").read_text() == "shard=1\n"
    assert len(list((out / "timelines").glob("*.html"))) == 3
    index = (out / "index.html").read_text()
    assert index.count("timeline</a>") == 3 and "Merged from 2 shards" in index
    assert json.loads((out / "shards.json").read_text())["flows"] == 3


def test_a_merge_reports_what_is_amiss_with_codes(tmp_path: Path) -> None:
    a = _shard(tmp_path / "s1", 1, 3, {"a": "passed", "b": "passed"})
    b = _shard(tmp_path / "s3", 3, 3, {"b": "passed", "c": "passed"}, fingerprint="other")
    run = merge_reports([a, b], tmp_path / "merged")
    codes = [p.code for p in run.problems]
    assert codes == [MERGE_DUPLICATE_FLOW, MERGE_SPLIT_MISMATCH, MERGE_SHARD_MISSING]
    assert len(run.outcomes) == 3
    assert "merge.split_mismatch" in (tmp_path / "merged" / "summary.md").read_text()


def test_without_summaries_the_outcomes_come_from_junit(tmp_path: Path) -> None:
    a = _shard(tmp_path / "s1", 1, 1, {"a": "passed", "b": "failed"})
    (a / "summary.md").unlink()
    (a / "shard.json").unlink()
    run = merge_reports([a], tmp_path / "merged")
    assert [(o.test, o.result) for o in run.outcomes] == [("test_target_flows::test_flow[a]", "passed"),
                                                          ("test_target_flows::test_flow[b]", "failed")]
    assert run.shards[0].label == "s1" and run.shards[0].seconds == 20.0


def test_nothing_to_merge_is_an_error(tmp_path: Path) -> None:
    for dirs, out in (([], tmp_path / "m"), ([tmp_path / "absent"], tmp_path / "m"), ([tmp_path], tmp_path)):
        with pytest.raises(MergeError) as exc:
            merge_reports(dirs, out)
        assert exc.value.code == MERGE_NO_INPUT


def test_the_cli_merges_and_exits_by_the_merged_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = _shard(tmp_path / "s1", 1, 2, {"a": "passed"})
    b = _shard(tmp_path / "s2", 2, 2, {"b": "passed"})
    assert main(["report", "--merge", str(a), str(b), "--out", str(tmp_path / "all")]) == 0
    assert "Merged 2 flows (0 failed) from 2 shards" in capsys.readouterr().out
    c = _shard(tmp_path / "s3", 2, 2, {"c": "failed"})
    assert main(["report", "--merge", str(a), str(c), "--out", str(tmp_path / "all")]) == 1
    assert main(["report", "--merge", str(tmp_path / "nope"), "--out", str(tmp_path / "all")]) == 2
