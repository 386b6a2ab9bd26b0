"""``bundle.json``: what a support bundle is and how it was made, in a versioned schema.

Schema ``sso-harness/bundle`` version 1: ``schema``, ``version``,
``generator``, ``created_at`` (ISO-8601 UTC), ``command_line`` (the argv
with secrets removed), ``redaction`` (``{"enabled", "pii_masked"}``;
``enabled: false`` is the explicit ``--no-redact``), ``capture`` (start
URL, landing pattern, timeout, driver, why it stopped), ``hops``,
``diagnosis`` (the findings) and ``files`` (name → what it is).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from sso_harness.version import __version__
from sso_harness.report.redact import REDACTED, Redactor, is_secret_parameter

__all__ = ["BUNDLE_SCHEMA", "BUNDLE_VERSION", "safe_command_line", "bundle_metadata"]

BUNDLE_SCHEMA = "sso-harness/bundle"
BUNDLE_VERSION = 1
# Option names whose value is a secret, should anyone pass one (ours take environment variable names).
_SECRET_OPTION = re.compile(r"^--?(?:[\w-]*(?:password|passwd|secret|token|assertion|cookie)|code)(?:=|$)", re.I)


def safe_command_line(argv: Sequence[str]) -> list[str]:
    """``argv`` with secret option values and secret URL parameters replaced by ``[redacted]``.

    Applied whatever the redaction mode: the command line is metadata, and
    ``--password-env`` takes a variable's name, never its value.
    """
    scrubber = Redactor(enabled=True)
    out: list[str] = []
    hide_next = False
    for arg in argv:
        if hide_next:
            out.append(REDACTED)
            hide_next = False
            continue
        if _SECRET_OPTION.match(arg) and not arg.lower().endswith("-env") and "-env=" not in arg.lower():
            if "=" in arg:
                out.append(arg.split("=", 1)[0] + "=" + REDACTED)
            else:
                out.append(arg)
                hide_next = True
            continue
        if "://" in arg or ("=" in arg and is_secret_parameter(arg.split("=", 1)[0])):
            out.append(scrubber.url(arg, where="command line") if "://" in arg else arg.split("=", 1)[0] + "=" + REDACTED)
            continue
        out.append(arg)
    return out


def bundle_metadata(
    *,
    redactor: Redactor,
    argv: Sequence[str],
    capture: dict[str, Any],
    hops: int,
    diagnosis: list[dict[str, Any]],
    files: dict[str, str],
    created_at: dt.datetime | None = None,
) -> dict[str, Any]:
    moment = created_at or dt.datetime.now(dt.timezone.utc)
    return {
        "schema": BUNDLE_SCHEMA,
        "version": BUNDLE_VERSION,
        "generator": f"sso-harness {__version__}",
        "created_at": moment.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "command_line": safe_command_line(argv),
        "redaction": {"enabled": redactor.enabled, "pii_masked": redactor.enabled and redactor.pii},
        "capture": capture,
        "hops": hops,
        "diagnosis": diagnosis,
        "files": files,
    }
