"""Scan every file under a folder, archives opened recursively, for canaries in any form.

A zip (by its magic bytes, whatever its name: ``trace.zip``, a bundle, a
zip inside a bundle) is opened and each member scanned, members that are
zips or gzip streams included. Text is read as latin-1, so every byte is a
character and nothing is lost to decoding. Each canary is looked for in the
forms of :func:`tests.report.secret_scan.named_forms` (raw, URL-encoded,
base64 at every alignment). A long canary (an ID token's signature) is
also looked for by its first and last 32 characters, raw: a display that
shortens a value in the middle (pytest's assertion reprs do) still shows
those, and a token cut short is still a token leaked in part.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.report.secret_scan import named_forms

__all__ = ["Hit", "ScanResult", "forms_of", "scan_tree"]

_ZIP = b"PK\x03\x04"
_GZIP = b"\x1f\x8b"
_MAX_DEPTH = 4  # zips inside zips deeper than this are not something the harness writes
_FRAGMENT = 32  # characters; long enough that no other text matches by chance


@dataclass(frozen=True)
class Hit:
    """One canary found: where (``file!member!member``), which canary, in which form (never the value itself)."""

    where: str
    kind: str
    form: str

    def __str__(self) -> str:
        return f"{self.where}: {self.kind} ({self.form})"


@dataclass
class ScanResult:
    files: int = 0  # files on disk
    members: int = 0  # archive members, at any depth
    hits: list[Hit] = field(default_factory=list)

    @property
    def scanned(self) -> int:
        return self.files + self.members


def _blobs(name: str, data: bytes, depth: int) -> Iterator[tuple[str, bytes, bool]]:
    """``(where, bytes, is_member)`` for ``data``, or, when it is an archive, for its member names and each member.

    An archive's own bytes are not searched: members stored uncompressed
    would be reported twice, and compressed ones cannot match anyway.
    """
    is_member = depth > 0
    if depth < _MAX_DEPTH and data.startswith(_ZIP):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            archive = None
        if archive is not None:
            with archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                yield name, "\n".join(m.filename for m in members).encode(), is_member
                for member in members:
                    yield from _blobs(f"{name}!{member.filename}", archive.read(member), depth + 1)
            return
    if depth < _MAX_DEPTH and data.startswith(_GZIP):
        try:
            inner = gzip.decompress(data)
        except (OSError, EOFError):
            inner = None
        if inner is not None:
            yield from _blobs(f"{name}!(gunzip)", inner, depth + 1)
            return
    yield name, data, is_member


def forms_of(value: str) -> dict[str, str]:
    """Every form of ``value`` to look for, mapped to its name."""
    forms = named_forms(value)
    if len(value) >= 2 * _FRAGMENT:
        forms.setdefault(value[:_FRAGMENT], f"raw, first {_FRAGMENT} characters")
        forms.setdefault(value[-_FRAGMENT:], f"raw, last {_FRAGMENT} characters")
    return forms


def scan_tree(roots: Mapping[str, Path], canaries: Mapping[str, str]) -> ScanResult:
    """Every file under each root (named by its key in reports), against ``canaries`` (kind -> value)."""
    forms = {kind: forms_of(value) for kind, value in canaries.items()}
    result = ScanResult()
    for label, root in roots.items():
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
            result.files += 1
            where = f"{label}/{path.relative_to(root)}"
            for name, data, is_member in _blobs(where, path.read_bytes(), 0):
                result.members += is_member
                text = data.decode("latin-1")
                for kind, variants in forms.items():
                    found = next((form_name for form, form_name in variants.items() if form in text), None)
                    if found is not None:
                        result.hits.append(Hit(name, kind, found))
    return result
