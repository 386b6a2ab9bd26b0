"""Merge the reports of a sharded run (``sso-harness run --shard K/N``, one folder per shard) into one run report.

Each shard folder holds what ``sso-harness run`` writes: ``allure-results/``,
``junit.xml``, ``summary.md``, ``timelines/``, ``index.html``, ``playwright/``
and ``shard.json`` (which shard, the split's fingerprint, its wall time). The
merged folder gets:

* ``allure-results/``: every shard's result, container and attachment files
  (their names are unique ids; a shared file such as ``environment.properties``
  is taken from the first shard that has it);
* ``timelines/`` and ``playwright/``: every shard's files;
* ``junit.xml``: one ``<testsuites>`` document holding each shard's
  ``<testsuite>``, each tagged with an ``sso_shard`` property; its ``time`` is
  the longest shard's, since the shards ran side by side;
* ``summary.md``: every flow's row (from the shards' ``summary.md``, else from
  their JUnit), then a per-shard timing table and any merge problem;
* ``shards.json``: the per-shard timing and the problems, for tools;
* ``index.html``: the run summary over the merged Allure results.

What can go wrong with the inputs is a :class:`MergeProblem` with a code, in
the merged report rather than an exception: a flow reported by two shards
(``merge.duplicate_flow``), shards whose split was computed from different
inputs (``merge.split_mismatch``: flows may be missing), a shard of the set
absent (``merge.shard_missing``), an unreadable file (``merge.unreadable``).
:class:`MergeError` is raised only when nothing can be merged.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final, Literal

from sso_harness.report.html import TIMELINES_DIR, write_run_summary
from sso_harness.report.summary import Outcome, render_summary

__all__ = [
    "MERGE_DUPLICATE_FLOW",
    "MERGE_NO_INPUT",
    "MERGE_SHARD_MISSING",
    "MERGE_SPLIT_MISMATCH",
    "MERGE_UNREADABLE",
    "MergeError",
    "MergeProblem",
    "MergedRun",
    "ShardTiming",
    "merge_reports",
    "read_outcomes",
]

MERGE_NO_INPUT: Final = "merge.no_input"
MERGE_DUPLICATE_FLOW: Final = "merge.duplicate_flow"
MERGE_SPLIT_MISMATCH: Final = "merge.split_mismatch"
MERGE_SHARD_MISSING: Final = "merge.shard_missing"
MERGE_UNREADABLE: Final = "merge.unreadable"
MergeCode = Literal["merge.no_input", "merge.duplicate_flow", "merge.split_mismatch", "merge.shard_missing", "merge.unreadable"]

_ROW = re.compile(r"^\| `(?P<test>.+)` \| (?P<result>[a-z]+) \| (?P<seconds>[0-9.]+) \| (?P<failure>.*) \|$")


class MergeError(ValueError):
    """Nothing to merge (no input folder, or the output is one of the inputs); ``code`` is ``merge.no_input``."""

    def __init__(self, message: str) -> None:
        self.code: MergeCode = MERGE_NO_INPUT
        super().__init__(f"{MERGE_NO_INPUT}: {message}")


@dataclass(frozen=True)
class MergeProblem:
    code: MergeCode
    message: str


@dataclass(frozen=True)
class ShardTiming:
    """One shard's share of the merged run."""

    label: str
    """``K/N`` from the shard's ``shard.json``, else the folder's name."""
    folder: str
    flows: int
    failed: int
    seconds: float
    """The shard's wall time: its pytest session from ``shard.json``, else its JUnit suites' time."""
    flow_seconds: float
    """The sum of its flows' times."""


@dataclass(frozen=True)
class MergedRun:
    out: Path
    shards: tuple[ShardTiming, ...]
    outcomes: tuple[Outcome, ...]
    problems: tuple[MergeProblem, ...]

    @property
    def wall_seconds(self) -> float:
        """The merged run's wall time when its shards ran side by side: the longest shard's."""
        return max((s.seconds for s in self.shards), default=0.0)

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if o.result in ("failed", "error"))


