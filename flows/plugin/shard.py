"""``--sso-shard K/N``: run one deterministic, duration-balanced share of the collected flows.

Every shard of a run collects the same flows and computes the same split, so
N jobs on N machines (a CI matrix) together run each flow exactly once, with
nothing shared between them but their inputs. The split:

* Durations come from a previous run's JUnit XML (``--sso-shard-durations``,
  normally the merged report of last night's run). Flows are placed longest
  first, each on the shard with the least time so far (ties: the lower
  shard); a flow the file does not know counts as the mean of those it knows.
* Without durations every flow counts the same, so the split deals the flows
  out in the order of a stable hash of their node ids: shard sizes differ by
  at most one, and the split depends on nothing but the node ids.

Ties between equal durations are always broken by that hash, never by
collection order, so two shards that collect in a different order still agree.
All shards must be given the same durations file: a shard that read another
file could split differently. The shard record (``--sso-shard-record``) holds
a fingerprint of the inputs of the split, which ``sso-harness report --merge``
compares across shards.

Selection runs last among ``pytest_collection_modifyitems`` hooks, after
``-k``/``-m`` deselection, and reports what it drops through
``pytest_deselected`` like any other deselection.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import pytest

__all__ = [
    "SHARD_BAD_SPEC",
    "SHARD_DURATIONS_UNREADABLE",
    "ShardError",
    "ShardPlan",
    "add_options",
    "configure",
    "junit_durations",
    "junit_key",
    "parse_spec",
    "plan_shards",
]

SHARD_BAD_SPEC: Final = "shard.bad_spec"
SHARD_DURATIONS_UNREADABLE: Final = "shard.durations_unreadable"
ShardErrorCode = Literal["shard.bad_spec", "shard.durations_unreadable"]

_PLUGIN_NAME = "sso_harness_shard"


class ShardError(ValueError):
    """A shard option that cannot be honoured; ``code`` says which kind."""

    def __init__(self, code: ShardErrorCode, message: str) -> None:
        self.code: ShardErrorCode = code
        super().__init__(f"{code}: {message}")


def parse_spec(spec: str) -> tuple[int, int]:
    """``"K/N"`` as ``(K, N)`` with ``1 <= K <= N``; ShardError ``shard.bad_spec`` otherwise."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", spec)
    if not match:
        raise ShardError(SHARD_BAD_SPEC, f"{spec!r} is not K/N (for example 1/4)")
    k, n = int(match.group(1)), int(match.group(2))
    if not 1 <= k <= n:
        raise ShardError(SHARD_BAD_SPEC, f"{spec!r}: K must be between 1 and N")
    return k, n


def junit_key(nodeid: str) -> str:
    """The identity a JUnit ``<testcase>`` gives a node id: ``classname::name``, as pytest's junitxml writes them.

    ``e2e/test_x.py::TestY::test_z[a/b]`` becomes ``e2e.test_x.TestY::test_z[a/b]``.
    """
    path, bracket, params = nodeid.partition("[")
    names = path.split("::")
    names[0] = re.sub(r"\.py$", "", names[0].replace("/", "."))
    names[-1] += bracket + params
    return ".".join(names[:-1]) + "::" + names[-1]


def junit_durations(path: Path) -> dict[str, float]:
    """Seconds per test (keyed by :func:`junit_key`) from a JUnit XML file; a test listed twice adds up.

    Any ``<testcase>`` under the root counts, so a ``<testsuites>`` document
    (a merged run) reads like one suite. ShardError ``shard.durations_unreadable``
    when the file cannot be read or parsed.
    """
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise ShardError(SHARD_DURATIONS_UNREADABLE, f"{path}: {exc}") from None
    out: dict[str, float] = {}
    for case in root.iter("testcase"):
        key = f"{case.get('classname', '')}::{case.get('name', '')}"
        try:
            seconds = float(case.get("time") or 0.0)
        except ValueError:
            seconds = 0.0
        out[key] = out.get(key, 0.0) + max(0.0, seconds)
    return out


def _hash(nodeid: str) -> str:
    return hashlib.sha256(nodeid.encode()).hexdigest()


@dataclass(frozen=True)
class ShardPlan:
    """Which shard runs which node id, and how the split was made."""

    shards: tuple[tuple[str, ...], ...]
    """Node ids per shard (index 0 is shard 1), in placement order."""
    loads: tuple[float, ...]
    """Estimated seconds per shard (with the hash split, flow counts)."""
    mode: Literal["durations", "hash"]
    known: int
    """How many of the node ids had a duration."""

    def shard(self, k: int) -> tuple[str, ...]:
        return self.shards[k - 1]


