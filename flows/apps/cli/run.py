"""``sso-harness run``: the main job, the e2e suites, with progress and reports.

    sso-harness run [--target NAME] [--config FILE] [-k EXPR] [-n N]

Runs pytest on ``e2e`` against the embedded mock fleet (the default target)
or the named target of the targets file, printing one progress line per
flow, then a summary table (flow, result, time, first failed expectation).
Writes JUnit XML, Allure results and ``summary.md`` to ``reports/``. Exits 0
only if every flow passed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("run", help="run the e2e flows (mock fleet or --target) and write reports/")
    p.add_argument("--target", default="mocks", help="target name from the targets file (default: mocks)")
    p.add_argument("--config", default=None, metavar="FILE", help="targets YAML (default: ./targets.yaml)")
    p.add_argument("-k", dest="keyword", default=None, help="only flows whose test name matches EXPR")
    p.add_argument("-n", dest="workers", default=None, help="parallel workers (pytest-xdist), e.g. 2 or auto")
    p.add_argument("--reports", default="reports", help="output folder (default: reports)")
    p.add_argument("--suite", default="e2e", help="the folder of e2e suites (default: e2e)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import pytest

    reports = Path(args.reports)
    reports.mkdir(parents=True, exist_ok=True)
    summary = reports / "summary.md"
    argv = [
        args.suite, "-q", "--sso-progress",
        f"--alluredir={reports / 'allure-results'}",
        f"--junitxml={reports / 'junit.xml'}",
        f"--sso-summary={summary}",
        f"--output={reports / 'playwright'}",
        f"--target={args.target}",
    ]
    if args.config:
        argv.append(f"--targets-file={args.config}")
    if args.keyword:
        argv += ["-k", args.keyword]
    if args.workers:
        argv += ["-n", str(args.workers)]
    status = int(pytest.main(argv))
    if summary.exists():
        sys.stdout.write("\n" + summary.read_text(encoding="utf-8"))
        sys.stdout.write(f"\nReports: {reports}/ (allure-results/, junit.xml, summary.md, playwright/ for failures)\n")
    return status
