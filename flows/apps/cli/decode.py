"""``sso-harness decode`` — decode a captured or pasted SSO message.

Usage::

    sso-harness decode INPUT [--idp-cert PEM ...] [--sp-key PEM ...] [--jwks FILE|URL]
                             [--client-id ID] [--issuer ISS] [--nonce N] [--at ISO-8601] [--json]

INPUT is a file path or ``-`` for stdin. It may hold a SAML message (raw
XML, base64, DEFLATEd base64, a URL with ``SAMLRequest``/``SAMLResponse``/
``SAMLart`` in its query, or an urlencoded POST body), a WS-Federation
message (a ``wa=`` URL or form, ``wresult`` included), or an OAuth 2.0 /
OIDC message (a JWT, an authorize or callback URL, a token request body, a
token response, discovery document or JWKS as JSON). The kind is detected.
Exit status: 0 when decoded (trusted or not), 2 with a single
``sso-harness decode: <reason>`` line on stderr otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509

from sso_harness.apps.cli.decode_render import render_oauth, render_wsfed
from sso_harness.protocols.errors import DECODE_NOT_RECOGNISED, DECODE_TOO_LARGE, DecodeError
from sso_harness.protocols.jose import Jwks, JwtExpectations, decode_jwks
from sso_harness.protocols.jose.fetch import fetch_jwks
from sso_harness.protocols.oauth import decode_oauth_any
from sso_harness.protocols.oauth import to_json as oauth_json
from sso_harness.protocols.saml import decode_any, format_instant, render_summary, to_json
from sso_harness.protocols.wsfed import decode_wsfed, wsfed_to_json
from sso_harness.protocols.xml.dsig.keys import PrivateKey, load_certificates, load_private_key

__all__ = ["add_parser", "run"]

_PROG = "sso-harness decode"
_MAX_INPUT = 50 * 1024 * 1024


class _Failure(Exception):
    """A user-facing failure: printed as one line, exit status 2."""


@dataclass(frozen=True)
class _Decoded:
    """A decoded message, as its family shows it: the JSON view and the terminal text."""

    view: Callable[[], dict[str, Any]]
    text: Callable[[str | None], str]  # given the evaluation instant, already formatted


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``decode`` sub-command on an argparse sub-parser set."""
    parser = subparsers.add_parser(
        "decode",
        help="decode a SAML, WS-Fed, OAuth or OIDC message (XML, base64, URL, POST body, JWT, JSON) and verify it",
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
        "--sp-key", metavar="PEM", action="append", default=[],
        help="SP private key to decrypt EncryptedAssertion/EncryptedID (repeatable)",
    )
    parser.add_argument("--jwks", metavar="FILE|URL", help="JWKS to verify JWTs and ID tokens (a file, or an https/loopback URL)")
    parser.add_argument("--client-id", help="expected audience/azp of JWTs")
    parser.add_argument("--issuer", help="expected iss of JWTs")
    parser.add_argument("--nonce", help="expected nonce of ID tokens")
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


def _private_keys(paths: list[str]) -> list[PrivateKey]:
    keys: list[PrivateKey] = []
    for path in paths:
        try:
            keys.append(load_private_key(Path(path).read_bytes()))
        except OSError as exc:
            raise _Failure(f"cannot read --sp-key {path}: {exc.strerror or exc}") from None
        except DecodeError as exc:
            raise _Failure(f"--sp-key {path}: {exc.reason}") from None
    return keys


def _jwks(source: str | None) -> Jwks | None:
    if not source:
        return None
    try:
        if "://" in source:
            return fetch_jwks(source)
        return decode_jwks(Path(source).read_bytes())
    except OSError as exc:
        raise _Failure(f"cannot read --jwks {source}: {getattr(exc, 'strerror', None) or exc}") from None
    except DecodeError as exc:
        raise _Failure(f"--jwks {source}: {exc.reason}") from None


def _looks_wsfed(text: str) -> bool:
    return "wa=wsignin1.0" in text or "wa=wsignout" in text or ("wresult=" in text and "wa=" in text)


def _decode(data: bytes, args: argparse.Namespace, now: datetime) -> _Decoded:
    """Try SAML, then WS-Federation, then OAuth/OIDC; the most specific error wins."""
    certs = _certificates(list(getattr(args, "idp_cert", None) or []))
    sp_keys = _private_keys(list(getattr(args, "sp_key", None) or []))
    text = data.decode("utf-8", "replace").strip()
    if _looks_wsfed(text):
        query = text.split("?", 1)[1] if "://" in text.split("?", 1)[0] else text
        wsfed = decode_wsfed(query, trusted_certs=certs, now=now, sp_keys=sp_keys)
        return _Decoded(lambda: wsfed_to_json(wsfed), lambda at: render_wsfed(wsfed, evaluated_at=at))
    try:
        saml = decode_any(data, trusted_certs=certs, now=now, sp_keys=sp_keys)
        return _Decoded(lambda: to_json(saml), lambda at: render_summary(saml, evaluated_at=at))
    except DecodeError as saml_error:
        expected = None
        if args.client_id or args.issuer or args.nonce:
            expected = JwtExpectations(issuer=args.issuer, client_id=args.client_id, nonce=args.nonce)
        try:
            oauth = decode_oauth_any(data, jwks=_jwks(args.jwks), expected=expected, now=now)
            # Claims are shown to the person who pasted the token; written reports keep them hidden.
            return _Decoded(lambda: oauth_json(oauth, reveal_claims=True), lambda at: render_oauth(oauth, evaluated_at=at))
        except DecodeError as oauth_error:
            raise _real_reason(saml_error, oauth_error) from None


def _real_reason(saml_error: DecodeError, oauth_error: DecodeError) -> DecodeError:
    """The failure of the protocol the input was meant as, told apart by code.

    A decoder that recognised the input (any code but ``decode.not_recognised``)
    knows the real reason; OAuth's size bound (``decode.too_large``) is checked
    before OAuth looks at the input, so it says nothing about what the input is:
    a deflate bomb or an oversized SAML POST keeps SAML's reason.
    """
    if oauth_error.code not in (DECODE_NOT_RECOGNISED, DECODE_TOO_LARGE):
        return oauth_error
    if saml_error.code != DECODE_NOT_RECOGNISED:
        return saml_error
    return oauth_error if oauth_error.code == DECODE_TOO_LARGE else saml_error


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
        data = _read_input(args.input)
        if len(data) > _MAX_INPUT:
            raise _Failure(f"{args.input}: input larger than {_MAX_INPUT} bytes")
        decoded = _decode(data, args, now)
        if getattr(args, "json", False):
            view = decoded.view()
            view["evaluated_at"] = format_instant(now)
            _emit(json.dumps(view, ensure_ascii=False, indent=2) + "\n")
        else:
            _emit(decoded.text(format_instant(now)))
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