def plan_shards(nodeids: Iterable[str], n: int, durations: Mapping[str, float] | None = None) -> ShardPlan:
    """Split ``nodeids`` into ``n`` shards: longest first onto the least-loaded shard (see the module docstring).

    ``durations`` is keyed by :func:`junit_key`. Deterministic: the result
    depends on the set of node ids and the durations, not on their order.
    """
    if n < 1:
        raise ShardError(SHARD_BAD_SPEC, f"{n} shards: need at least one")
    ids = sorted(set(nodeids), key=_hash)
    known = {i: durations[junit_key(i)] for i in ids if durations and junit_key(i) in durations}
    mean = sum(known.values()) / len(known) if known else 1.0
    cost = {i: known.get(i, mean) for i in ids}
    # A stable sort on a hash-ordered list: equal costs keep their hash order.
    order = sorted(ids, key=lambda i: -cost[i])
    loads = [0.0] * n
    shards: list[list[str]] = [[] for _ in range(n)]
    for nodeid in order:
        target = min(range(n), key=lambda s: (loads[s], s))
        shards[target].append(nodeid)
        loads[target] += cost[nodeid]
    return ShardPlan(tuple(tuple(s) for s in shards), tuple(loads), "durations" if known else "hash", len(known))


def _fingerprint(n: int, durations: Mapping[str, float] | None) -> str:
    """What the split depends on besides the collected flows: N and the durations file's numbers."""
    text = json.dumps({"n": n, "durations": sorted((durations or {}).items())})
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def add_options(group: pytest.OptionGroup) -> None:
    """The shard options, added to the sso-harness group by the plugin's ``pytest_addoption``."""
    group.addoption("--sso-shard", default=None, metavar="K/N",
                    help="run only shard K of N: a deterministic, duration-balanced share of the collected flows")
    group.addoption("--sso-shard-durations", default=None, metavar="JUNIT_XML",
                    help="durations for --sso-shard from a previous run's JUnit XML (default: a stable hash split); "
                         "give every shard the same file")
    group.addoption("--sso-shard-record", default=None, metavar="PATH",
                    help="write this shard's record (shard, split fingerprint, wall time) as JSON to PATH")


def configure(config: pytest.Config) -> None:
    """Register the selection when ``--sso-shard`` is given; pytest.UsageError on a bad option."""
    spec = config.getoption("--sso-shard", None)
    if not spec or config.pluginmanager.has_plugin(_PLUGIN_NAME):
        return
    try:
        k, n = parse_spec(spec)
        source = config.getoption("--sso-shard-durations", None)
        durations = junit_durations(Path(source)) if source else None
    except ShardError as exc:
        raise pytest.UsageError(f"--sso-shard: {exc}") from None
    record = config.getoption("--sso-shard-record", None)
    config.pluginmanager.register(_ShardSelection(k, n, durations, source, Path(record) if record else None), _PLUGIN_NAME)


class _ShardSelection:
    def __init__(self, k: int, n: int, durations: Mapping[str, float] | None, source: str | None, record: Path | None) -> None:
        self.k, self.n = k, n
        self.durations = durations
        self.source = source
        self.record = record
        self.started = time.time()
        self.plan: ShardPlan | None = None
        self.collected = 0

    def pytest_report_header(self) -> str:
        how = f"durations from {self.source}" if self.source else "stable hash split"
        return f"sso-harness shard {self.k}/{self.n} ({how})"

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        self.collected = len(items)
        self.plan = plan_shards((i.nodeid for i in items), self.n, self.durations)
        mine = set(self.plan.shard(self.k))
        kept = [i for i in items if i.nodeid in mine]
        dropped = [i for i in items if i.nodeid not in mine]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.record is None or hasattr(session.config, "workerinput"):
            return  # xdist workers collect; the controller writes the record
        finished = time.time()
        doc: dict[str, object] = {
            "shard": self.k, "of": self.n, "mode": self.plan.mode if self.plan else "durations" if self.durations else "hash",
            "durations_file": self.source, "fingerprint": _fingerprint(self.n, self.durations),
            "started": self.started, "finished": finished, "seconds": finished - self.started,
        }
        if self.plan is not None:
            doc.update(collected=self.collected, selected=len(self.plan.shard(self.k)),
                       estimated_seconds=[round(x, 3) for x in self.plan.loads])
        self.record.parent.mkdir(parents=True, exist_ok=True)
        self.record.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
