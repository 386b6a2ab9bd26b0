"""``sso-harness run``: the main job. Sign in every way one target lists, check, and write reports.

    sso-harness run [--target NAME] [--config FILE] [-k EXPR] [-n N] [--reports DIR] [--shard K/N]
                    [--browser-endpoint URL] [--concurrency N] [--env-file FILE] [--proxy-port N]

Runs the suite shipped in the package (:mod:`sso_harness.apps.run_suite`),
which holds exactly the target's flows, so it works after ``pip install``
from any folder. The default target is the embedded mock fleet, described by
the packaged ``sso_harness/targets/mocks.yaml``; ``--target NAME`` reads
NAME from ``--config`` (default ``./targets.yaml``). The target is checked
first, as ``sso-harness check --target NAME`` does: every problem of it is
printed at once, with its code, file:line and key path, and the run stops
(exit 2) before a browser starts. Other targets' problems do not stop it.

Prints one progress line per flow, then the summary table (flow, result,
time, first failed expectation). Writes to ``reports/``: ``index.html`` (the
run summary, each flow linking its timeline under ``timelines/``),
``allure-results/``, ``junit.xml`` and ``summary.md``. Exits 0 only if every
flow passed.

``--env-file FILE`` reads ``KEY=VALUE`` lines (``#`` comments, blank lines)
into the environment first, for the file's ``${VAR}`` values; variables
already set win. ``--proxy-port N`` (default: ``$SSO_HARNESS_PROXY_PORT``,
else a free port) makes the capture proxy listen on 127.0.0.1:N, so an RP
whose outgoing proxy is set there (``sso-harness peers up`` does that for
mod_auth_openidc) shows its back channel in the trace.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

__all__ = ["add_parser", "run", "pytest_args", "resolve_config", "shard_args", "read_env_file", "PROXY_PORT_VAR", "BAD_ENV_FILE"]

MOCKS = "mocks"
PROXY_PORT_VAR = "SSO_HARNESS_PROXY_PORT"
BAD_ENV_FILE = "run.bad_env_file"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("run", help="run one target's flows (default: the embedded mocks) and write reports/")
    p.add_argument("--target", default=MOCKS, help="target name from the targets file (default: mocks, the embedded mock fleet)")
    p.add_argument("--config", default=None, metavar="FILE",
                   help="targets YAML (default: ./targets.yaml; for the mocks, the packaged mock target)")
    p.add_argument("-k", dest="keyword", default=None, help="only flows whose name (SP-flow-userN) matches EXPR")
    p.add_argument("-n", dest="workers", default=None, help="parallel workers (pytest-xdist), e.g. 2 or auto")
    p.add_argument("--concurrency", type=int, default=None, metavar="N",
                   help="play N flows at a time in one browser, proxy and mock fleet (a context each; -n 1 only)")
    p.add_argument("--reports", default="reports", help="output folder (default: reports)")
    p.add_argument("--shard", default=None, metavar="K/N",
                   help="run only shard K of N (a deterministic, duration-balanced split; merge with `report --merge`)")
    p.add_argument("--shard-durations", default=None, metavar="FILE",
                   help="JUnit XML of a previous run for --shard (default: REPORTS/junit.xml if present, else a hash split)")
    p.add_argument("--browser-endpoint", default=None, metavar="URL",
                   help="drive a running browser instead of launching one: ws://HOST:PORT/PATH (a Playwright browser "
                        "server) or http://HOST:PORT (a Chromium DevTools endpoint)")
    p.add_argument("--env-file", default=None, metavar="FILE",
                   help="KEY=VALUE lines for the targets file's ${VAR} values (e.g. peers.env from `sso-harness peers up`)")
    p.add_argument("--proxy-port", type=int, default=None, metavar="N",
                   help=f"the capture proxy's port on 127.0.0.1 (default: ${PROXY_PORT_VAR}, else a free port)")
    p.set_defaults(handler=run)


def read_env_file(path: Path) -> dict[str, str]:
    """The ``KEY=VALUE`` lines of ``path``; raises ValueError coded ``run.bad_env_file`` (line number, never the value)."""
    out: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        key, sep, value = text.removeprefix("export ").partition("=")
        if not sep or not key.strip().isidentifier():
            raise ValueError(f"{BAD_ENV_FILE}: {path}:{n}: expected KEY=VALUE")
        out[key.strip()] = value.strip()
    return out


def resolve_config(target: str, config: str | None, cwd: Path) -> Path | None:
    """The targets file to read: ``--config``, else ``./targets.yaml``; None means the packaged mock target."""
    if config:
        return Path(config).resolve()
    if target == MOCKS:
        return None
    return (cwd / "targets.yaml").resolve()


def pytest_args(args: argparse.Namespace, reports: Path, config: Path | None, *, allow_egress: bool) -> list[str]:
    """The pytest command line of a run: the packaged suite under its own ini, reports under ``reports``."""
    from sso_harness.apps.run_suite import SUITE_DIR, SUITE_INI

    argv = [
        str(SUITE_DIR), "-c", str(SUITE_INI), "--rootdir", str(SUITE_DIR), "-q", "--sso-progress",
        f"--alluredir={reports / 'allure-results'}",
        f"--junitxml={reports / 'junit.xml'}",
        f"--sso-summary={reports / 'summary.md'}",
        f"--output={reports / 'playwright'}", "--tracing=retain-on-failure",
        f"--sso-target={args.target}",
    ]
    if config is not None:
        argv.append(f"--sso-targets-file={config}")
    if allow_egress:
        argv.append("--sso-allow-egress")
    if args.keyword:
        argv += ["-k", args.keyword]
    if args.workers:
        argv += ["-n", str(args.workers)]
    if getattr(args, "concurrency", None):
        argv.append(f"--sso-concurrency={args.concurrency}")
    if getattr(args, "browser_endpoint", None):
        argv.append(f"--sso-browser-endpoint={args.browser_endpoint}")
    port = getattr(args, "proxy_port", None) or os.environ.get(PROXY_PORT_VAR)
    if port:
        argv.append(f"--sso-proxy-port={port}")
    return argv + shard_args(args, reports)


def shard_args(args: argparse.Namespace, reports: Path) -> list[str]:
    """``--shard K/N`` as the plugin's options; its durations default to the last run's ``REPORTS/junit.xml``."""
    shard = getattr(args, "shard", None)
    if not shard:
        return []
    durations = getattr(args, "shard_durations", None) or (reports / "junit.xml" if (reports / "junit.xml").exists() else None)
    argv = [f"--sso-shard={shard}", f"--sso-shard-record={reports / 'shard.json'}"]
    return argv + ([f"--sso-shard-durations={durations}"] if durations else [])


def run(args: argparse.Namespace) -> int:
    from sso_harness.targets.check import check_file
    from sso_harness.targets.mock_target import MOCKS_FILE

    if getattr(args, "env_file", None):
        try:
            for key, value in read_env_file(Path(args.env_file)).items():
                os.environ.setdefault(key, value)
        except (OSError, ValueError) as exc:
            sys.stderr.write(f"sso-harness run: cannot read --env-file: {exc}\n")
            return 2
    if (getattr(args, "proxy_port", None) or os.environ.get(PROXY_PORT_VAR)) and args.workers:
        sys.stderr.write(f"sso-harness run: a fixed proxy port (--proxy-port or {PROXY_PORT_VAR}) takes one worker; drop -n\n")
        return 2
    config = resolve_config(args.target, args.config, Path.cwd())
    # `sso-harness check`'s own check, of this target only: every problem at once, before anything starts.
    checked = check_file(MOCKS_FILE if config is None else config, target=args.target)
    if not checked.ok:
        sys.stderr.write(f"sso-harness run: refused, the target does not check out (sso-harness check):\n{checked.report()}")
        return 2
    target = checked.targets[args.target]
    import pytest

    from sso_harness.report.html import write_run_summary

    reports = Path(args.reports).resolve()
    reports.mkdir(parents=True, exist_ok=True)
    # This run's results only: an earlier run's would show up in the summary as flows of this one.
    for stale in ("allure-results", "timelines"):
        shutil.rmtree(reports / stale, ignore_errors=True)
    (reports / "shard.json").unlink(missing_ok=True)
    status = int(pytest.main(pytest_args(args, reports, config, allow_egress=target.allow_egress and not target.embedded_mocks)))
    if status == pytest.ExitCode.NO_TESTS_COLLECTED and getattr(args, "shard", None):
        status = 0  # more shards than flows: an empty shard is a shard that passed
    index = write_run_summary(reports)
    summary = reports / "summary.md"
    if summary.exists():
        sys.stdout.write("\n" + summary.read_text(encoding="utf-8"))
    sys.stdout.write(f"\nReports: {index} (run summary and flow timelines), {reports / 'allure-results'}/, "
                     f"{reports / 'junit.xml'}, {summary}\n")
    return status
