"""``sso-harness decode`` — decode a captured or pasted SAML message.

Usage::

    sso-harness decode INPUT [--idp-cert PEM ...] [--sp-key PEM] [--at ISO-8601] [--json]

INPUT is a file path or ``-`` for stdin and may hold raw XML, base64 (plain
or DEFLATEd), a full URL with ``SAMLRequest``/``SAMLResponse`` in its query,
or an urlencoded POST body.  Exit status: 0 when decoded (trusted or not),
2 with a single ``sso-harness decode: <reason>`` line on stderr otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509

from flows.protocols.errors import DecodeError
from flows.protocols.saml import decode_any, format_instant, render_summary, to_json
from flows.protocols.xmldsig_keys import load_certificates

__all__ = ["add_parser", "run"]

_PROG = "sso-harness decode"
_MAX_INPUT = 50 * 1024 * 1024


class _Failure(Exception):
    """A user-facing failure: printed as one line, exit status 2."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the ``decode`` sub-command on an argparse sub-parser set."""
    parser = subparsers.add_parser(
        "decode",
        help="decode a SAML message (XML, base64, URL or POST body) and verify its signatures",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument("input", metavar="INPUT", help="file with the message, or - for stdin")
    parser.add_argument(
        "--idp-cert",
        metavar="PEM",
        action="append",
        default=[],
        help="trusted IdP signing certificate file (repeatable; a file may hold several certificates)",
    )
    parser.add_argument(
        "--sp-key", metavar="PEM", help="SP private key for encrypted assertions (stored; decryption not yet supported)"
    )
    parser.add_argument("--at", metavar="ISO-8601", help="evaluate time conditions at this instant (default: now)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the summary")
    parser.set_defaults(handler=run)


def _read_input(name: str) -> bytes:
    try:
        if name == "-":
            return sys.stdin.buffer.read(_MAX_INPUT + 1)
        with open(name, "rb") as handle:
            return handle.read(_MAX_INPUT + 1)
    except OSError as exc:
        raise _Failure(f"cannot read {name}: {exc.strerror or exc}") from None


def _certificates(paths: list[str]) -> list[x509.Certificate]:
    certs: list[x509.Certificate] = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise _Failure(f"cannot read --idp-cert {path}: {exc.strerror or exc}") from None
        try:
            certs.extend(load_certificates(data))
        except DecodeError as exc:
            raise _Failure(f"--idp-cert {path}: {exc.reason}") from None
    return certs


def _evaluation_time(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value.strip().replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        raise _Failure(f"--at: not an ISO-8601 timestamp: {value!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _emit(text: str) -> None:
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:  # a non-UTF-8 terminal must not turn into a traceback
        sys.stdout.write(text.encode("ascii", "backslashreplace").decode("ascii"))
    sys.stdout.flush()


def run(args: argparse.Namespace) -> int:
    """Execute ``decode``; returns the process exit status (0 or 2)."""
    try:
        now = _evaluation_time(getattr(args, "at", None))
        certs = _certificates(list(getattr(args, "idp_cert", None) or []))
        data = _read_input(args.input)
        if len(data) > _MAX_INPUT:
            raise _Failure(f"{args.input}: input larger than {_MAX_INPUT} bytes")
        message = decode_any(data, trusted_certs=certs, now=now)
        if getattr(args, "json", False):
            view = to_json(message)
            view["evaluated_at"] = format_instant(now)
            _emit(json.dumps(view, ensure_ascii=False, indent=2) + "\n")
        else:
            _emit(render_summary(message, evaluated_at=format_instant(now)))
        return 0
    except _Failure as exc:
        message_text = str(exc)
    except DecodeError as exc:
        message_text = str(exc)
    except BrokenPipeError:
        return 0
    except Exception as exc:
        message_text = f"internal error ({type(exc).__name__}: {exc})"
    single_line = " ".join(message_text.split())
    sys.stderr.write(f"{_PROG}: {single_line}\n")
    return 2