def _unescape(cell: str) -> str:
    return cell.replace("\\|", "|")


def _summary_outcomes(path: Path) -> list[Outcome]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _ROW.match(line)
        if m:
            out.append(Outcome(m["test"], m["result"], float(m["seconds"]), _unescape(m["failure"])))
    return out


def _junit_outcomes(root: ET.Element) -> list[Outcome]:
    out = []
    for case in root.iter("testcase"):
        test = f"{case.get('classname', '')}::{case.get('name', '')}"
        result, first = "passed", ""
        for tag, name in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
            found = case.find(tag)
            if found is not None:
                message = found.get("message") or ""
                result, first = name, message.splitlines()[0][:200] if message else ""
                break
        out.append(Outcome(test, result, float(case.get("time") or 0.0), first))
    return out


def read_outcomes(folder: Path) -> list[Outcome]:
    """A run folder's flows: the rows of its ``summary.md``, else its ``junit.xml``'s test cases (``classname::name``)."""
    summary, junit = folder / "summary.md", folder / "junit.xml"
    if summary.exists():
        return _summary_outcomes(summary)
    if junit.exists():
        return _junit_outcomes(ET.parse(junit).getroot())
    return []


def _suites(root: ET.Element) -> list[ET.Element]:
    return [root] if root.tag == "testsuite" else list(root.iter("testsuite"))


def _tag(suite: ET.Element, label: str) -> ET.Element:
    suite = copy.deepcopy(suite)
    props = suite.find("properties")
    if props is None:
        props = ET.Element("properties")
        suite.insert(0, props)
    ET.SubElement(props, "property", name="sso_shard", value=label)
    return suite


def _copy_tree(src: Path, dst: Path) -> None:
    """Copy ``src``'s files under ``dst``; a file already there (a shared one) is kept."""
    if not src.is_dir():
        return
    for file in sorted(src.rglob("*")):
        if file.is_file():
            target = dst / file.relative_to(src)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, target)


def _read_json(path: Path, problems: list[MergeProblem]) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        problems.append(MergeProblem(MERGE_UNREADABLE, f"{path}: {exc}"))
        return {}
    return doc if isinstance(doc, dict) else {}


def _check_split(records: Sequence[dict[str, Any]], problems: list[MergeProblem]) -> None:
    known = [r for r in records if "shard" in r and "of" in r]
    if not known:
        return
    if len({(r["of"], r.get("fingerprint")) for r in known}) > 1:
        problems.append(MergeProblem(MERGE_SPLIT_MISMATCH, "the shards were split with different N or durations files: "
                                     "flows may be missing or run twice; give every shard the same --shard-durations file"))
    of = max(int(r["of"]) for r in known)
    missing = sorted(set(range(1, of + 1)) - {int(r["shard"]) for r in known})
    if missing:
        problems.append(MergeProblem(MERGE_SHARD_MISSING, f"no folder for shard(s) {', '.join(f'{k}/{of}' for k in missing)}"))


def _shards_markdown(run: MergedRun) -> str:
    lines = ["", "## Shards", "", f"{len(run.shards)} shards; the longest took {run.wall_seconds:.1f} s.", "",
             "| shard | folder | flows | failed | wall (s) | flow time (s) |", "|---|---|---|---|---|---|"]
    for s in run.shards:
        lines.append(f"| {s.label} | `{s.folder}` | {s.flows} | {s.failed} | {s.seconds:.1f} | {s.flow_seconds:.1f} |")
    if run.problems:
        lines += ["", "## Merge problems", ""] + [f"- `{p.code}`: {p.message}" for p in run.problems]
    return "\n".join(lines) + "\n"


