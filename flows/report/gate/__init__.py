"""The redaction gate: every artifact a run wrote is swept for known secrets after the fact.

    sweep(paths, book) -> SweepReport

``paths`` are files or folders (walked); ``book`` is a
:class:`~sso_harness.protocols.secrets.SecretBook` (or ready
:class:`~sso_harness.report.html.scrub.SecretValues`). Text, JSON, XML, HTML,
Markdown and HAR files and zip archives (nested; a Playwright ``trace.zip``
with its structural rules) are rewritten with every known value replaced by
``[redacted]`` in its raw, URL-encoded and base64 forms; images are left as
they are. With ``enabled=False`` (the explicit ``--sso-no-redact``) nothing is
scrubbed and every artifact is marked instead (:mod:`.marker`). What the
Playwright traces show to be secret (:func:`learn_from_traces`) is added to
the values first, and a ready ``SecretValues`` passed in keeps those values.

Files are rewritten atomically (a temporary file renamed over the original),
so a reader never sees half a file.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sso_harness.protocols.secrets import SecretBook
from sso_harness.report.bundle.pwtrace import is_playwright_trace, trace_secrets
from sso_harness.report.gate.formats import Scrubbed, is_image, scrub_bytes, scrub_text
from sso_harness.report.gate.marker import MARKER_FILE, NOTICE, is_marked, mark_unredacted
from sso_harness.report.html.scrub import SecretValues

__all__ = ["SweepReport", "sweep", "scrub_file", "learn_from_traces", "scrub_text", "secret_values_of", "mark_unredacted", "is_marked",
           "NOTICE", "MARKER_FILE"]


@dataclass
class SweepReport:
    """What a sweep did: files looked at, files rewritten (with their replacement counts), files marked."""

    files: int = 0
    replacements: int = 0
    changed: dict[Path, int] = field(default_factory=dict)
    marked: list[Path] = field(default_factory=list)
    redacted: bool = True

    def summary(self) -> str:
        if not self.redacted:
            return f"redaction gate: OFF (--sso-no-redact): {self.files} files left in clear, {len(self.marked)} marked"
        return f"redaction gate: {self.files} files swept, {self.replacements} values replaced in {len(self.changed)} files"


def secret_values_of(book: SecretBook | SecretValues) -> SecretValues:
    return book if isinstance(book, SecretValues) else SecretValues.from_book(book)


def _files(paths: Iterable[Path | str]) -> list[Path]:
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.is_symlink()))
        elif p.is_file():
            found.append(p)
    return list(dict.fromkeys(found))


def learn_from_traces(files: Iterable[Path]) -> set[str]:
    """What the Playwright traces among ``files`` show to be secret (a password typed into a password
    field...): those values are then scrubbed from every other artifact too (a test's source line in a
    traceback, a captured log)."""
    learned: set[str] = set()
    for path in files:
        if is_image(path.name) or not path.is_file():
            continue
        with path.open("rb") as f:
            if f.read(4) != b"PK\x03\x04":
                continue
        try:
            with zipfile.ZipFile(path) as z:
                if is_playwright_trace(z.namelist()):
                    learned |= trace_secrets({n: z.read(n) for n in z.namelist() if n.endswith((".trace", ".network")) or n.startswith("resources/")})
        except (zipfile.BadZipFile, OSError):
            continue
    return learned


def scrub_file(path: Path, secrets: SecretValues) -> int:
    """Scrub one file in place; the number of values replaced (0: the file was not rewritten)."""
    if is_image(path.name):
        return 0
    done: Scrubbed = scrub_bytes(path.name, path.read_bytes(), secrets)
    if done.data is None:
        return 0
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(done.data)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return done.replaced


def sweep(paths: Iterable[Path | str], book: SecretBook | SecretValues, *, enabled: bool = True) -> SweepReport:
    """Scrub every file under ``paths`` of the values in ``book`` (see the module docstring)."""
    roots = [Path(p) for p in paths]
    files = _files(roots)
    report = SweepReport(files=len(files), redacted=enabled)
    if not enabled:
        for target in [p for p in roots if p.is_dir()] + files:
            if mark_unredacted(target):
                report.marked.append(target)
        return report
    secrets = secret_values_of(book)
    for value in learn_from_traces(files):
        secrets.add(value)
    for path in files:
        n = scrub_file(path, secrets)
        if n:
            report.changed[path] = n
            report.replacements += n
    return report
