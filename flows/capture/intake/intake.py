"""Bring your own trace: any supported file in, capture hops out.

The format is told by content, never by the file name. Each reader turns
its format into exchanges; a :class:`~sso_harness.capture.recorder.Recorder`
turns those into hops, so an imported trace has the body limit,
truncation marks and response-body policy of a live capture, and the
layers above (decoding, diagnosis, bundles) see no difference.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final, Literal

from sso_harness.capture.hop import Hop
from sso_harness.capture.intake.bundle import is_zip, read_bundle_zip
from sso_harness.capture.intake.errors import EXPECTED, MALFORMED, TOO_LARGE, UNKNOWN_FORMAT, UNREADABLE, IntakeError
from sso_harness.capture.intake.har import is_har, read_har
from sso_harness.capture.intake.mitm_file import is_mitmproxy, read_mitmproxy
from sso_harness.capture.intake.readout import Readout
from sso_harness.capture.intake.recording import record_flows
from sso_harness.capture.intake.samltracer import is_samltracer, read_samltracer
from sso_harness.capture.intake.trace_json import is_trace_json, read_trace_json
from sso_harness.capture.intake.wire import WireExchange, to_flow
from sso_harness.capture.recorder import Recorder

__all__ = ["Format", "FORMAT_NAMES", "MAX_FILE_BYTES", "Intake", "detect_format", "read_capture", "read_capture_file"]

Format = Literal["har", "saml-tracer", "mitmproxy", "trace-json", "bundle"]
FORMAT_NAMES: Final[dict[Format, str]] = {
    "har": "HAR", "saml-tracer": "SAML-tracer export", "mitmproxy": "mitmproxy flows file",
    "trace-json": "sso-harness trace.json", "bundle": "sso-harness bundle",
}
MAX_FILE_BYTES: Final = 512 * 1024 * 1024
"""Files above this are refused before parsing: a HAR with every page's content rarely passes 100 MB."""


@dataclass(frozen=True)
class Intake:
    """A file taken in: its ``format``, the ``hops`` (numbered from 0 in the order exchanges finished).

    ``timed`` is False when the file has no time per exchange; ``captured_at``
    is when the last exchange finished (or the export's own time, untimed),
    the moment validity windows are judged at. ``redacted`` says, for the
    harness's own files, whether they were written redacted (None: not ours).
    """

    format: Format
    hops: tuple[Hop, ...]
    timed: bool = True
    notes: tuple[str, ...] = ()
    blocked_hosts: dict[str, int] = field(default_factory=dict)
    captured_at: dt.datetime | None = None
    redacted: bool | None = None

    @property
    def format_name(self) -> str:
        return FORMAT_NAMES[self.format]


def detect_format(data: bytes) -> tuple[Format, object]:
    """The format of ``data`` and, for JSON formats, the parsed document.

    Raises :class:`IntakeError` (``intake.unknown_format`` naming what is
    expected, or ``intake.malformed`` for JSON that does not parse).
    """
    if is_zip(data):
        return "bundle", None
    if is_mitmproxy(data):
        return "mitmproxy", None
    body = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not body.startswith((b"{", b"[")):
        raise IntakeError(UNKNOWN_FORMAT, f"not a trace file; expected {EXPECTED}")
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise IntakeError(MALFORMED, f"JSON that does not parse (truncated?): {exc}") from None
    for fmt, test in (("har", is_har), ("trace-json", is_trace_json), ("saml-tracer", is_samltracer)):
        if test(doc):
            return fmt, doc  # type: ignore[return-value]  # fmt is one of the Format literals above
    keys = ", ".join(sorted(doc)[:6]) if isinstance(doc, Mapping) else type(doc).__name__
    raise IntakeError(UNKNOWN_FORMAT, f"JSON ({keys}) in no known layout; expected {EXPECTED}")


