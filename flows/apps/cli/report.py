"""``sso-harness report``: the Allure HTML report and our own run summary, from ``reports/``.

    sso-harness report [--reports DIR] [--results DIR] [--no-allure]

Runs ``allure generate --clean -o DIR/allure-report DIR/allure-results``
with the npm ``allure-commandline`` (see ``scripts/install-allure.sh``), then
writes ``DIR/index.html``: every flow with its result, time and a link to
its timeline page. Without Allure it says how to install it and still
writes the summary. Exit status: 0 when every flow passed, 1 when one
failed, 2 when there were no results at all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["add_parser", "run", "main"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("report", help="build the Allure HTML report and the run summary from reports/")
    p.add_argument("--reports", type=Path, default=Path("reports"), help="the reports folder (default: reports)")
    p.add_argument("--results", type=Path, default=None, help="Allure results (default: REPORTS/allure-results)")
    p.add_argument("--no-allure", action="store_true", help="only write the run summary")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from sso_harness.report.html import read_allure_results, write_run_summary
    from sso_harness.report.html.allure_cli import generate_allure_report

    reports: Path = args.reports
    results = args.results or reports / "allure-results"
    link, note = None, None
    if not args.no_allure:
        allure = generate_allure_report(results, reports / "allure-report")
        if allure.ok:
            link = "allure-report/index.html"
            sys.stdout.write(allure.message + "  (serve it: allure open reports/allure-report)\n")
        else:
            note = f"No Allure report: {allure.message}"
            sys.stderr.write(f"sso-harness report: {allure.message}\n")
    summary = write_run_summary(reports, results_dir=results, allure_report=link, note=note)
    flows = read_allure_results(results)
    failed = [f for f in flows if f.status in ("failed", "broken")]
    sys.stdout.write(f"Run summary: {summary}  ({len(flows)} flows, {len(failed)} failed)\n")
    if not flows:
        return 2
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sso-harness")
    sub = parser.add_subparsers(dest="command")
    add_parser(sub)
    args = parser.parse_args(["report", *(sys.argv[1:] if argv is None else argv)])
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
