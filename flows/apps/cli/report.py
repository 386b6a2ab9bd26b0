"""``sso-harness report``: the Allure HTML report and our own run summary, from ``reports/``.

    sso-harness report [--reports DIR] [--results DIR] [--history DIR] [--no-allure] [--no-install]
    sso-harness report --merge DIR... [--out DIR]

Runs ``allure generate --clean -o DIR/allure-report DIR/allure-results`` and
writes the same report as one file, ``DIR/allure-report.html``, that opens
from ``file://`` (a CI artifact). ``--history`` names the previous run's
report (or its ``history/`` folder, what a CI cache keeps): its history is
copied into the results first, so Allure shows trends across runs; without
it, the report already in ``DIR/allure-report`` gives its history. The
Allure command line is ``$SSO_HARNESS_ALLURE``, the tools folder's copy or
``allure`` on PATH; when there is none it is installed into the tools
folder with npm (``--no-install``: don't) and the command says where (see
:mod:`sso_harness.report.html.allure_cli`). Then it writes
``DIR/index.html``: every flow with its result, time and a link to its
timeline page. Without Allure it says why and still writes the summary. Exit status: 0 when every flow passed, 1 when one
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
    p.add_argument("--history", type=Path, default=None, metavar="DIR",
                   help="the previous run's Allure report (or its history/ folder): carry its history into this one")
    p.add_argument("--no-install", action="store_true",
                   help="don't install the Allure command line when it is missing (npm, into the tools folder)")
    p.add_argument("--merge", nargs="+", type=Path, default=None, metavar="DIR",
                   help="merge these shard report folders (sso-harness run --shard K/N) into --out, with per-shard timing")
    p.add_argument("--out", type=Path, default=None, help="where --merge writes the merged report (default: --reports)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "merge", None):
        return _merge(args.merge, args.out or args.reports)
    from sso_harness.report.html import read_allure_results, write_run_summary
    from sso_harness.report.html.allure_cli import generate_allure_report

    reports: Path = args.reports
    results = args.results or reports / "allure-results"
    link, note = None, None
    if not args.no_allure:
        _add_results_context(results)
        allure = generate_allure_report(results, reports / "allure-report", history=getattr(args, "history", None),
                                        install=not getattr(args, "no_install", False),
                                        say=_say)
        if allure.ok:
            single = allure.single_file
            link = single.relative_to(reports).as_posix() if single is not None else "allure-report/index.html"
            sys.stdout.write(allure.message + "\n")
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


def _merge(shard_dirs: Sequence[Path], out: Path) -> int:
    """``--merge``: one run report from the shards' folders; exit 0 when every flow passed and nothing was amiss."""
    from sso_harness.report.merge import MergeError, merge_reports

    try:
        merged = merge_reports(shard_dirs, out)
    except MergeError as exc:
        sys.stderr.write(f"sso-harness report: {exc}\n")
        return 2
    for s in merged.shards:
        sys.stdout.write(f"shard {s.label:<7} {s.flows:>4} flows  {s.failed:>3} failed  {s.seconds:7.1f} s  ({s.folder})\n")
    for p in merged.problems:
        sys.stderr.write(f"sso-harness report: {p.code}: {p.message}\n")
    sys.stdout.write(f"Merged {len(merged.outcomes)} flows ({merged.failed} failed) from {len(merged.shards)} shards, "
                     f"longest {merged.wall_seconds:.1f} s: {out / 'index.html'}, {out / 'summary.md'}, {out / 'junit.xml'}, "
                     f"{out / 'allure-results'}/\n")
    if not merged.outcomes:
        return 2
    return 1 if merged.failed or merged.problems else 0


def _say(text: str) -> None:
    sys.stderr.write(f"sso-harness report: {text}\n")


def _add_results_context(results: Path) -> None:
    """Results written without the plugin (an older run, another tool) still get the SSO categories."""
    from sso_harness.plugin.allure_categories import CATEGORIES_FILE, write_categories

    if results.is_dir() and not (results / CATEGORIES_FILE).exists():
        write_categories(results)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sso-harness")
    sub = parser.add_subparsers(dest="command")
    add_parser(sub)
    args = parser.parse_args(["report", *(sys.argv[1:] if argv is None else argv)])
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
