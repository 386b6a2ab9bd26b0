"""``sso-harness init``: start a project that uses the harness, in the current folder.

    sso-harness init [--force]

Writes three files, each runnable as written against the embedded mocks:

* ``targets.yaml``: a target ``local`` (the embedded mock fleet, described
  the way a team describes its tenant) and a commented one to fill in;
* ``tests/test_sso_login.py``: one SP-initiated SAML sign-in, with the
  plugin's fixtures and ``expect``;
* ``.github/workflows/sso-nightly.yml``: a nightly CI job (Debian 12
  container) that checks the file, runs the test and the target's flows, and
  keeps the reports.

A file that already exists is not overwritten: ``init`` then writes nothing,
names the files in the way and exits 1, unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["FILES", "TEMPLATES", "add_parser", "run", "write_project"]

TEMPLATES = Path(__file__).resolve().with_name("init_templates")

#: Where each file goes (relative to the folder) -> its template in :data:`TEMPLATES`.
FILES: dict[str, str] = {
    "targets.yaml": "targets.yaml.tmpl",
    "tests/test_sso_login.py": "test_sso_login.py.tmpl",
    ".github/workflows/sso-nightly.yml": "sso-nightly.yml.tmpl",
}

NEXT_STEPS = """\
Next:
  sso-harness check                   # validate targets.yaml
  pytest tests/test_sso_login.py      # one SAML sign-in against the embedded mocks
  sso-harness run --target local      # every flow of the target, reports in reports/
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("init", help="write a starter targets.yaml, an example test and a CI workflow here")
    p.add_argument("--force", action="store_true", help="overwrite files that already exist")
    p.set_defaults(handler=run)


def write_project(folder: Path, *, force: bool = False) -> list[Path]:
    """Write :data:`FILES` under ``folder``; the paths written. Raises ``FileExistsError`` naming every file in the way."""
    targets = {folder / name: TEMPLATES / template for name, template in FILES.items()}
    existing = [path for path in targets if path.exists()]
    if existing and not force:
        raise FileExistsError(", ".join(str(p.relative_to(folder)) for p in existing))
    for path, template in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    return list(targets)


def run(args: argparse.Namespace) -> int:
    folder = Path.cwd()
    try:
        written = write_project(folder, force=args.force)
    except FileExistsError as exc:
        sys.stderr.write(f"sso-harness init: refused, these files exist: {exc} (--force overwrites them)\n")
        return 1
    for path in written:
        sys.stdout.write(f"wrote {path.relative_to(folder)}\n")
    sys.stdout.write(NEXT_STEPS)
    return 0
