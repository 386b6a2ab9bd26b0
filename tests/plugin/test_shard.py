"""The shard split: deterministic, balanced, every flow in exactly one shard; and the plugin option that applies it."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from sso_harness.plugin.shard import (
    SHARD_BAD_SPEC,
    SHARD_DURATIONS_UNREADABLE,
    ShardError,
    junit_durations,
    junit_key,
    parse_spec,
    plan_shards,
)

IDS = [f"test_target_flows.py::test_flow[sp{i % 5}-{'sp' if i % 2 else 'idp'}_initiated-user{i}]" for i in range(23)]


def _junit(path: Path, seconds: dict[str, float]) -> Path:
    cases = "".join(
        f'<testcase classname="{junit_key(n).split("::")[0]}" name="{junit_key(n).split("::", 1)[1]}" time="{t}"/>'
        for n, t in seconds.items())
    path.write_text(f'<?xml version="1.0"?><testsuites><testsuite name="pytest">{cases}</testsuite></testsuites>')
    return path


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 30])
def test_every_flow_is_in_exactly_one_shard(n: int) -> None:
    plan = plan_shards(IDS, n)
    placed = [nodeid for shard in plan.shards for nodeid in shard]
    assert sorted(placed) == sorted(IDS) and len(plan.shards) == n


def test_the_split_does_not_depend_on_collection_order() -> None:
    durations = {junit_key(n): float(i % 4 + 1) for i, n in enumerate(IDS[:15])}
    shuffled = list(IDS)
    random.Random(7).shuffle(shuffled)
    for d in (None, durations):
        a, b = plan_shards(IDS, 4, d), plan_shards(shuffled, 4, d)
        assert [set(s) for s in a.shards] == [set(s) for s in b.shards]


def test_without_durations_the_hash_split_balances_counts_and_keeps_flows_in_place() -> None:
    plan = plan_shards(IDS, 4)
    assert plan.mode == "hash" and plan.known == 0
    sizes = [len(s) for s in plan.shards]
    assert max(sizes) - min(sizes) <= 1
    # The same ids, asked again in another process's order, land on the same shards.
    again = plan_shards(reversed(IDS), 4)
    assert {n: i for i, s in enumerate(plan.shards) for n in s} == {n: i for i, s in enumerate(again.shards) for n in s}


def test_durations_balance_the_time_not_the_count() -> None:
    slow, fast = IDS[0], IDS[1:7]
    durations = {junit_key(slow): 60.0, **{junit_key(n): 10.0 for n in fast}}
    plan = plan_shards([slow, *fast], 2, durations)
    assert plan.mode == "durations" and plan.known == 7
    with_slow = next(s for s in plan.shards if slow in s)
    assert with_slow == (slow,)  # 60 s alone against 6 x 10 s
    assert plan.loads == (60.0, 60.0)


def test_balance_is_within_the_longest_flow() -> None:
    rng = random.Random(3)
    durations = {junit_key(n): rng.uniform(1, 30) for n in IDS}
    for n in (2, 3, 4):
        plan = plan_shards(IDS, n, durations)
        assert max(plan.loads) - min(plan.loads) <= max(durations.values())
        assert sum(plan.loads) == pytest.approx(sum(durations.values()))


def test_a_flow_the_file_does_not_know_counts_as_the_mean() -> None:
    durations = {junit_key(IDS[0]): 4.0, junit_key(IDS[1]): 2.0}
    plan = plan_shards(IDS[:3], 3, durations)
    assert plan.known == 2 and sorted(plan.loads) == [2.0, 3.0, 4.0]


def test_junit_durations_reads_a_merged_document_and_matches_node_ids(tmp_path: Path) -> None:
    path = _junit(tmp_path / "junit.xml", {IDS[0]: 1.5, IDS[1]: 2.0, "e2e/sub/test_x.py::TestY::test_z[a/b]": 3.0})
    durations = junit_durations(path)
    assert durations[junit_key(IDS[0])] == 1.5
    assert junit_key("e2e/sub/test_x.py::TestY::test_z[a/b]") == "e2e.sub.test_x.TestY::test_z[a/b]"
    assert durations["e2e.sub.test_x.TestY::test_z[a/b]"] == 3.0


def test_bad_inputs_carry_codes(tmp_path: Path) -> None:
    for spec in ("0/2", "3/2", "1-2", "x"):
        with pytest.raises(ShardError) as exc:
            parse_spec(spec)
        assert exc.value.code == SHARD_BAD_SPEC
    assert parse_spec(" 2/4 ") == (2, 4)
    (tmp_path / "bad.xml").write_text("<testsuite>")
    with pytest.raises(ShardError) as exc:
        junit_durations(tmp_path / "bad.xml")
    assert exc.value.code == SHARD_DURATIONS_UNREADABLE


INNER = """
import pytest

@pytest.mark.parametrize("i", range(9))
def test_x(i):
    pass
"""


def test_the_option_deselects_the_other_shards_and_writes_a_record(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_inner=INNER)
    plan = plan_shards([f"test_inner.py::test_x[{i}]" for i in range(8)], 3)  # what -k leaves
    for k in (1, 2, 3):
        record = pytester.path / f"shard-{k}.json"
        result = pytester.runpytest_subprocess("-p", "no:randomly", "-v", f"--sso-shard={k}/3", f"--sso-shard-record={record}",
                                               "-k", "not x[8]")
        result.assert_outcomes(passed=len(plan.shard(k)), deselected=9 - len(plan.shard(k)))
        doc = json.loads(record.read_text())
        assert doc["shard"] == k and doc["of"] == 3 and doc["mode"] == "hash" and doc["collected"] == 8
        ran = {line.split()[0] for line in result.outlines if line.startswith("test_inner.py::") and " PASSED" in line}
        assert ran == set(plan.shard(k))
    assert pytester.runpytest_subprocess("--sso-shard=4/3").ret == pytest.ExitCode.USAGE_ERROR
