"""`sso-harness bench --quick` runs and writes its JSON; no assertion on any time."""

from __future__ import annotations

import json
from pathlib import Path

from sso_harness.apps.cli.main import main


def test_bench_quick_writes_results_for_what_it_ran(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "bench.json"
    assert main(["bench", "--quick", "--only", "decoder,memory,mock_idp", "--out", str(out)]) == 0
    results = json.loads(out.read_text())
    assert set(results) == {"quick", "decoder", "memory", "mock_idp"}
    assert results["decoder"]["n"] == 300 and results["memory"]["hops"] == 200
    table = capsys.readouterr().out
    assert "decode + verify signed responses" in table and "recorder RSS, 200 hops" in table
