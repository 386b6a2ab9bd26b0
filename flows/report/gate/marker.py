"""The ``--no-redact`` / ``--sso-no-redact`` mark: an artifact written with redaction off says so inside.

Nothing is scrubbed in that mode; each artifact instead carries the notice
:data:`NOTICE`, in the place its readers look: a folder gets
``REDACTION-OFF.txt``, a zip a member of that name, an Allure result a
``redaction: off`` label, Markdown a closing line, HTML a banner after
``<body>``, XML a comment after its declaration.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

__all__ = ["NOTICE", "MARKER_FILE", "REDACTION_LABEL", "mark_unredacted", "is_marked"]

NOTICE = "REDACTION IS OFF (--sso-no-redact / --no-redact): this artifact may contain passwords, tokens and cookies in clear."
MARKER_FILE = "REDACTION-OFF.txt"
REDACTION_LABEL = "redaction"
_BODY = re.compile(r"<body\b[^>]*>", re.I)
_XML_DECL = re.compile(r"^<\?xml[^>]*\?>")


def is_marked(path: Path) -> bool:
    """Whether ``path`` (file or folder) carries the notice."""
    if path.is_dir():
        return (path / MARKER_FILE).is_file()
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return MARKER_FILE in z.namelist()
    return NOTICE.encode("utf-8") in data or b'"name": "redaction", "value": "off"' in data


def mark_unredacted(path: Path) -> bool:
    """Put the notice into ``path`` (a folder: a marker file, not its contents); True if it was added."""
    if path.is_dir():
        marker = path / MARKER_FILE
        if marker.exists():
            return False
        marker.write_text(NOTICE + "\n", encoding="utf-8")
        return True
    if not path.is_file():
        return False
    data = path.read_bytes()
    name = path.name.lower()
    if data.startswith(b"PK\x03\x04"):
        return _mark_zip(path, data)
    if name.endswith("-result.json"):
        return _mark_allure_result(path, data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if NOTICE in text:
        return False
    if name.endswith(".md"):
        marked = text.rstrip("\n") + f"\n\n**{NOTICE}**\n"
    elif name.endswith((".html", ".htm")):
        banner = f"<div class='banner danger' id='no-redact'>{NOTICE}</div>"
        body = _BODY.search(text)
        marked = text[: body.end()] + banner + text[body.end():] if body else banner + text
    elif name.endswith(".xml"):
        decl = _XML_DECL.match(text)
        comment = f"<!-- {NOTICE} -->"
        marked = text[: decl.end()] + comment + text[decl.end():] if decl else comment + text
    elif name.endswith((".txt", ".log")):
        marked = f"{NOTICE}\n{text}"
    else:
        return False  # JSON and HAR have no comment syntax; their folder carries the marker file
    path.write_text(marked, encoding="utf-8")
    return True


def _mark_zip(path: Path, data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if MARKER_FILE in z.namelist():
            return False
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(MARKER_FILE, NOTICE + "\n")
    return True


def _mark_allure_result(path: Path, data: bytes) -> bool:
    try:
        result = json.loads(data)
    except ValueError:
        return False
    if not isinstance(result, dict):
        return False
    labels = result.setdefault("labels", [])
    if any(isinstance(label, dict) and label.get("name") == REDACTION_LABEL for label in labels):
        return False
    labels.append({"name": REDACTION_LABEL, "value": "off"})
    labels.append({"name": "tag", "value": "REDACTION OFF"})
    result.setdefault("description", NOTICE)
    path.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return True
