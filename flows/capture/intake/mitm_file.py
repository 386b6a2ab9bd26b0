"""A mitmproxy flows file (``mitmdump -w``, mitmweb's "Save"), read with mitmproxy's own reader.

Only HTTP flows are traces; TCP, UDP and DNS flows are counted and left out.
"""

from __future__ import annotations

import io
import re

from mitmproxy import exceptions, http
from mitmproxy.io import FlowReader

from sso_harness.capture.intake.errors import EMPTY, MALFORMED, IntakeError
from sso_harness.capture.intake.readout import Readout

__all__ = ["is_mitmproxy", "read_mitmproxy"]

# A flows file is a sequence of tnetstring dictionaries: "<length>:<payload>}".
_TNETSTRING = re.compile(rb"^(\d{1,9}):")


def is_mitmproxy(data: bytes) -> bool:
    head = _TNETSTRING.match(data)
    if head is None:
        return False
    end = head.end() + int(head.group(1))
    return end < len(data) and data[end:end + 1] == b"}"


def read_mitmproxy(data: bytes) -> Readout:
    flows: list[http.HTTPFlow] = []
    other = 0
    try:
        for f in FlowReader(io.BytesIO(data)).stream():
            if isinstance(f, http.HTTPFlow):
                flows.append(f)
            else:
                other += 1
    except exceptions.FlowReadException as exc:
        raise IntakeError(MALFORMED, f"mitmproxy could not read the flows ({exc})") from None
    if not flows:
        raise IntakeError(EMPTY, "no HTTP flows in the file" + (f" ({other} other flows)" if other else ""))
    notes = (f"{other} non-HTTP flows (TCP, UDP, DNS) left out",) if other else ()
    # Recorded in the order responses finished, as the live recorder does.
    flows.sort(key=lambda f: (f.response.timestamp_end if f.response and f.response.timestamp_end else f.timestamp_start))
    return Readout(flows=tuple(flows), notes=notes)