def read_capture(data: bytes, *, recorder: Recorder | None = None, max_bytes: int = MAX_FILE_BYTES,
                 formats: Collection[Format] | None = None, allow_empty: bool = False) -> Intake:
    """Take in ``data`` (any supported format); hops are recorded by ``recorder`` (default: a fresh one).

    ``formats``, when given, are the only formats taken: any other is refused
    with ``intake.unknown_format``. ``allow_empty`` takes an sso-harness
    trace.json without hops (a flow where the browser sent nothing) as an
    empty intake instead of refusing it with ``intake.empty``.
    """
    if len(data) > max_bytes:
        raise IntakeError(TOO_LARGE, f"{len(data)} bytes (limit {max_bytes})")
    fmt, doc = detect_format(data)
    if formats is not None and fmt not in formats:
        wanted = " or ".join(FORMAT_NAMES[f] for f in formats)
        raise IntakeError(UNKNOWN_FORMAT, f"a {FORMAT_NAMES[fmt]}, not the {wanted} expected here")
    rec = recorder or Recorder(loopback_only=False)
    try:
        readout = _read(fmt, data, doc, max_bytes, allow_empty=allow_empty)
        flows = list(readout.flows) or [to_flow(x) for x in readout.exchanges]
        hops = tuple(_marked(record_flows(flows, rec), readout))
    # Readers check the layout they need; a hand-edited file can still put any JSON type anywhere,
    # and each such surprise surfaces as one of these.
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError, RecursionError) as exc:
        if isinstance(exc, IntakeError):
            raise
        raise IntakeError(MALFORMED, f"unexpected content in a {FORMAT_NAMES[fmt]} ({type(exc).__name__}: {exc})") from None
    notes = list(readout.notes)
    cut = sum(h.request_body_truncated + h.response_body_truncated for h in hops)
    if cut:
        notes.append(f"{cut} bodies cut at {rec.body_limit} bytes (the recorder's limit)")
    if readout.timed and hops:
        moment: float | None = max(h.finished for h in hops)
    else:
        moment = readout.stamp
    return Intake(fmt, hops, readout.timed, tuple(notes), dict(readout.blocked_hosts), _moment(moment), readout.redacted)


def _moment(epoch: float | None) -> dt.datetime | None:
    try:
        return None if epoch is None else dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    except (OverflowError, ValueError, OSError):
        return None  # a flows file with an impossible time: judged as untimed


def read_capture_file(path: Path, *, recorder: Recorder | None = None, max_bytes: int = MAX_FILE_BYTES) -> Intake:
    """:func:`read_capture` on a file; errors name the file."""
    source = str(path)
    try:
        size = Path(path).stat().st_size
        if size > max_bytes:
            raise IntakeError(TOO_LARGE, f"{size} bytes (limit {max_bytes})", source=source)
        data = Path(path).read_bytes()
    except OSError as exc:
        raise IntakeError(UNREADABLE, f"cannot read: {exc.strerror or exc}", source=source) from None
    try:
        return read_capture(data, recorder=recorder, max_bytes=max_bytes)
    except IntakeError as exc:
        raise exc.with_source(source) from None


def _marked(hops: list[Hop], readout: Readout) -> list[Hop]:
    """Hops keep the truncation marks their file recorded (a body cut before it was written), and the limit it was cut at."""
    if not readout.exchanges:
        return hops
    return [_marked_hop(h, x) for h, x in zip(hops, readout.exchanges)]


def _marked_hop(hop: Hop, x: WireExchange) -> Hop:
    if not (x.request_truncated or x.response_truncated):
        return hop
    # The file's limit, unless this recorder cut the body again (then its own, smaller, limit is the one that holds).
    cut_here = hop.request_body_truncated or hop.response_body_truncated
    limit = hop.body_limit if x.body_limit is None or cut_here else x.body_limit
    return replace(hop, request_body_truncated=hop.request_body_truncated or x.request_truncated,
                   response_body_truncated=hop.response_body_truncated or x.response_truncated, body_limit=limit)


def _read(fmt: Format, data: bytes, doc: object, max_bytes: int, *, allow_empty: bool = False) -> Readout:
    if fmt == "bundle":
        return read_bundle_zip(data, max_bytes=max_bytes)
    if fmt == "mitmproxy":
        return read_mitmproxy(data)
    assert isinstance(doc, Mapping)  # the JSON formats were detected on a mapping
    if fmt == "har":
        return read_har(doc)
    if fmt == "trace-json":
        return read_trace_json(doc, allow_empty=allow_empty)
    return read_samltracer(doc)
