"""README's synopsis of ``sso-harness run`` lists every option the command takes (and no other)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from sso_harness.apps.cli import run

README = Path(__file__).resolve().parents[3] / "README.md"


def _options() -> set[str]:
    parser = argparse.ArgumentParser()
    run.add_parser(parser.add_subparsers())
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["run"]
    return {s for a in sub._actions for s in a.option_strings if s not in ("-h", "--help")}


def test_the_readme_synopsis_names_every_run_option() -> None:
    synopsis = next(line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("sso-harness run "))
    shown = set(re.findall(r"\[(-{1,2}[a-z][a-z-]*)", synopsis))
    assert shown == _options(), synopsis
