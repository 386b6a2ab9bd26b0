"""``sso-harness run``: the main job, the e2e suite, with reports.

Runs pytest on the ``e2e`` suites with Allure results, JUnit XML and a
Markdown summary written to ``reports/``, then prints the summary. Exits
with pytest's status, so 0 means every flow passed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("run", help="run the e2e flows and write reports/")
    p.add_argument("-k", dest="keyword", default=None, help="only flows whose test name matches EXPR")
    p.add_argument("--reports", default="reports", help="output folder (default: reports)")
    p.add_argument("--suite", default="e2e", help="the folder of e2e suites (default: e2e)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import pytest

    reports = Path(args.reports)
    reports.mkdir(parents=True, exist_ok=True)
    summary = reports / "summary.md"
    argv = [
        args.suite,
        f"--alluredir={reports / 'allure-results'}",
        f"--junitxml={reports / 'junit.xml'}",
        f"--sso-summary={summary}",
        f"--output={reports / 'playwright'}",
    ]
    if args.keyword:
        argv += ["-k", args.keyword]
    status = int(pytest.main(argv))
    if summary.exists():
        sys.stdout.write("\n" + summary.read_text(encoding="utf-8"))
        sys.stdout.write(f"\nReports: {reports}/ (allure-results/, junit.xml, summary.md)\n")
    return status
