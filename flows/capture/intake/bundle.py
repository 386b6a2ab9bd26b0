"""An sso-harness support bundle (a zip): its ``trace.json`` member is the trace."""

from __future__ import annotations

import io
import json
import zipfile

from sso_harness.capture.intake.errors import MALFORMED, TOO_LARGE, UNKNOWN_FORMAT, IntakeError
from sso_harness.capture.intake.readout import Readout, mapping
from sso_harness.capture.intake.trace_json import is_trace_json, read_trace_json

__all__ = ["is_zip", "read_bundle_zip"]

_ZIP_MAGIC = b"PK\x03\x04"


def is_zip(data: bytes) -> bool:
    return data.startswith(_ZIP_MAGIC)


def read_bundle_zip(data: bytes, *, max_bytes: int) -> Readout:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            if "trace.json" not in names:
                kind = "a Playwright trace" if any(n.endswith(".trace") for n in names) else "a zip"
                raise IntakeError(UNKNOWN_FORMAT, f"{kind} without trace.json: not an sso-harness bundle")
            info = z.getinfo("trace.json")
            # The declared size is checked before inflating, so a zip bomb is refused unread.
            if info.file_size > max_bytes:
                raise IntakeError(TOO_LARGE, f"trace.json is {info.file_size} bytes (limit {max_bytes})", where="trace.json")
            raw = z.read("trace.json")
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise IntakeError(MALFORMED, f"cannot read the zip ({exc})") from None
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        raise IntakeError(MALFORMED, f"trace.json is not JSON ({exc})", where="trace.json") from None
    if not is_trace_json(doc):
        raise IntakeError(MALFORMED, "trace.json is not an sso-harness trace", where="trace.json")
    return read_trace_json(mapping(doc, "trace.json"))