def merge_reports(shard_dirs: Sequence[Path], out: Path) -> MergedRun:
    """Merge ``shard_dirs`` into ``out`` (see the module docstring); ``out``'s earlier merged results are replaced."""
    dirs = [Path(d) for d in shard_dirs]
    out = Path(out)
    if not dirs:
        raise MergeError("no shard folder given")
    absent = [str(d) for d in dirs if not d.is_dir()]
    if absent:
        raise MergeError(f"not a folder: {', '.join(absent)}")
    if any(d.resolve() == out.resolve() for d in dirs):
        raise MergeError(f"{out} is one of the shard folders; merge into another folder")
    for stale in ("allure-results", TIMELINES_DIR, "playwright"):
        shutil.rmtree(out / stale, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)

    problems: list[MergeProblem] = []
    records: list[dict[str, Any]] = []
    shards: list[ShardTiming] = []
    outcomes: dict[str, Outcome] = {}
    owner: dict[str, str] = {}
    merged_junit = ET.Element("testsuites", name="sso-harness merged run")
    for d in dirs:
        record = _read_json(d / "shard.json", problems)
        records.append(record)
        label = f"{record['shard']}/{record['of']}" if "shard" in record and "of" in record else d.name
        suites: list[ET.Element] = []
        if (d / "junit.xml").exists():
            try:
                suites = _suites(ET.parse(d / "junit.xml").getroot())
            except ET.ParseError as exc:
                problems.append(MergeProblem(MERGE_UNREADABLE, f"{d / 'junit.xml'}: {exc}"))
        for suite in suites:
            merged_junit.append(_tag(suite, label))
        mine = _summary_outcomes(d / "summary.md") if (d / "summary.md").exists() else _junit_outcomes(_suites_root(suites))
        for o in mine:
            if o.test in outcomes:
                problems.append(MergeProblem(MERGE_DUPLICATE_FLOW, f"{o.test} is in shard {owner[o.test]} and shard {label}"))
                continue
            outcomes[o.test], owner[o.test] = o, label
        suite_time = sum(float(s.get("time") or 0.0) for s in suites)
        seconds = float(record.get("seconds") or suite_time or sum(o.seconds for o in mine))
        shards.append(ShardTiming(label, str(d), len(mine), sum(1 for o in mine if o.result in ("failed", "error")),
                                  seconds, sum(o.seconds for o in mine)))
        _copy_tree(d / "allure-results", out / "allure-results")
        _copy_tree(d / TIMELINES_DIR, out / TIMELINES_DIR)
        _copy_tree(d / "playwright", out / "playwright")
    _check_split(records, problems)

    run = MergedRun(out, tuple(shards), tuple(sorted(outcomes.values(), key=lambda o: o.test)), tuple(problems))
    _write_junit(merged_junit, run, out / "junit.xml")
    (out / "summary.md").write_text(render_summary(list(run.outcomes)) + _shards_markdown(run), encoding="utf-8")
    (out / "shards.json").write_text(json.dumps({
        "wall_seconds": run.wall_seconds, "flows": len(run.outcomes), "failed": run.failed,
        "shards": [asdict(s) for s in run.shards], "problems": [asdict(p) for p in run.problems],
    }, indent=2) + "\n", encoding="utf-8")
    timing = "; ".join(f"{s.label}: {s.flows} flows in {s.seconds:.1f} s" for s in run.shards)
    note = f"Merged from {len(run.shards)} shards ({timing}); the longest took {run.wall_seconds:.1f} s."
    if run.problems:
        note += " Merge problems: " + "; ".join(f"{p.code}: {p.message}" for p in run.problems)
    write_run_summary(out, note=note)
    return run


def _suites_root(suites: Sequence[ET.Element]) -> ET.Element:
    root = ET.Element("testsuites")
    root.extend(suites)
    return root


def _write_junit(root: ET.Element, run: MergedRun, path: Path) -> None:
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in root.findall("testsuite"):
        for key in totals:
            totals[key] += int(suite.get(key) or 0)
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{run.wall_seconds:.3f}")
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
